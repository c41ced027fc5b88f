import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { constants as http2Constants, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { ConnectionDropped, type AnyHttpResponse, type HttpRequest, type HttpResponse, type StreamingHttpResponse } from '../core/http.ts';
import type { Log } from '../core/log.ts';
import { AwsHttpError, EmulatorError } from '../core/errors.ts';

/** The service side of a listener: anything that turns an HttpRequest into an HttpResponse. */
export interface RequestHandler {
  handle(request: HttpRequest): Promise<AnyHttpResponse>;
}

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

export interface Listener {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
  /**
   * Bodies are read up to this many bytes plus one, then the rest is drained unread: enough for the
   * service to see that a request is over AWS's payload limit and answer as AWS does, without
   * buffering an unbounded upload.
   */
  maxBodyBytes: number;
  log: Log;
}

/**
 * Serves one emulated API on its own port, as each AWS API has its own host. This file and its
 * siblings in gateway/ are the only ones that know node:http; services see HttpRequest/HttpResponse.
 */
export async function listenHttp(handler: RequestHandler, options: ListenOptions): Promise<Listener> {
  const server = createServer({ keepAliveTimeout: 65_000 }, requestListener(handler, options));
  return listenOn(server, options, () => closeServer(server));
}

/** Binds `server` (net, http or http2) and reports a busy port as the emulator's own error. */
export async function listenOn(server: NetServer, options: Pick<ListenOptions, 'host' | 'port'>, close: () => Promise<void>): Promise<Listener> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(new EmulatorError('ERR_LISTEN', `Failed to listen on ${options.host}:${options.port}: ${cause.code ?? cause.message}. Choose another --port, or 0 for free ports.`, { cause })),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, port, close };
}

/** The (req, res) callback shared by HTTP/1.1 and HTTP/2 (compatibility API) servers. */
export function requestListener(handler: RequestHandler, options: Pick<ListenOptions, 'maxBodyBytes' | 'log'>): (req: AnyRequest, res: AnyResponse) => void {
  return (req, res) => {
    readBody(req, options.maxBodyBytes).then(
      (body) => serve(handler, req, res, body, options.log),
      (error: Error) => {
        options.log.debug(`Failed to read request body: ${error.message}. The client went away.`);
        res.destroy();
      },
    );
  };
}

function readBody(req: AnyRequest, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > maxBytes) return;
      const room = maxBytes + 1 - size;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      size += kept.length;
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

async function serve(handler: RequestHandler, req: AnyRequest, res: AnyResponse, body: Buffer, log: Log): Promise<void> {
  const h2 = req.httpVersionMajor === 2;
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '/',
    // HTTP/2 pseudo-headers (:path, :method, ...) are the request line, not headers.
    rawHeaders: h2 ? withoutPseudoHeaders(req.rawHeaders) : req.rawHeaders,
    body,
    sourceIp: normaliseIp(req.socket?.remoteAddress),
    protocol: `HTTP/${req.httpVersion}`,
  };
  let response: AnyHttpResponse;
  try {
    response = await handler.handle(request);
  } catch (error) {
    // Services never reject by contract; if one does, the client still gets an answer and we keep serving.
    log.error(`Failed to handle ${request.method} ${request.rawUrl}: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
    response = { status: 500, headers: [['content-type', 'application/json']], body: '{"message":"genai-offline internal error"}' };
  }
  if (isStreaming(response)) await writeStream(res, response, h2, log);
  else writeResponse(res, response, h2);
}

function isStreaming(response: AnyHttpResponse): response is StreamingHttpResponse {
  return typeof response.body !== 'string' && !Buffer.isBuffer(response.body);
}

// Framing is the listener's job; HTTP/2 also forbids the connection-specific ones.
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection']);

function writeHead(res: AnyResponse, status: number, headers: Array<[string, string]>, h2: boolean, contentLength?: number): void {
  if (h2) {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of headers) {
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower)) continue;
      const seen = out[lower];
      out[lower] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    if (contentLength !== undefined) out['content-length'] = String(contentLength);
    (res as Http2ServerResponse).writeHead(status, out);
    return;
  }
  const flat: string[] = [];
  for (const [name, value] of headers) if (!HOP_BY_HOP.has(name.toLowerCase())) flat.push(name, value);
  if (contentLength !== undefined) flat.push('Content-Length', String(contentLength));
  (res as ServerResponse).writeHead(status, flat);
}

function writeResponse(res: AnyResponse, response: HttpResponse, h2: boolean): void {
  const body = response.body;
  writeHead(res, response.status, response.headers, h2, typeof body === 'string' ? Buffer.byteLength(body) : body.length);
  res.end(body);
}

/**
 * Writes each chunk as the service yields it, waiting for 'drain' when the client reads slowly, and
 * stops pulling (running the iterator's `return`) when the client goes away.
 */
async function writeStream(res: AnyResponse, response: StreamingHttpResponse, h2: boolean, log: Log): Promise<void> {
  writeHead(res, response.status, response.headers, h2);
  // The status and headers go out now, as a service that streams sends them before its first chunk.
  (res as ServerResponse).flushHeaders();
  const iterator = response.body[Symbol.asyncIterator]();
  let gone = false;
  const closed = new Promise<void>((resolve) => res.once('close', () => { gone = true; resolve(); }));
  // One promise for the whole stream, not one per chunk: the race below runs for every frame.
  const closedEarly = closed.then(() => undefined);
  // Whether the last chunk has reached the socket, so a drop does not discard it; a waiter only when needed.
  let unflushed = 0;
  let onFlushed: (() => void) | undefined;
  const flushed = () => {
    if (--unflushed === 0) onFlushed?.();
  };
  const written = () => (unflushed === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onFlushed = resolve)));
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), closedEarly]);
      if (!next || next.done || gone) break;
      unflushed++;
      // Both response types take a Buffer; the union of their overloads does not type-check as one call.
      const flowing = (res as ServerResponse).write(next.value, flushed);
      if (!flowing) await Promise.race([once(res, 'drain'), closed]);
    }
  } catch (error) {
    if (error instanceof AwsHttpError) {
      // An AWS fault after the head (an upstream cut mid-frame): the response cannot change now; end it abruptly.
      log.warn(`Stream ended by ${error.errorType} after the response began: ${error.message}`);
      dropConnection(res, h2);
      return;
    }
    if (error instanceof ConnectionDropped) {
      await Promise.race([written(), closed]);
      dropConnection(res, h2);
      return;
    }
    log.error(`Failed to stream a response: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
    res.destroy();
    return;
  } finally {
    if (gone) await iterator.return?.();
  }
  if (!gone) res.end();
}

/** An injected network failure: HTTP/2 resets the stream (INTERNAL_ERROR), HTTP/1.1 closes the socket mid-body. */
function dropConnection(res: AnyResponse, h2: boolean): void {
  if (h2) (res as Http2ServerResponse).stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
  else res.destroy();
}

function withoutPseudoHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
