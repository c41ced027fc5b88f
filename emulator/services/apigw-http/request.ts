import type { HttpRequest } from '../../core/http.ts';

/**
 * A request as API Gateway's HTTP API front end has normalised it, before any payload version is built:
 * the wire decoded once, so the event builders, authorizers and CORS all read the same values.
 */
export interface IncomingRequest {
  method: string;
  /** The path exactly as received (percent-encoding intact), stage prefix included. */
  rawPath: string;
  /** The path without the stage prefix: what routes match and what the route ARN names. */
  routePath: string;
  rawQueryString: string;
  /**
   * Lower-cased names, repeated headers comma-joined. `cookie` is left out: payload 2.0 moves every Cookie
   * header into `cookies` (documented), and users of 2.0 report the header gone from `headers`
   * (dougmoscrop/serverless-http#159), which is why frameworks rebuild it from `cookies`.
   */
  headers: Record<string, string>;
  /** Names as sent, one entry per value, `cookie` kept: what payload 1.0 is built from. */
  headerList: Array<[string, string]>;
  cookies: string[];
  /** Decoded names and values, repeated keys comma-joined; undefined when there is no query. */
  query: Record<string, string> | undefined;
  body: Buffer;
  sourceIp: string;
  protocol: string;
  userAgent: string;
}

export interface DecodeContext {
  /** `` for `$default`, `/<stage>` for a named stage. */
  basePath: string;
  /** `<apiId>.execute-api.<region>.amazonaws.com`: the `host` the function sees. */
  domainName: string;
  /** An `X-Amzn-Trace-Id` value for requests that did not bring one. */
  traceId: () => string;
}

/**
 * Hop-by-hop headers the front end consumes. `content-length` is not among them: HTTP APIs pass it on,
 * recomputed, even for a GET with no body (aws-lambda-go's captured `apigw-v2-request-no-authorizer`).
 */
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'x-forwarded-port', 'x-forwarded-proto']);

/** Returns undefined when the path is outside the stage (AWS answers 404). */
export function decodeRequest(request: HttpRequest, context: DecodeContext): IncomingRequest | undefined {
  const q = request.rawUrl.indexOf('?');
  const rawPath = q === -1 ? request.rawUrl : request.rawUrl.slice(0, q);
  const rawQueryString = q === -1 ? '' : request.rawUrl.slice(q + 1);
  const routePath = stripStage(rawPath, context.basePath);
  if (routePath === undefined) return undefined;

  const headers = dict<string>();
  const headerList: Array<[string, string]> = [];
  const cookies: string[] = [];
  let forwardedFor: string | undefined;
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower)) continue;
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    headerList.push([name, value]);
    if (lower === 'cookie') {
      splitCookies(value, cookies);
      continue;
    }
    const seen = headers[lower];
    headers[lower] = seen === undefined ? value : `${seen},${value}`;
  }
  // The headers API Gateway sets itself, as the captured events show them: the function sees the API's
  // own host, TLS on 443, the client in X-Forwarded-For and an X-Ray trace id.
  const added: Array<[string, string]> = [
    ['content-length', String(request.body.length)],
    ['host', context.domainName],
    ['x-forwarded-for', forwardedFor === undefined ? request.sourceIp : `${forwardedFor}, ${request.sourceIp}`],
    ['x-forwarded-port', '443'],
    ['x-forwarded-proto', 'https'],
  ];
  if (headers['x-amzn-trace-id'] === undefined) added.push(['x-amzn-trace-id', context.traceId()]);
  for (const [name, value] of added) {
    headers[name] = value;
    headerList.push([name, value]);
  }

  return {
    method: request.method.toUpperCase(),
    rawPath,
    routePath,
    rawQueryString,
    headers,
    headerList,
    cookies,
    query: rawQueryString === '' ? undefined : parseQuery(rawQueryString),
    body: request.body,
    sourceIp: request.sourceIp,
    protocol: request.protocol,
    userAgent: headers['user-agent'] ?? '',
  };
}

/**
 * A map keyed by client-chosen names (headers, query keys, claims): no prototype, so a header called
 * `constructor` or `__proto__` is just a header. JSON.stringify treats it like any object.
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function stripStage(rawPath: string, basePath: string): string | undefined {
  if (basePath === '') return rawPath === '' ? '/' : rawPath;
  if (!rawPath.startsWith(basePath)) return undefined;
  const rest = rawPath.slice(basePath.length);
  if (rest === '') return '/';
  return rest.startsWith('/') ? rest : undefined;
}

/** `Cookie: a=1; b=2` becomes `["a=1", "b=2"]`; several Cookie headers add up. */
function splitCookies(value: string, into: string[]): void {
  for (const part of value.split(';')) {
    const cookie = part.trim();
    if (cookie !== '') into.push(cookie);
  }
}

/**
 * Percent-decodes names and values; `+` stays `+` (API Gateway treats the query as RFC 3986, not as a
 * form body). Repeated keys are comma-joined, as payload 2.0 documents.
 */
export function parseQuery(rawQuery: string): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [key, value] of queryPairs(rawQuery)) {
    out ??= dict<string>();
    const seen = out[key];
    out[key] = seen === undefined ? value : `${seen},${value}`;
  }
  return out;
}

export function queryPairs(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    if (key === '') continue;
    pairs.push([key, eq === -1 ? '' : decode(part.slice(eq + 1))]);
  }
  return pairs;
}

function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
