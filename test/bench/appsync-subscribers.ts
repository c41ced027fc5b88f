import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type WebSocket from 'ws';
import { pool, subscriber, wallNow, type AppSyncTarget } from './appsync-load.ts';

/**
 * Subscribers in a process of their own, so the receiving side's CPU (ws frame decoding for 1,000
 * sockets) can be spread over processes and measured apart from the process that sends mutations.
 * Each data frame's arrival is stamped on the machine-wide clock (wallNow) before anything else; the
 * frame is parsed only when the parent collects, outside the measured window.
 */
export interface Received {
  /** Arrival of each data frame, wallNow() ms. */
  times: number[];
  /** `seq` of each data frame's chunk, in the same order. */
  seqs: number[];
  conversationIds: string[];
  /** This process's CPU since the last collect, microseconds. */
  cpuUs: number;
}

type Request = { type: 'open'; target: AppSyncTarget; count: number; conversationId: string } | { type: 'wait'; count: number; timeoutMs: number } | { type: 'close' };
type Reply = { type: 'opened'; failed: number; firstError?: string } | ({ type: 'received' } & Received);

const DATA_PREFIX = '{"type":"data"';

function serve(): void {
  const sockets: WebSocket[] = [];
  let times: number[] = [];
  let frames: Buffer[] = [];
  let wanted = Infinity;
  let enough: (() => void) | undefined;
  let cpu = process.cpuUsage();
  const send = (reply: Reply) => process.send!(reply);
  const onData = (data: Buffer) => {
    const at = wallNow();
    if (data.toString('latin1', 0, DATA_PREFIX.length) !== DATA_PREFIX) return;
    times.push(at);
    frames.push(data);
    if (frames.length >= wanted) enough?.();
  };
  process.on('message', (request: Request) => {
    if (request.type === 'open') {
      let failed = 0;
      let firstError: string | undefined;
      void pool(request.count, 16, async () => {
        try {
          const reader = await subscriber(request.target, request.conversationId);
          reader.ws.removeAllListeners('message');
          reader.ws.on('message', onData);
          sockets.push(reader.ws);
        } catch (error) {
          failed++;
          firstError ??= (error as Error).message;
        }
      }).then(() => send({ type: 'opened', failed, ...(firstError ? { firstError } : {}) }));
    } else if (request.type === 'wait') {
      wanted = request.count;
      const timer = setTimeout(() => enough?.(), request.timeoutMs);
      void new Promise<void>((resolve) => {
        enough = resolve;
        if (frames.length >= wanted) resolve();
      }).then(() => {
        clearTimeout(timer);
        enough = undefined;
        wanted = Infinity;
        const used = process.cpuUsage(cpu);
        const parsed = frames.map((f) => (JSON.parse(f.toString('utf8')) as { payload: { data: { onChunk: { seq: number; conversationId: string } } } }).payload.data.onChunk);
        send({ type: 'received', times, seqs: parsed.map((c) => c.seq), conversationIds: parsed.map((c) => c.conversationId), cpuUs: used.user + used.system });
        times = [];
        frames = [];
        cpu = process.cpuUsage();
      });
    } else {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
}

/** The parent's handle on one subscriber process; one request at a time. */
export class SubscriberGroup {
  private constructor(private readonly child: ChildProcess) {}

  static spawn(): SubscriberGroup {
    return new SubscriberGroup(fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  private async ask<T extends Reply['type']>(request: Request, type: T): Promise<Extract<Reply, { type: T }>> {
    // The exit listener goes when the answer comes (an aborted `once` rejects, and the race has settled).
    const listening = new AbortController();
    const reply = once(this.child, 'message') as Promise<[Reply]>;
    const died = once(this.child, 'exit', { signal: listening.signal }).then(([code]) => {
      throw new Error(`Failed to drive a subscriber process: it exited with ${String(code)} during ${request.type}. See its output above.`);
    });
    this.child.send(request);
    const [answer] = await Promise.race([reply, died]).finally(() => listening.abort());
    if (answer.type !== type) throw new Error(`Failed to drive a subscriber process: it answered ${answer.type} to ${request.type}. This is a bench bug.`);
    return answer as Extract<Reply, { type: T }>;
  }

  open(target: AppSyncTarget, count: number, conversationId: string) {
    return this.ask({ type: 'open', target, count, conversationId }, 'opened');
  }

  /** Resolves once `count` data frames arrived since the last call (or `timeoutMs` passed) with what came. */
  wait(count: number, timeoutMs: number): Promise<Received> {
    return this.ask({ type: 'wait', count, timeoutMs }, 'received');
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.send({ type: 'close' });
    await exited;
  }
}

if (process.argv.includes('--serve')) serve();
