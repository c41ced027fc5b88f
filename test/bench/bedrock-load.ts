import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { build, type Histogram } from 'hdr-histogram-js';
import { CLOCK_TICKS_PER_S, cpuMicros } from './process.ts';

/**
 * The Bedrock load generator: per-stream timings against the configured pacing, and closed-loop
 * load with a ramp, a warm-up and a measured window. The clients are in bedrock-clients.ts.
 */
export const PACING = { ttftMs: 400, tokensPerSecond: 50, charsPerToken: 4 };

const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });

/** Timings of every stream, plus the counts that fall inside the measured window. */
export class StreamStats {
  readonly ttftError = histogram();
  readonly gapError = histogram();
  readonly latency = histogram();
  from = Infinity;
  to = Infinity;
  completed = 0;
  chunks = 0;
  failed = 0;
  firstError: string | undefined;

  begin(): StreamTimer {
    return new StreamTimer(this);
  }

  inWindow(at: number): boolean {
    return at >= this.from && at < this.to;
  }

  fail(error: unknown): void {
    this.failed++;
    this.firstError ??= `${(error as Error).name}: ${(error as Error).message}`.slice(0, 160);
  }
}

/**
 * Errors are recorded in microseconds: |measured - what the pacing says|, for the streams that start
 * inside the window (the ramp's are warm-up); chunks and completions count wherever the stream began.
 */
export class StreamTimer {
  private readonly started = performance.now();
  private readonly measured: boolean;
  private last: number | undefined;

  constructor(private readonly stats: StreamStats) {
    this.measured = stats.inWindow(this.started);
  }

  /** A contentBlockDelta of `chars` characters arrived: a chunk of ceil(chars / 4) tokens is due n/50 s after the previous one. */
  delta(chars: number): void {
    const now = performance.now();
    if (this.stats.inWindow(now)) this.stats.chunks++;
    if (this.measured && this.last === undefined) this.stats.ttftError.recordValue(Math.round(Math.abs(now - this.started - PACING.ttftMs) * 1000));
    if (this.measured && this.last !== undefined) {
      const expected = (Math.ceil(chars / PACING.charsPerToken) * 1000) / PACING.tokensPerSecond;
      this.stats.gapError.recordValue(Math.round(Math.abs(now - this.last - expected) * 1000));
    }
    this.last = now;
  }

  end(): void {
    const now = performance.now();
    if (this.measured) this.stats.latency.recordValue(Math.round((now - this.started) * 1000));
    if (this.stats.inWindow(now)) this.stats.completed++;
  }
}

/** One request against a server: resolves when it has completed, feeding `timer`. */
export type Caller = (timer: StreamTimer) => Promise<void>;

export interface LoadWindow {
  stats: StreamStats;
  seconds: number;
  /** CPU the server process used inside the window, in microseconds. */
  serverCpuUs: number;
  /** This process's CPU inside the window, as a share of one core. */
  clientCpuShare: number;
  /** This process's event-loop delay p99 inside the window (ms): how late the load generator itself ran. */
  clientLoopDelayP99Ms: number;
  /** CPU used by every other process on the machine inside the window, as a share of one core (noise). */
  otherCpuShare: number;
}

export interface LoadOptions {
  concurrency: number;
  /** Callers start evenly over this long: a stream's length, so the load is smooth rather than in waves. */
  rampMs: number;
  /** After the ramp, before the window opens: JIT, connections and the clients' caches warm up. */
  warmMs: number;
  measureMs: number;
  serverPid: number;
}

/** Busy time of the whole machine so far, in microseconds (all CPUs, from /proc/stat). */
export function machineBusyMicros(): number {
  const fields = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = fields.reduce((s, v, i) => (i === 3 || i === 4 ? s : s + v), 0) - (fields[8] ?? 0) - (fields[9] ?? 0);
  return (busy * 1e6) / CLOCK_TICKS_PER_S;
}

interface Sample {
  at: number;
  server: number;
  client: NodeJS.CpuUsage;
  machine: number;
}

/**
 * `concurrency` callers, each calling again as soon as its call ends. The window opens after the ramp
 * and the warm-up, lasts `measureMs`, and counts what completes inside it; calls in flight at its end
 * are drained (and timed, if they started inside it).
 */
export async function closedLoop(call: Caller, options: LoadOptions): Promise<LoadWindow> {
  const stats = new StreamStats();
  const { concurrency, rampMs, warmMs, measureMs, serverPid } = options;
  const stopAt = performance.now() + rampMs + warmMs + measureMs;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const sample = (): Sample => ({ at: performance.now(), server: cpuMicros(serverPid), client: process.cpuUsage(), machine: machineBusyMicros() });
  const after = <T>(ms: number, f: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(f()), ms));
  const window = after(rampMs + warmMs, () => {
    const start = sample();
    stats.from = start.at;
    loopDelay.enable();
    return after(measureMs, () => {
      const end = sample();
      stats.to = end.at;
      loopDelay.disable();
      return [start, end] as const;
    });
  });
  const worker = async (index: number) => {
    await new Promise((r) => setTimeout(r, (index * rampMs) / concurrency));
    while (performance.now() < stopAt) {
      try {
        await call(stats.begin());
      } catch (error) {
        stats.fail(error);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const [[start, end]] = await Promise.all([window, ...Array.from({ length: concurrency }, (_, i) => worker(i))]);
  const seconds = (end.at - start.at) / 1000;
  const serverCpuUs = end.server - start.server;
  const clientUs = end.client.user - start.client.user + end.client.system - start.client.system;
  return {
    stats,
    seconds,
    serverCpuUs,
    clientCpuShare: clientUs / 1e6 / seconds,
    // The histogram holds whole 1 ms sampling intervals: the lateness is what exceeds them.
    clientLoopDelayP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - 1),
    otherCpuShare: Math.max(0, end.machine - start.machine - serverCpuUs - clientUs) / 1e6 / seconds,
  };
}
