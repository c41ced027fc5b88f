import { connect, type Socket } from 'node:net';
import { build, type Histogram } from 'hdr-histogram-js';
import WebSocket from 'ws';

/**
 * The WebSocket load generator: raw `ws` clients (no permessage-deflate, which API Gateway does not
 * negotiate either) and keep-alive HTTP posts to a `@connections`-shaped endpoint, the way Lambda
 * functions post to API Gateway: one stream per connection, one post at a time, in order.
 * Posts go over raw keep-alive TCP sockets (poster below): node:http's client costs ~100 us a
 * request, which made this process, not the servers, the bottleneck (measured: ~6,000 posts/s).
 */
export interface Opened {
  sockets: WebSocket[];
  ms: number;
  failed: number;
  firstError: string | undefined;
}

function openOne(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      socket.terminate();
      reject(new Error(`upgrade answered ${res.statusCode}`));
    });
    socket.on('error', (error) => reject(error));
  });
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
async function pool<T>(items: number, concurrency: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items) }, async () => {
    while (next < items) await task(next++);
  }));
}

/** Opens `count` sockets, `concurrency` handshakes at a time (each handshake may run a `$connect` Lambda). */
export async function openMany(url: string, count: number, concurrency: number): Promise<Opened> {
  const started = performance.now();
  const sockets: WebSocket[] = [];
  let failed = 0;
  let firstError: string | undefined;
  await pool(count, concurrency, async () => {
    try {
      sockets.push(await openOne(url));
    } catch (error) {
      failed++;
      firstError ??= (error as Error).message;
    }
  });
  return { sockets, ms: performance.now() - started, failed, firstError };
}

/** Asks each socket for its connection id (a two-way `whoami` route), `concurrency` at a time. */
export async function connectionIds(sockets: WebSocket[], concurrency: number): Promise<string[]> {
  const ids: string[] = new Array(sockets.length);
  await pool(sockets.length, concurrency, (i) => new Promise<void>((resolve) => {
    sockets[i]!.once('message', (data) => {
      ids[i] = data.toString();
      resolve();
    });
    sockets[i]!.send('{"action":"whoami"}');
  }));
  return ids;
}

export async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => {
    if (s.readyState === WebSocket.CLOSED) return resolve();
    s.once('close', () => resolve());
    s.terminate();
  })));
}

export interface Delivery {
  delivered: number;
  expected: number;
  seconds: number;
  /** Post-to-receive, microseconds: from the post's start in this process to the frame's arrival here. */
  latency: Histogram;
  postErrors: number;
  firstError: string | undefined;
  outOfOrder: number;
  clientCpuUs: number;
}

const TEXT = 'Hello there ';

/**
 * Every connection gets a `chunks`-frame stream through `connections`: sequential posts, one every
 * `gapMs` (0: back to back), stream starts spread over one gap so they do not post in lockstep.
 */
export async function deliver(connections: string, sockets: WebSocket[], ids: string[], options: { chunks: number; gapMs: number; timeoutMs: number }): Promise<Delivery> {
  const base = new URL(connections);
  const latency = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  const expected = sockets.length * options.chunks;
  let delivered = 0;
  let outOfOrder = 0;
  let postErrors = 0;
  let firstError: string | undefined;
  let lastAt = 0;
  let allIn!: () => void;
  const arrived = new Promise<void>((resolve) => (allIn = resolve));
  const listeners = sockets.map((socket) => {
    let last = -1;
    const onMessage = (data: WebSocket.RawData) => {
      const now = performance.now();
      const frame = JSON.parse(data.toString()) as { seq: number; t: number };
      latency.recordValue(Math.max(1, Math.round((now - frame.t) * 1000)));
      if (frame.seq !== last + 1) outOfOrder++;
      last = frame.seq;
      lastAt = now;
      if (++delivered === expected) allIn();
    };
    socket.on('message', onMessage);
    return () => socket.off('message', onMessage);
  });

  const failed = (message: string) => {
    postErrors++;
    firstError ??= message;
  };
  const posters: Poster[] = new Array(ids.length);
  await pool(ids.length, 64, async (i) => {
    posters[i] = await poster(base, failed);
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const streams = ids.map(async (id, i) => {
    const path = `${base.pathname}/${encodeURIComponent(id)}`;
    const offset = options.gapMs * (i / ids.length);
    for (let seq = 0; seq < options.chunks; seq++) {
      const ahead = started + offset + seq * options.gapMs - performance.now();
      if (ahead > 1) await wait(ahead);
      await posters[i]!.post(path, `{"type":"chunk","text":"${TEXT}","seq":${seq},"t":${performance.now()}}`);
    }
  });
  await Promise.all(streams);
  await Promise.race([arrived, wait(options.timeoutMs)]);
  const clientCpu = process.cpuUsage(cpu);
  listeners.forEach((off) => off());
  posters.forEach((p) => p.close());
  return { delivered, expected, seconds: ((lastAt || performance.now()) - started) / 1000, latency, postErrors, firstError, outOfOrder, clientCpuUs: clientCpu.user + clientCpu.system };
}

interface Poster {
  post(path: string, body: string): Promise<void>;
  close(): void;
}

/**
 * One keep-alive HTTP/1.1 connection posting one request at a time, as a Lambda's SDK client does.
 * Reads just enough of each response (status line, content-length, body) to know it is complete.
 */
function poster(base: URL, failed: (message: string) => void): Promise<Poster> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(base.port), base.hostname);
    socket.setNoDelay(true);
    let buffered = '';
    let done: (() => void) | undefined;
    socket.on('data', (data) => {
      buffered += data.toString('latin1');
      for (;;) {
        const head = buffered.indexOf('\r\n\r\n');
        if (head === -1) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, head))?.[1] ?? 0);
        if (buffered.length < head + 4 + length) return;
        const status = buffered.slice(9, 12);
        if (status !== '200') failed(`HTTP ${status}`);
        buffered = buffered.slice(head + 4 + length);
        const settle = done;
        done = undefined;
        settle?.();
      }
    });
    socket.once('error', (error) => {
      failed(error.message);
      done?.();
      reject(error);
    });
    socket.once('connect', () =>
      resolve({
        post(path, body) {
          return new Promise<void>((settle) => {
            done = settle;
            socket.write(`POST ${path} HTTP/1.1\r\nhost: ${base.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
          });
        },
        close: () => socket.destroy(),
      }),
    );
  });
}
