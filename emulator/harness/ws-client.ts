import WebSocket from 'ws';
import type { Endpoints } from '../core/endpoints.ts';
import { EmulatorError } from '../core/errors.ts';
import { realNow } from '../core/clock.ts';
import { ScenarioAssertionError, ScenarioNetworkError } from './errors.ts';
import { clip } from './http-client.ts';
import type { EmulatedTime } from './time.ts';

/** Every time here is in emulated milliseconds since `connect` was called (real ones against AWS). */
export interface WsFrame {
  text: string;
  at: number;
  /** The real clock's reading on arrival (as the trace's `realAt`), to line a frame up with the emulator's events. */
  realAt: number;
  /** Parses `text`; a frame that is not JSON fails the scenario with what it was. */
  json<T = unknown>(): T;
}

export interface WsClose {
  code: number;
  reason: string;
  at: number;
}

export interface WsConnectOptions {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Subprotocols offered in the upgrade (AppSync's `graphql-ws` and `header-…`). */
  protocols?: string[];
}

export interface WsConnection {
  readonly url: string;
  /** The subprotocol the server chose in its 101 ('' when none). */
  readonly protocol: string;
  /** When the upgrade completed (after `$connect` ran). */
  readonly openedAt: number;
  /** Text frames received so far, in order. */
  readonly frames: readonly WsFrame[];
  /** Set once the socket has closed, whichever side closed it. */
  readonly closeInfo: WsClose | undefined;
  /** Emulated ms since `connect` was called. */
  now(): number;
  /** A string is sent as is; anything else as JSON. One text frame. */
  send(data: string | object): void;
  /** One text message split into continuation frames of at most `frameBytes` (API Gateway: 32 KB a frame, 128 KB a message). */
  sendFragmented(text: string, frameBytes: number): Promise<void>;
  /** A protocol-level ping (control frame). */
  ping(): void;
  /** The first frame (already received or future) that matches; fails if the socket closes first. */
  waitFor(predicate: (frame: WsFrame) => boolean, what: string): Promise<WsFrame>;
  /** Resolves when the socket has closed, whichever side closed it. */
  closed(): Promise<WsClose>;
  /** Closes from the client's side and waits for the close handshake. */
  close(code?: number, reason?: string): Promise<WsClose>;
}

export interface WsClient {
  connect(api: string, options?: WsConnectOptions): Promise<WsConnection>;
  /** Opens any WebSocket URL (AppSync's real-time endpoints); `query` is not applied. */
  open(url: string, options?: WsConnectOptions): Promise<WsConnection>;
  /** The URL `connect` would open, for messages. */
  url(api: string, query?: Record<string, string>): string;
  /** Terminates every socket still open: the runner calls it when a scenario ends. */
  dispose(): void;
}

export function createWsClient(options: { endpoints: Endpoints; time: EmulatedTime; signal?: AbortSignal }): WsClient {
  const { endpoints, time, signal } = options;
  const sockets = new Set<WebSocket>();

  function url(api: string, query?: Record<string, string>): string {
    // `websocketApis.<name>.url` is the `ws(s)://…/<stage>` URL.
    const apis = endpoints.websocketApis ?? {};
    const endpoint = apis[api];
    if (!endpoint) {
      const known = Object.keys(apis);
      throw new EmulatorError(
        'ERR_SCENARIO',
        `Failed to find the WebSocket API "${api}" in the endpoints: it is not listed. Known websocketApis: ${known.length ? known.join(', ') : '(none)'}; add it to the endpoints file.`,
      );
    }
    const search = query && Object.keys(query).length ? `?${new URLSearchParams(query)}` : '';
    return `${endpoint.url}${search}`;
  }

  function connect(api: string, connectOptions: WsConnectOptions = {}): Promise<WsConnection> {
    return open(url(api, connectOptions.query), connectOptions);
  }

  async function open(target: string, connectOptions: WsConnectOptions = {}): Promise<WsConnection> {
    const start = realNow();
    const elapsed = () => time.emulatedMs(start, realNow());
    const socket = new WebSocket(target, connectOptions.protocols ?? [], { headers: connectOptions.headers });
    sockets.add(socket);
    const frames: WsFrame[] = [];
    const waiters = new Set<() => void>();
    let closeInfo: WsClose | undefined;
    const notify = () => waiters.forEach((w) => w());

    socket.on('message', (data, isBinary) => {
      const text = isBinary ? `(binary, ${(data as Buffer).length} bytes)` : data.toString();
      const realAt = realNow();
      frames.push(frame(text, time.emulatedMs(start, realAt), realAt));
      notify();
    });
    const closedPromise = new Promise<WsClose>((resolve) => {
      socket.once('close', (code, reason) => {
        sockets.delete(socket);
        closeInfo = { code, reason: reason.toString(), at: elapsed() };
        resolve(closeInfo);
        notify();
      });
    });
    // After the upgrade an 'error' is always followed by 'close', which is what callers watch.
    socket.on('error', () => undefined);

    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => fail(error.message, error);
      const onResponse = (_req: unknown, res: { statusCode?: number }) => fail(`the upgrade was answered with HTTP ${res.statusCode}`);
      const onAbort = () => fail('the scenario ran out of time');
      const settle = () => {
        socket.off('error', onError);
        socket.off('unexpected-response', onResponse);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (cause: string, error?: unknown) => {
        settle();
        sockets.delete(socket);
        socket.terminate();
        reject(new ScenarioNetworkError(`Failed to open ${target}: ${cause}. Check that the WebSocket API is up and its $connect accepts the connection.`, { cause: error }));
      };
      socket.once('open', () => {
        settle();
        resolve();
      });
      socket.once('unexpected-response', onResponse);
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    const openedAt = elapsed();

    function waitFor(predicate: (f: WsFrame) => boolean, what: string): Promise<WsFrame> {
      return new Promise((resolve, reject) => {
        let index = 0;
        const check = () => {
          for (; index < frames.length; index++) {
            if (predicate(frames[index]!)) return done(() => resolve(frames[index]!));
          }
          if (signal?.aborted) return done(() => reject(signal.reason));
          if (closeInfo) {
            const c = closeInfo;
            const seen = frames.map((f) => clip(f.text, 120));
            return done(() =>
              reject(new ScenarioAssertionError(`Expected ${what} on ${target}, but the socket closed (${c.code} ${JSON.stringify(c.reason)}) after ${frames.length} frames: ${JSON.stringify(seen.slice(-5))}`, what, seen)),
            );
          }
        };
        const onAbort = () => check();
        const done = (settle: () => void) => {
          waiters.delete(check);
          signal?.removeEventListener('abort', onAbort);
          settle();
        };
        waiters.add(check);
        signal?.addEventListener('abort', onAbort, { once: true });
        check();
      });
    }

    return {
      url: target,
      protocol: socket.protocol,
      openedAt,
      frames,
      get closeInfo() {
        return closeInfo;
      },
      now: elapsed,
      send(data) {
        socket.send(typeof data === 'string' ? data : JSON.stringify(data));
      },
      async sendFragmented(text, frameBytes) {
        const bytes = Buffer.from(text);
        for (let offset = 0; offset < bytes.length; offset += frameBytes) {
          const part = bytes.subarray(offset, offset + frameBytes);
          const fin = offset + frameBytes >= bytes.length;
          await new Promise<void>((resolve, reject) => socket.send(part, { binary: false, fin }, (error) => (error ? reject(error) : resolve())));
        }
      },
      ping: () => socket.ping(),
      waitFor,
      closed: () => closedPromise,
      close(code = 1000, reason = '') {
        if (socket.readyState === WebSocket.OPEN) socket.close(code, reason);
        return closedPromise;
      },
    };
  }

  return {
    connect,
    open,
    url,
    dispose() {
      for (const socket of sockets) socket.terminate();
      sockets.clear();
    },
  };
}

function frame(text: string, at: number, realAt: number): WsFrame {
  return {
    text,
    at,
    realAt,
    json<T>(): T {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ScenarioAssertionError(`Expected a JSON frame, got ${JSON.stringify(clip(text))}`, 'JSON', text);
      }
    },
  };
}
