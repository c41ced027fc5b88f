import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { listenOn, requestListener, type ListenOptions, type Listener, type RequestHandler } from './http-listener.ts';
import { createSniffingServer } from './sniff.ts';

/** RFC 9113 section 3.4: every HTTP/2 connection with prior knowledge opens with these 24 bytes. */
export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * Serves one port in both cleartext HTTP/2 (prior knowledge, what the AWS SDK's default Node handler
 * speaks to an `http://` endpoint) and HTTP/1.1 (curl, fetch, `NodeHttpHandler`). Each connection's
 * first bytes decide: the HTTP/2 preface goes to a `node:http2` server, anything else to `node:http`.
 * Both get the same request listener, so services never know which one the client spoke.
 */
export async function listenHttpAndH2c(handler: RequestHandler, options: ListenOptions): Promise<Listener> {
  const onRequest = requestListener(handler, options);
  const http1 = createHttpServer({ keepAliveTimeout: 65_000 }, onRequest);
  const http2 = createHttp2Server({}, onRequest);
  const sniffer = createSniffingServer(isHttp2Preface, (socket, isHttp2) => {
    (isHttp2 ? http2 : http1).emit('connection', socket);
    // The sniff paused the socket; node:http only attaches listeners and would wait forever.
    socket.resume();
  });
  const close = () =>
    new Promise<void>((resolve) => {
      sniffer.server.close(() => resolve());
      http1.closeAllConnections();
      sniffer.destroyAll();
    });
  return listenOn(sniffer.server, options, close);
}

/**
 * True once the bytes complete the preface, false as soon as they diverge from it, undefined while a
 * split preface still matches. HTTP/1.1 diverges at the first byte ("GET", "POST" are not "PRI").
 */
function isHttp2Preface(seen: Buffer): boolean | undefined {
  const n = Math.min(seen.length, HTTP2_PREFACE.length);
  const matches = seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
  return matches && n < HTTP2_PREFACE.length ? undefined : matches;
}
