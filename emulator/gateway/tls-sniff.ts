import type { Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { listenOn, type ListenOptions, type Listener } from './http-listener.ts';

/** A TLS record's first byte when it carries a handshake (RFC 8446 5.1): every TLS connection opens with one. */
export const TLS_HANDSHAKE = 0x16;

export interface TlsCredentials {
  /** PEM private key of the server certificate. */
  key: string;
  /** PEM server certificate (core/local-ca.ts makes one for localhost). */
  cert: string;
}

/**
 * Serves one port in both TLS and cleartext for a plain node:http server, requests and WebSocket
 * upgrades alike: `https://`/`wss://` clients (an AWS SDK built from `https://${domainName}`, Amplify)
 * and `http://`/`ws://` ones reach the same server. Each connection's first byte decides: a TLS
 * handshake is decrypted by a TLSSocket, which the server then reads as if it had accepted it;
 * anything else goes to the server as it is. The server never knows which one the client spoke, but a
 * request's `socket.encrypted` tells. HTTP/2 over TLS is not offered (ALPN says http/1.1 only).
 */
export async function listenTlsAndPlain(server: HttpServer, credentials: TlsCredentials, options: Pick<ListenOptions, 'host' | 'port'>): Promise<Listener> {
  const secureContext = createSecureContext({ key: credentials.key, cert: credentials.cert });
  // Every accepted socket until it closes: close() ends them, the http server's own list knows only
  // those that reached it, and a TLSSocket does not close the socket it wraps.
  const sockets = new Set<Socket>();
  const sniffer = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    firstByte(socket).then(
      (byte) => {
        if (byte !== TLS_HANDSHAKE) {
          server.emit('connection', socket);
          // The sniff paused the socket; node:http only attaches listeners and would wait forever.
          socket.resume();
          return;
        }
        // The TLSSocket reads the byte put back, then the rest of the handshake, from `socket`.
        const secure = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
        sockets.add(secure);
        secure.once('close', () => {
          sockets.delete(secure);
          socket.destroy();
        });
        server.emit('connection', secure);
      },
      () => socket.destroy(),
    );
  });
  const close = () =>
    new Promise<void>((resolve) => {
      sniffer.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
  return listenOn(sniffer, options, close);
}

/** Waits for the connection's first bytes and puts them back, so whoever reads next starts from byte one. */
function firstByte(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      done();
      socket.pause();
      socket.unshift(chunk);
      resolve(chunk[0]!);
    };
    const onEnd = () => {
      done();
      reject(new Error('connection closed before its first byte'));
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
