import { availableParallelism } from 'node:os';
import { realNow, type Timer } from '../../core/clock.ts';
import { afterRealMs } from '../../core/real-timer.ts';
import type { FunctionState, Started } from './cold-start.ts';
import type { ExecutionEnvironment } from './execution-environment.ts';

/**
 * Which execution environment an invocation runs in. Lambda starts one environment per concurrent
 * request; a laptop cannot afford a worker thread per connection of a load test (measured: 50
 * connections made 50 workers and 2 GB). So a function's invocations first wait for one of its busy
 * environments, and another starts only when every running one has been on the same invocation for
 * GROW_AFTER_REAL_MS: bursts of short invocations share a few warm environments, long ones (a model
 * call, a 31 s wait) each get their own. "Stuck" rather than "waited long" is the signal: on a loaded
 * machine one instant invocation can stall for 10-15 ms (measured: GC, scheduling), and must not grow
 * the pool.
 *
 * The wait is the emulator's cost, not AWS's: callers pause their emulated timers through it, exactly
 * as during a cold start. Concurrency limits count invocations, not environments, so throttling is
 * unchanged.
 */
export const GROW_AFTER_REAL_MS = 50;
/** At most this many environments of one function start at once (each start is ~300 ms of CPU). */
export const MAX_PARALLEL_STARTS = 4;
/**
 * Up to this many environments also start on queue pressure alone (QUEUE_GROW_DEPTH waiting): one
 * environment serialises invocations at one cross-thread round trip each (~100 us measured), so a burst
 * of instant ones needs a few in parallel to keep the main thread busy. One per core.
 */
export const POOL_FLOOR = Math.max(2, availableParallelism());
export const QUEUE_GROW_DEPTH = 2;

export type Grant = { kind: 'warm'; env: ExecutionEnvironment } | { kind: 'cold'; started: Started } | { kind: 'closed' };

interface Waiter {
  requestId: string;
  grant(grant: Grant): void;
  timer: Timer;
}

export interface SchedulerState {
  waiting: Waiter[];
  starting: number;
}

/** Real time, injectable so tests drive the growth rule without waiting. */
export interface SchedulerTime {
  after(ms: number, fn: () => void): Timer;
  now(): number;
}

const REAL_TIME: SchedulerTime = { after: afterRealMs, now: realNow };

export class Scheduler {
  private readonly state = new Map<FunctionState, SchedulerState>();

  constructor(
    private readonly start: (fn: FunctionState, requestId: string) => Promise<Started>,
    private readonly time: SchedulerTime = REAL_TIME,
  ) {}

  /** An environment for one invocation: a warm one, a new one, or the next one to come free. */
  acquire(fn: FunctionState, requestId: string): Promise<Grant> | Grant {
    const env = fn.idle.pop();
    if (env) return { kind: 'warm', env };
    const s = this.of(fn);
    if (fn.live.size === 0) return this.startFor(fn, s, requestId);
    if (s.waiting.length + 1 >= QUEUE_GROW_DEPTH && fn.live.size < POOL_FLOOR && s.starting === 0) return this.startFor(fn, s, requestId);
    return new Promise<Grant>((grant) => {
      const waiter: Waiter = { requestId, grant, timer: this.time.after(GROW_AFTER_REAL_MS, () => this.grow(fn)) };
      s.waiting.push(waiter);
    });
  }

  /** An environment finished an invocation and stays warm: the longest waiter gets it, else the pool. */
  release(fn: FunctionState, env: ExecutionEnvironment): void {
    const waiter = this.of(fn).waiting.shift();
    if (!waiter) {
      fn.idle.push(env);
      return;
    }
    waiter.timer.cancel();
    waiter.grant({ kind: 'warm', env });
  }

  /** An environment went away: if nothing is left to serve the waiters, start one now. */
  discarded(fn: FunctionState): void {
    if (fn.live.size === 0 && this.of(fn).waiting.length > 0) this.grow(fn, true);
  }

  close(): void {
    for (const s of this.state.values()) {
      for (const waiter of s.waiting.splice(0)) {
        waiter.timer.cancel();
        waiter.grant({ kind: 'closed' });
      }
    }
  }

  private grow(fn: FunctionState, now = false): void {
    const s = this.of(fn);
    if (s.waiting.length === 0 || (!now && s.starting >= MAX_PARALLEL_STARTS)) return;
    if (!now && !allStuck(fn, this.time.now())) {
      this.rearm(fn, s);
      return;
    }
    // The invocation that has waited longest gets the new environment (and its cold start).
    const waiter = s.waiting.shift()!;
    waiter.timer.cancel();
    void Promise.resolve(this.startFor(fn, s, waiter.requestId)).then(waiter.grant);
  }

  private async startFor(fn: FunctionState, s: SchedulerState, requestId: string): Promise<Grant> {
    s.starting++;
    try {
      return { kind: 'cold', started: await this.start(fn, requestId) };
    } finally {
      s.starting--;
      // Waiters whose growth timer fired while starts were at their cap get their turn now.
      if (s.waiting.length > 0 && s.starting < MAX_PARALLEL_STARTS) this.rearm(fn, s);
    }
  }

  private rearm(fn: FunctionState, s: SchedulerState): void {
    const head = s.waiting[0]!;
    head.timer.cancel();
    head.timer = this.time.after(GROW_AFTER_REAL_MS, () => this.grow(fn));
  }

  private of(fn: FunctionState): SchedulerState {
    let s = this.state.get(fn);
    if (!s) this.state.set(fn, (s = { waiting: [], starting: 0 }));
    return s;
  }
}

/** Every environment running an invocation has been on it for GROW_AFTER_REAL_MS (starting ones are spoken for). */
function allStuck(fn: FunctionState, now: number): boolean {
  for (const env of fn.live) {
    if (env.busySince !== undefined && now - env.busySince < GROW_AFTER_REAL_MS) return false;
  }
  return true;
}
