import { STATUS_CODES, createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HttpRequest, HttpResponse } from '../core/http.ts';
import type { Log } from '../core/log.ts';
import type { WebSocketHandler, WebSocketSession } from '../core/websocket.ts';
import { closeServer, listenOn, requestListener, type Listener } from './http-listener.ts';
import { listenTlsAndPlain, type TlsCredentials } from './tls-sniff.ts';
import { FrameSizeWatcher } from './ws-frames.ts';

export interface WebSocketListenOptions {
  host: string;
  port: number;
  log: Log;
  /**
   * Also serve `wss://` and `https://` on the same port (tls-sniff.ts): handlers build their
   * `@connections` endpoint as `https://${domainName}/${stage}`, as AWS's samples do.
   */
  tls?: TlsCredentials;
}

const PROTOCOL = Symbol('protocol');
type HeldRequest = IncomingMessage & { [PROTOCOL]?: string };

/**
 * Serves one WebSocket API on its own port: the only file that knows `ws`. Plain HTTP requests
 * (`@connections`, control) go to `handler.handle`; an upgrade is held until `handler.upgrade`
 * decides, then completed (101) or answered with the HTTP error on the raw socket. On an open
 * connection it reports text messages, binary frames, frames over `maxFrameBytes` (read from the raw
 * bytes, ws-frames.ts) and messages over `maxMessageBytes` (ws's `maxPayload`, which itself closes
 * with 1009), and the close. Pings are answered by ws and reported to nobody.
 */
export async function listenWebSocket(handler: WebSocketHandler, options: WebSocketListenOptions): Promise<Listener> {
  const { log } = options;
  // Keep-alive as listenHttp's: AppSync's POST /graphql shares this server with its real-time upgrades.
  const server = createServer({ keepAliveTimeout: 65_000 }, requestListener(handler, { maxBodyBytes: handler.maxMessageBytes, log }));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: handler.maxMessageBytes,
    // API Gateway does not negotiate permessage-deflate, and frame sizes must be the wire's.
    perMessageDeflate: false,
    handleProtocols: (_protocols, req) => (req as HeldRequest)[PROTOCOL] ?? false,
  });
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req: HeldRequest, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => log.debug(`WebSocket socket error: ${error.message}.`));
    // A malformed handshake never reaches the API (no $connect), as ws itself would refuse it.
    if (!isWebSocketHandshake(req)) return refuse(socket, { status: 400, headers: [], body: '' });
    handler.upgrade(toRequest(req)).then((decision) => {
      if (socket.destroyed) {
        if (decision.accept) decision.cancel();
        return;
      }
      if (!decision.accept) return refuse(socket, decision.response);
      if (decision.protocol !== undefined) req[PROTOCOL] = decision.protocol;
      let opened = false;
      // ws completes synchronously, or destroys a socket no longer readable and writable without calling back.
      wss.handleUpgrade(req, socket, head, (ws) => {
        opened = true;
        attach(ws, socket, head, decision.open(peerOf(ws)), handler);
      });
      if (!opened) decision.cancel();
    });
  });
  const listener = options.tls
    ? await withUpgradesClosed(await listenTlsAndPlain(server, options.tls, options), sockets)
    : await listenOn(server, options, async () => {
        for (const socket of sockets) socket.destroy();
        await closeServer(server);
      });
  return { ...listener, url: listener.url.replace(/^http:/, 'ws:') };
}

function withUpgradesClosed(listener: Listener, sockets: Set<Duplex>): Listener {
  return {
    ...listener,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await listener.close();
    },
  };
}

function attach(ws: WebSocket, socket: Duplex, head: Buffer, session: WebSocketSession, handler: WebSocketHandler): void {
  const watcher = new FrameSizeWatcher(handler.maxFrameBytes);
  const watch = (chunk: Buffer) => {
    const frame = watcher.push(chunk);
    if (frame) session.violation('frame-too-large', `frame of ${frame.length} bytes > ${handler.maxFrameBytes}`);
  };
  watch(head);
  // Ahead of ws's own reader, so an oversized frame closes the connection before ws delivers it.
  socket.prependListener('data', watch);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (isBinary) session.violation('binary', `binary message of ${data.length} bytes`);
    else session.message(data.toString('utf8'));
  });
  ws.on('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') session.violation('message-too-large', `message over ${handler.maxMessageBytes} bytes`);
  });
  ws.on('close', (code: number, reason: Buffer) => session.closed(code, reason.toString('utf8')));
}

function peerOf(ws: WebSocket) {
  return {
    send: (text: string) => {
      if (ws.readyState === ws.OPEN) ws.send(text);
    },
    close: (code: number, reason: string) => ws.close(code, reason),
  };
}

function isWebSocketHandshake(req: IncomingMessage): boolean {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  return req.method === 'GET' && req.headers.upgrade?.toLowerCase() === 'websocket' && typeof key === 'string' && /^[+/0-9A-Za-z]{22}==$/.test(key) && (version === '13' || version === '8');
}

function refuse(socket: Duplex, response: HttpResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? 'Unknown'}`];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]));
}

function toRequest(req: IncomingMessage): HttpRequest {
  const ip = req.socket.remoteAddress ?? '127.0.0.1';
  return {
    method: req.method ?? 'GET',
    rawUrl: req.url ?? '/',
    rawHeaders: req.rawHeaders,
    body: Buffer.alloc(0),
    sourceIp: ip.startsWith('::ffff:') ? ip.slice(7) : ip,
    protocol: `HTTP/${req.httpVersion}`,
  };
}
