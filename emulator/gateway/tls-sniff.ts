import type { Server as HttpServer } from 'node:http';
import { createSecureContext, TLSSocket } from 'node:tls';
import { listenOn, type ListenOptions, type Listener } from './http-listener.ts';
import { createSniffingServer } from './sniff.ts';

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
  const sniffer = createSniffingServer(
    (seen) => seen[0] === TLS_HANDSHAKE,
    (socket, tls) => {
      if (!tls) {
        server.emit('connection', socket);
        // The sniff paused the socket; node:http only attaches listeners and would wait forever.
        socket.resume();
        return;
      }
      // The TLSSocket reads the bytes put back, then the rest of the handshake, from `socket`; it does
      // not close the socket it wraps, so closing one closes the other, and close() ends both.
      const secure = new TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
      sniffer.track(secure);
      secure.once('close', () => socket.destroy());
      server.emit('connection', secure);
    },
  );
  const close = () =>
    new Promise<void>((resolve) => {
      sniffer.server.close(() => resolve());
      server.closeAllConnections();
      sniffer.destroyAll();
    });
  return listenOn(sniffer.server, options, close);
}
