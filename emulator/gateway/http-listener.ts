import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRequest, HttpResponse } from '../core/http.ts';
import type { Log } from '../core/log.ts';
import { EmulatorError } from '../core/errors.ts';

/** The service side of a listener: anything that turns an HttpRequest into an HttpResponse. */
export interface RequestHandler {
  handle(request: HttpRequest): Promise<HttpResponse>;
}

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
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    readBody(req, options.maxBodyBytes).then(
      (body) => serve(handler, req, res, body, options.log),
      (error: Error) => {
        options.log.debug(`Failed to read request body: ${error.message}. The client went away.`);
        res.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(new EmulatorError('ERR_LISTEN', `Failed to listen on ${options.host}:${options.port}: ${cause.code ?? cause.message}. Choose another --port, or 0 for free ports.`, { cause })),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, port, close: () => closeServer(server) };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
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

async function serve(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, body: Buffer, log: Log): Promise<void> {
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '/',
    rawHeaders: req.rawHeaders,
    body,
    sourceIp: normaliseIp(req.socket.remoteAddress),
    protocol: `HTTP/${req.httpVersion}`,
  };
  let response: HttpResponse;
  try {
    response = await handler.handle(request);
  } catch (error) {
    // Services never reject by contract; if one does, the client still gets an answer and we keep serving.
    log.error(`Failed to handle ${request.method} ${request.rawUrl}: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
    response = { status: 500, headers: [['content-type', 'application/json']], body: '{"message":"genai-offline internal error"}' };
  }
  writeResponse(res, response);
}

function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'transfer-encoding' || lower === 'connection') continue;
    flat.push(name, value);
  }
  const body = response.body;
  flat.push('Content-Length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.writeHead(response.status, flat);
  res.end(body);
}

function normaliseIp(address: string | undefined): string {
  if (!address) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
