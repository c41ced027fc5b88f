import type { StreamMetadata } from './types.ts';

/**
 * The `application/vnd.awslambda.http-integration-response` framing a handler gets from
 * `awslambda.HttpResponseStream.from`: a JSON prelude (`statusCode`, `headers`, `cookies`), 8 NUL bytes,
 * then the body. JSON text holds no raw NUL, so the first NUL ends the prelude. Read from the bytes, not
 * from the handler's call, because that is what Lambda's front ends do: a handler that writes the framing
 * itself (setContentType + prelude + NULs) is read the same way.
 */

export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER_LEN = 8;

export type PreludeStep =
  /** More bytes are needed; the ones given are held. */
  | { kind: 'pending' }
  /** The prelude ended: `body` is what followed the delimiter in the bytes so far (maybe empty). */
  | { kind: 'done'; metadata: StreamMetadata | undefined; body: Buffer };

export class PreludeReader {
  private held: Buffer[] = [];

  push(bytes: Buffer): PreludeStep {
    this.held.push(bytes);
    const all = this.held.length === 1 ? bytes : Buffer.concat(this.held);
    const end = all.indexOf(0);
    if (end === -1 || all.length < end + DELIMITER_LEN) return { kind: 'pending' };
    this.held = [];
    return { kind: 'done', metadata: parseMetadata(all.subarray(0, end)), body: all.subarray(end + DELIMITER_LEN) };
  }

  /** The stream ended inside the prelude: what was held, as body (the framing was never completed). */
  rest(): Buffer {
    const all = Buffer.concat(this.held);
    this.held = [];
    return all;
  }
}

/**
 * Only the fields the front ends use, each kept when its type is right. A prelude that is not a JSON
 * object gives no metadata (the front end decides what that means).
 */
function parseMetadata(bytes: Buffer): StreamMetadata | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { statusCode, headers, cookies } = value as Record<string, unknown>;
  const metadata: StreamMetadata = {};
  if (typeof statusCode === 'number') metadata.statusCode = statusCode;
  if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
    metadata.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));
  }
  if (Array.isArray(cookies)) metadata.cookies = cookies.map(String);
  return metadata;
}
