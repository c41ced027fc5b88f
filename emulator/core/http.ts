/**
 * The wire-neutral HTTP exchange every service speaks. Listeners in gateway/ turn sockets into these;
 * tests build them directly (in-process dispatch, no port).
 */

export interface HttpRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/dev/items/1?x=a%20b`. */
  rawUrl: string;
  /** Flat `[name, value, name, value, ...]` with the client's case and order (Node's `rawHeaders`). */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1` or `HTTP/2.0`. */
  protocol: string;
}

export interface HttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer | string;
}

/**
 * A response whose body is written as it is produced (Bedrock's event streams). Only services that
 * stream return it; the listener writes each chunk with back-pressure and stops pulling when the client
 * goes away (the iterator's `return` runs, so a producer can cancel its timers).
 */
export interface StreamingHttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: AsyncIterable<Buffer>;
}

export type AnyHttpResponse = HttpResponse | StreamingHttpResponse;

/** What tests and the harness pass to build a request without a socket. */
export interface RequestInit {
  method?: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  sourceIp?: string;
}

export function buildRequest(init: RequestInit): HttpRequest {
  const rawHeaders: string[] = [];
  for (const [name, value] of Object.entries(init.headers ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) rawHeaders.push(name, v);
  }
  const body = init.body === undefined ? Buffer.alloc(0) : Buffer.from(init.body);
  return {
    method: (init.method ?? 'GET').toUpperCase(),
    rawUrl: init.path,
    rawHeaders,
    body,
    sourceIp: init.sourceIp ?? '127.0.0.1',
    protocol: 'HTTP/1.1',
  };
}

/** Header lookup, case-insensitive; first value wins. */
export function headerValue(headers: Array<[string, string]> | string[], name: string): string | undefined {
  const lower = name.toLowerCase();
  if (headers.length > 0 && typeof headers[0] === 'string') {
    const flat = headers as string[];
    for (let i = 0; i < flat.length; i += 2) if (flat[i]!.toLowerCase() === lower) return flat[i + 1];
    return undefined;
  }
  for (const [k, v] of headers as Array<[string, string]>) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** Splits `rawUrl` into path and raw query (without `?`). */
export function splitUrl(rawUrl: string): { path: string; rawQuery: string } {
  const q = rawUrl.indexOf('?');
  return q === -1 ? { path: rawUrl, rawQuery: '' } : { path: rawUrl.slice(0, q), rawQuery: rawUrl.slice(q + 1) };
}

/**
 * Thrown by a StreamingHttpResponse body to cut the connection as a network failure would, without a
 * proper end: the listener flushes what was written, then resets the HTTP/2 stream or closes the
 * HTTP/1.1 socket. Not an error of ours, so nothing is logged.
 */
export class ConnectionDropped extends Error {
  constructor(reason = 'connection dropped by an injected fault') {
    super(reason);
    this.name = 'ConnectionDropped';
  }
}
