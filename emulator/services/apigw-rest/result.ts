/**
 * Lambda proxy response rules, payload format 1.0 (reference §2.5), as pure functions. Validation
 * follows LocalStack's AWS-validated parser and its `test_aws_proxy_response_payload_format_validation`:
 * - the payload must be a JSON object with no keys beyond the five below, else 502;
 * - no field is required: missing `statusCode` is 200 (AWS-validated there; ambiguity #22), missing
 *   `body` an empty body;
 * - `statusCode` is an integer or an integer string ("201"), 100-599;
 * - `headers` values are strings or booleans (booleans become "true"/"false"); `multiValueHeaders`
 *   values must be arrays of those (a bare string is a 502 on AWS); `null` maps count as absent;
 * - a key in both maps takes only the `multiValueHeaders` values (documented);
 * - `body` is a string (or null); an object body is the classic "Malformed Lambda proxy response".
 */

const KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);
const INTEGER_STRING = /^\s*\d+\s*$/;

export interface ProxyResult {
  statusCode: number;
  /** Merged, in order: `headers` entries not overridden, then `multiValueHeaders` entries. */
  headers: Array<[string, string]>;
  body: string;
  isBase64Encoded: boolean;
}

export type ParsedProxyResult = { ok: true; result: ProxyResult } | { ok: false; reason: string };

const malformed = (reason: string): ParsedProxyResult => ({ ok: false, reason });

function headerValue(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

function statusOf(v: unknown): number | undefined {
  if (v === undefined || v === null) return 200;
  const n = typeof v === 'number' ? v : typeof v === 'string' && INTEGER_STRING.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

export function parseProxyResult(payload: string): ParsedProxyResult {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return malformed('output is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return malformed('output is not a JSON object');
  const out = value as Record<string, unknown>;
  for (const key of Object.keys(out)) if (!KEYS.has(key)) return malformed(`unexpected key "${key}"`);
  const statusCode = statusOf(out.statusCode);
  if (statusCode === undefined) return malformed('statusCode is not an integer between 100 and 599');
  if (out.body !== undefined && out.body !== null && typeof out.body !== 'string') return malformed('body is not a string');
  const single = out.headers ?? null;
  const multi = out.multiValueHeaders ?? null;
  if (single !== null && (typeof single !== 'object' || Array.isArray(single))) return malformed('headers is not an object');
  if (multi !== null && (typeof multi !== 'object' || Array.isArray(multi))) return malformed('multiValueHeaders is not an object');
  const headers: Array<[string, string]> = [];
  const multiMap = (multi ?? {}) as Record<string, unknown>;
  for (const [name, raw] of Object.entries((single ?? {}) as Record<string, unknown>)) {
    const v = headerValue(raw);
    if (v === undefined) return malformed(`header "${name}" is not a string or boolean`);
    if (!(name in multiMap)) headers.push([name, v]);
  }
  for (const [name, raw] of Object.entries(multiMap)) {
    if (!Array.isArray(raw)) return malformed(`multiValueHeaders "${name}" is not an array`);
    for (const item of raw) {
      const v = headerValue(item);
      if (v === undefined) return malformed(`multiValueHeaders "${name}" holds a value that is not a string or boolean`);
      headers.push([name, v]);
    }
  }
  return { ok: true, result: { statusCode, headers, body: (out.body as string | null | undefined) ?? '', isBase64Encoded: out.isBase64Encoded === true } };
}

/**
 * Headers API Gateway owns on the way back (LocalStack method_response.py, AWS_PROXY case): these are
 * renamed `x-amzn-Remapped-<name>`; `Transfer-Encoding` is dropped.
 */
const REMAPPED = new Set(['connection', 'content-length', 'date', 'server']);

/**
 * The client-facing headers and body. `Content-Type: application/json` is added when the function
 * set none. A base64 body is decoded only when the client's first `Accept` type is binary (§2.10);
 * otherwise the client receives the base64 text.
 */
export function proxyResponseParts(result: ProxyResult, acceptIsBinary: boolean): { headers: Array<[string, string]>; body: string | Buffer } {
  const headers: Array<[string, string]> = [];
  let hasContentType = false;
  for (const [name, value] of result.headers) {
    const lower = name.toLowerCase();
    if (lower === 'transfer-encoding') continue;
    if (lower === 'content-type') hasContentType = true;
    headers.push([REMAPPED.has(lower) ? `x-amzn-Remapped-${name}` : name, value]);
  }
  if (!hasContentType) headers.unshift(['Content-Type', 'application/json']);
  const body = result.isBase64Encoded && acceptIsBinary ? Buffer.from(result.body, 'base64') : result.body;
  return { headers, body };
}
