import { request as httpRequest, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import type { MemoryLog } from '../../../emulator/core/log.ts';
import type { Trace } from '../../../emulator/core/trace.ts';
import { listenHttp, type Listener } from '../../../emulator/gateway/http-listener.ts';
import { restApiOptionsSchema, type RestApiOptionsInput } from '../../../emulator/services/apigw-rest/options.ts';
import { createRestApi } from '../../../emulator/services/apigw-rest/router.ts';
import type { FunctionOptionsInput } from '../../../emulator/services/lambda-runtime/options.ts';
import type { LambdaRuntime } from '../../../emulator/services/lambda-runtime/runtime.ts';
import { testRuntime } from '../lambda-runtime/helpers.ts';

const HANDLERS = fileURLToPath(new URL('../../fixtures/apigw-rest-stream', import.meta.url));

export interface StreamHarness {
  clock: ManualClock;
  trace: Trace;
  log: MemoryLog;
  runtime: LambdaRuntime;
  /** `http://127.0.0.1:<port>/<stage>` */
  url: string;
  close(): Promise<void>;
}

/**
 * A REST API served over real HTTP by the gateway listener, its functions run by real Lambda workers
 * on a ManualClock: handlers wait on emulated time, so each test decides when their next write happens.
 * Functions get 900 s timeouts unless a test says otherwise; request ids are `req-1`, `req-2`, ...
 */
export async function startStreamApi(
  options: RestApiOptionsInput,
  functions: Record<string, FunctionOptionsInput>,
  extra: { limits?: Partial<Record<LimitName, number>> } = {},
): Promise<StreamHarness> {
  const clock = new ManualClock();
  const withTimeouts = Object.fromEntries(Object.entries(functions).map(([name, f]) => [name, { timeout: 900, ...f }]));
  const { runtime, trace, log } = testRuntime(withTimeouts, { clock, baseDir: HANDLERS, ...(extra.limits ? { limits: extra.limits } : {}) });
  const limits = resolveLimits(extra.limits);
  let n = 0;
  const api = createRestApi('chat', restApiOptionsSchema.parse(options), { clock, trace, log, limits, lambda: runtime, region: 'us-east-1', accountId: '123456789012' }, {
    ids: { requestId: () => `req-${++n}` },
  });
  const listener: Listener = await listenHttp(api, { host: '127.0.0.1', port: 0, maxBodyBytes: limits.restPayloadBytes, log });
  return {
    clock,
    trace,
    log,
    runtime,
    url: `${listener.url}${api.basePath}`,
    async close() {
      await listener.close();
      await runtime.close();
    },
  };
}

export interface Received {
  bytes: number;
  /** Emulated time when the client saw this many bytes. */
  at: number;
}

/** One HTTP/1.1 exchange read as it arrives: what the client holds at any moment, and how it ended. */
export class StreamClient {
  readonly response: Promise<IncomingMessage>;
  /** `complete` is false when the body was cut (connection closed before the terminating chunk). */
  readonly ended: Promise<{ complete: boolean }>;
  readonly chunks: Buffer[] = [];
  readonly arrivals: Received[] = [];
  private waiters: Array<{ bytes: number; resolve: () => void }> = [];
  private readonly req;

  constructor(url: string, clock: ManualClock, init: { method?: string; body?: string } = {}) {
    this.req = httpRequest(url, { method: init.method ?? 'GET', agent: false });
    let endedResolve!: (v: { complete: boolean }) => void;
    this.ended = new Promise((resolve) => (endedResolve = resolve));
    this.response = new Promise((resolve, reject) => {
      this.req.on('response', (res) => {
        res.on('data', (chunk: Buffer) => {
          this.chunks.push(chunk);
          this.arrivals.push({ bytes: this.bytes, at: clock.now() });
          this.waiters = this.waiters.filter((w) => (this.bytes >= w.bytes ? (w.resolve(), false) : true));
        });
        res.on('error', () => {});
        res.on('close', () => endedResolve({ complete: res.complete }));
        resolve(res);
      });
      this.req.on('error', reject);
    });
    this.req.end(init.body);
  }

  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.length, 0);
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Resolves once the client holds at least `bytes` body bytes. */
  received(bytes: number): Promise<void> {
    if (this.bytes >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bytes, resolve }));
  }

  /** The client goes away mid-response. */
  leave(): void {
    this.req.destroy();
  }
}

/** Header values by lower-case name, repeated headers kept in order. */
export function headersOf(res: IncomingMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < res.rawHeaders.length; i += 2) (out[res.rawHeaders[i]!.toLowerCase()] ??= []).push(res.rawHeaders[i + 1]!);
  return out;
}
