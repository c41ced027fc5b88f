import { sniffContentType } from './content-sniff.ts';

/**
 * From the Lambda's response payload (JSON text) to the HTTP response API Gateway sends, one pure
 * function per payload version. Anything they reject becomes 500 `Internal Server Error` (§3.4).
 */
export interface IntegrationResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer | string;
}

export type ResultMapping = { ok: true; response: IntegrationResponse } | { ok: false; reason: string };

const malformed = (reason: string): ResultMapping => ({ ok: false, reason });

/**
 * Format 2.0 (§3.3). An object with a `statusCode` key is the full form: `statusCode`, `headers`,
 * `cookies` (each a `set-cookie`), `body`, `isBase64Encoded`; other keys are ignored, `multiValueHeaders`
 * included (2.0 does not define it). Anything else is inferred: 200, `content-type: application/json`,
 * and the payload itself as the body, so a returned string keeps its JSON quotes (§9 #11).
 */
export function mapResultV2(payload: string): ResultMapping {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return malformed('the function returned invalid JSON');
  }
  if (!isObject(value) || !('statusCode' in value)) {
    return { ok: true, response: { status: 200, headers: [['content-type', 'application/json']], body: payload } };
  }
  const status = statusOf(value.statusCode);
  if (status === undefined) return malformed('statusCode must be an integer from 100 to 599');
  const headers: Array<[string, string]> = [];
  const headerError = addHeaders(headers, value.headers);
  if (headerError) return malformed(headerError);
  const cookies = value.cookies;
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string')) return malformed('cookies must be an array of strings');
    for (const cookie of cookies as string[]) headers.push(['set-cookie', cookie]);
  }
  const body = bodyOf(value.body, value.isBase64Encoded);
  if (typeof body === 'object' && 'error' in body) return malformed(body.error);
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
    const sniffed = sniffContentType(typeof body === 'string' ? Buffer.from(body) : body);
    if (sniffed) headers.push(['content-type', sniffed]);
  }
  return { ok: true, response: { status, headers, body } };
}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * Format 1.0 follows REST's proxy rules (§2.5): an object of the documented keys only (others are
 * rejected, as LocalStack's AWS-parity parser does), `statusCode` defaulting to 200 (§9 #22), headers
 * merged with `multiValueHeaders` (which win for a name in both), and `content-type: application/json`
 * when the function sets none.
 */
export function mapResultV1(payload: string): ResultMapping {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return malformed('the function returned invalid JSON');
  }
  if (!isObject(value)) return malformed('a 1.0 response must be a JSON object');
  for (const key of Object.keys(value)) if (!V1_KEYS.has(key)) return malformed(`unexpected key "${key}" in a 1.0 response`);
  const status = value.statusCode === undefined || value.statusCode === null ? 200 : statusOf(value.statusCode);
  if (status === undefined) return malformed('statusCode must be an integer from 100 to 599');
  const single: Array<[string, string]> = [];
  const headerError = addHeaders(single, value.headers);
  if (headerError) return malformed(headerError);
  const multi = value.multiValueHeaders;
  const multiHeaders: Array<[string, string]> = [];
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) return malformed('multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) return malformed(`multiValueHeaders.${name} must be an array`);
      for (const v of values) multiHeaders.push([name, String(v)]);
    }
  }
  const multiNames = new Set(multiHeaders.map(([name]) => name.toLowerCase()));
  const headers = single.filter(([name]) => !multiNames.has(name.toLowerCase()));
  headers.push(...multiHeaders);
  const body = bodyOf(value.body, value.isBase64Encoded);
  if (typeof body === 'object' && 'error' in body) return malformed(body.error);
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/json']);
  return { ok: true, response: { status, headers, body } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
}

/** Header values may be strings, numbers or booleans (sent as their text); null drops the header. */
function addHeaders(into: Array<[string, string]>, headers: unknown): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (!isObject(headers)) return 'headers must be an object';
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) continue;
    if (typeof value === 'object') return `header "${name}" must be a string`;
    into.push([name, String(value)]);
  }
  return undefined;
}

function bodyOf(body: unknown, isBase64Encoded: unknown): string | Buffer | { error: string } {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return { error: 'body must be a string' };
  return isBase64Encoded === true ? Buffer.from(body, 'base64') : body;
}
