/**
 * The request headers as a REST API Lambda proxy event carries them (reference §2.4): names as the
 * client sent them, `headers` with one value per name and `multiValueHeaders` with all of them, minus
 * the hop-by-hop headers API Gateway never forwards, plus the ones its front end adds.
 *
 * - Dropped: LocalStack's AWS-validated list (header_utils.py `DROPPED_FROM_REQUEST_COMMON`), which
 *   covers the documented `Content-Length`/`Connection` case; HTTP/2 pseudo-headers and the hop-by-hop
 *   `Keep-Alive` too; and a `__proto__` name, which a plain object cannot hold as a key.
 * - Added: `X-Forwarded-For` (client chain + source IP), `X-Forwarded-Port: 443`,
 *   `X-Forwarded-Proto: https`, and `X-Amzn-Trace-Id` unless the client sent one.
 * - Edge-optimized endpoints sit behind CloudFront, which adds its `CloudFront-*`, `Via` and
 *   `X-Amz-Cf-Id` headers and capitalises `Authorization`/`User-Agent` (LocalStack aws.py, AWS captures).
 * - Repeated names: `headers` keeps the LAST value. AWS documents this for query strings (the
 *   `multivalueName` example in set-up-lambda-proxy-integrations) and we apply the same rule to
 *   headers; names are grouped case-insensitively under the first spelling seen.
 */

const DROPPED = new Set([
  'connection', 'content-length', 'content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server',
  'te', 'transfer-encoding', 'trailer', 'upgrade', 'www-authenticate', 'keep-alive', '__proto__',
]);

const EDGE_CAPITALISED: Record<string, string> = { authorization: 'Authorization', 'user-agent': 'User-Agent' };

export interface EventHeaders {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** Lower-case name -> the spelling used as key in both maps. */
  names: Map<string, string>;
}

export interface EdgeInfo {
  /** 32 hex chars, the CloudFront edge id in `Via`. */
  viaId: string;
  cfId: string;
  edgeIp: string;
}

export interface ForwardingInfo {
  sourceIp: string;
  traceId: string;
  edge?: EdgeInfo;
}

export function buildEventHeaders(rawHeaders: readonly string[], fwd: ForwardingInfo): EventHeaders {
  const out: EventHeaders = { headers: {}, multiValueHeaders: {}, names: new Map() };
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    let name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || lower.charCodeAt(0) === 58 /* ':' pseudo-header */) continue;
    const value = rawHeaders[i + 1]!;
    const existing = out.names.get(lower);
    if (existing === undefined) {
      if (fwd.edge && EDGE_CAPITALISED[lower]) name = EDGE_CAPITALISED[lower]!;
      out.names.set(lower, name);
      out.headers[name] = value;
      out.multiValueHeaders[name] = [value];
    } else {
      out.headers[existing] = value;
      out.multiValueHeaders[existing]!.push(value);
    }
  }
  if (fwd.edge) addEdgeHeaders(out, fwd.edge);
  const chain = out.names.has('x-forwarded-for') ? `${out.multiValueHeaders[out.names.get('x-forwarded-for')!]!.join(', ')}, ` : '';
  put(out, 'X-Forwarded-For', `${chain}${fwd.sourceIp}${fwd.edge ? `, ${fwd.edge.edgeIp}` : ''}`);
  put(out, 'X-Forwarded-Port', '443');
  put(out, 'X-Forwarded-Proto', 'https');
  if (!out.names.has('x-amzn-trace-id')) put(out, 'X-Amzn-Trace-Id', fwd.traceId);
  return out;
}

function addEdgeHeaders(out: EventHeaders, edge: EdgeInfo): void {
  put(out, 'CloudFront-Forwarded-Proto', 'https');
  put(out, 'CloudFront-Is-Desktop-Viewer', 'true');
  put(out, 'CloudFront-Is-Mobile-Viewer', 'false');
  put(out, 'CloudFront-Is-SmartTV-Viewer', 'false');
  put(out, 'CloudFront-Is-Tablet-Viewer', 'false');
  put(out, 'CloudFront-Viewer-ASN', '16509');
  put(out, 'CloudFront-Viewer-Country', 'US');
  put(out, 'Via', `2.0 ${edge.viaId}.cloudfront.net (CloudFront)`);
  put(out, 'X-Amz-Cf-Id', edge.cfId);
}

/** Sets one value, keeping the client's spelling if the name was already present. */
function put(out: EventHeaders, name: string, value: string): void {
  const lower = name.toLowerCase();
  const key = out.names.get(lower) ?? name;
  out.names.set(lower, key);
  out.headers[key] = value;
  out.multiValueHeaders[key] = [value];
}

/** Case-insensitive single-value lookup (the value `headers` carries). */
export function eventHeader(h: EventHeaders, name: string): string | undefined {
  const key = h.names.get(name);
  return key === undefined ? undefined : h.headers[key];
}
