import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/**
 * One port, two protocols: a net server that reads each connection's first bytes, lets `decide` pick
 * where it goes, puts the bytes back and hands the socket on. h2c-listener.ts (HTTP/2 preface or not)
 * and tls-sniff.ts (TLS handshake or not) are this with different first bytes.
 */
export interface SniffingServer {
  server: NetServer;
  /** Destroys every connection still open, sniffed or not (close() alone would wait for them). */
  destroyAll(): void;
  /** Remembers a socket made from an accepted one (a TLSSocket), so destroyAll ends it too. */
  track(socket: Socket): void;
}

/**
 * `decide` sees the bytes so far and returns a verdict, or undefined to wait for more. A connection
 * that closes before a verdict is destroyed; `route` runs with the socket paused at byte one.
 */
export function createSniffingServer<T>(decide: (seen: Buffer) => T | undefined, route: (socket: Socket, verdict: T) => void): SniffingServer {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createNetServer((socket) => {
    track(socket);
    peek(socket, decide).then(
      (verdict) => route(socket, verdict),
      () => socket.destroy(),
    );
  });
  return {
    server,
    track,
    destroyAll: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Reads until `decide` has a verdict, then pauses the socket and puts back what it read. */
function peek<T>(socket: Socket, decide: (seen: Buffer) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    let seen: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const verdict = decide(seen);
      if (verdict === undefined) return;
      done();
      socket.pause();
      socket.unshift(seen);
      resolve(verdict);
    };
    const onEnd = () => {
      done();
      reject(new Error('connection closed before its first bytes decided its protocol'));
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
