import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, type Socket } from 'node:net';
import { listenOn, requestListener, type ListenOptions, type Listener, type RequestHandler } from './http-listener.ts';

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
  const sockets = new Set<Socket>();
  const sniffer = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    sniff(socket).then(
      (isHttp2) => {
        (isHttp2 ? http2 : http1).emit('connection', socket);
        // The sniff paused the socket; node:http only attaches listeners and would wait forever.
        socket.resume();
      },
      () => socket.destroy(),
    );
  });
  const close = () =>
    new Promise<void>((resolve) => {
      sniffer.close(() => resolve());
      http1.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
  return listenOn(sniffer, options, close);
}

/**
 * Reads until the bytes seen either diverge from the preface or complete it, then puts them back so
 * the chosen server parses the connection from its first byte. HTTP/1.1 diverges at the first byte
 * ("GET", "POST" are not "PRI"), so only a split preface waits for more; a client that closes first
 * ends the sniff.
 */
function sniff(socket: Socket): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, HTTP2_PREFACE.length);
      const matches = seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
      if (matches && n < HTTP2_PREFACE.length) return;
      done();
      socket.pause();
      socket.unshift(seen);
      resolve(matches);
    };
    const onEnd = () => {
      done();
      reject(new Error('connection closed before its first request'));
    };
    const done = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onEnd);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}
