/**
 * Emulated time. Every limit, timer and timestamp in the emulator goes through a Clock, so one setting
 * (`timeScale`) compresses AWS's 29 s, 10 min and 2 h limits for gateway, Bedrock mock and handler code
 * alike, and tests can drive time by hand.
 *
 * `timeScale` is real seconds per emulated second: 0.01 makes 29 emulated seconds last 290 ms.
 */

export interface Timer {
  cancel(): void;
}

/** How handler code in a worker thread derives the same emulated time as the emulator. */
export type WorkerTimeSpec =
  | { mode: 'scaled'; timeScale: number; realBase: number; emulatedBase: number }
  | { mode: 'manual'; now: number };

export interface Clock {
  readonly timeScale: number;
  /** Emulated epoch milliseconds. */
  now(): number;
  /** Real epoch milliseconds (sub-millisecond precision), for traces and benchmarks. */
  realNow(): number;
  /** Runs `fn` once `emulatedMs` of emulated time have passed. */
  setTimer(emulatedMs: number, fn: () => void): Timer;
  /** The spec a worker thread needs to follow this clock. */
  workerTime(): WorkerTimeSpec;
  /** Manual clocks call this on every advance; scaled clocks never do. Returns an unsubscribe. */
  onAdvance(listener: (now: number) => void): () => void;
}

/** Real epoch milliseconds, sub-millisecond and monotonic (performance's clock, not Date's). */
export const realNow = (): number => performance.timeOrigin + performance.now();

export class ScaledClock implements Clock {
  readonly timeScale: number;
  private readonly realBase: number;
  private readonly emulatedBase: number;

  constructor(options: { timeScale?: number; start?: number } = {}) {
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${this.timeScale}`);
    this.realBase = realNow();
    this.emulatedBase = options.start ?? this.realBase;
  }

  now(): number {
    return this.emulatedBase + (realNow() - this.realBase) / this.timeScale;
  }

  realNow(): number {
    return realNow();
  }

  setTimer(emulatedMs: number, fn: () => void): Timer {
    const due = this.now() + Math.max(0, emulatedMs);
    let handle: NodeJS.Timeout;
    // Node may fire a timer early (libuv measures from the loop's cached time, stale by however long
    // the current callback ran), which at timeScale 0.01 is 100 emulated ms per real ms: re-arm for
    // what is left so a limit never fires before its emulated instant. Within one emulated ms counts
    // as on time: at scale 1 a re-armed timer would cost a whole extra wakeup to gain under a ms.
    const arm = (ms: number) => {
      handle = setTimeout(() => {
        const left = due - this.now();
        if (left >= 1) arm(left);
        else fn();
      }, ms * this.timeScale);
    };
    arm(Math.max(0, emulatedMs));
    return { cancel: () => clearTimeout(handle) };
  }

  workerTime(): WorkerTimeSpec {
    return { mode: 'scaled', timeScale: this.timeScale, realBase: this.realBase, emulatedBase: this.emulatedBase };
  }

  onAdvance(): () => void {
    return () => undefined;
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** 2026-01-01T00:00:00Z: a fixed instant so manual-clock tests see the same timestamps every run. */
export const MANUAL_CLOCK_START = Date.UTC(2026, 0, 1);

/**
 * A clock that moves only when told. `advance` fires due timers in order, each at its own instant, and
 * yields to the event loop between them so promise chains started by one timer settle before the next.
 */
export class ManualClock implements Clock {
  readonly timeScale = 1;
  private current: number;
  private seq = 0;
  private pending: PendingTimer[] = [];
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start: number = MANUAL_CLOCK_START) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  realNow(): number {
    return realNow();
  }

  setTimer(emulatedMs: number, fn: () => void): Timer {
    const timer: PendingTimer = { at: this.current + Math.max(0, emulatedMs), seq: this.seq++, fn };
    this.pending.push(timer);
    return { cancel: () => { this.pending = this.pending.filter((t) => t !== timer); } };
  }

  /** Moves time forward by `emulatedMs`, firing every timer that falls due on the way. */
  async advance(emulatedMs: number): Promise<void> {
    await this.advanceTo(this.current + emulatedMs);
  }

  async advanceTo(target: number): Promise<void> {
    // Work already in flight (a promise chain about to arm its next timer) gets to do so before time moves.
    await settle();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.pending = this.pending.filter((t) => t !== next);
      this.setNow(Math.max(this.current, next.at));
      next.fn();
      await settle();
    }
    this.setNow(Math.max(this.current, target));
    await settle();
  }

  /** Timers still waiting (for tests that assert nothing was left armed). */
  pendingCount(): number {
    return this.pending.length;
  }

  workerTime(): WorkerTimeSpec {
    return { mode: 'manual', now: this.current };
  }

  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private nextDue(target: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.pending) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }

  private setNow(now: number): void {
    if (now === this.current) return;
    this.current = now;
    for (const listener of this.listeners) listener(now);
  }
}

/** Lets pending promise reactions and I/O callbacks run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface PausableTimer extends Timer {
  pause(): void;
  resume(): void;
  /** Emulated ms spent paused so far (a pause still open counts up to now). */
  pausedMs(): number;
}

/**
 * A timer whose countdown can stop and restart. Gateways pause their integration timer while the
 * emulator itself starts an execution environment: that cost is the emulator's, not emulated time.
 */
export function pausableTimer(clock: Clock, emulatedMs: number, fn: () => void): PausableTimer {
  let remaining = emulatedMs;
  let startedAt = clock.now();
  let timer: Timer | undefined = clock.setTimer(remaining, fire);
  let done = false;
  let paused = 0;
  let pausedAt: number | undefined;
  function fire(): void {
    done = true;
    timer = undefined;
    fn();
  }
  return {
    pause() {
      if (!timer || done) return;
      timer.cancel();
      timer = undefined;
      pausedAt = clock.now();
      remaining -= pausedAt - startedAt;
    },
    resume() {
      if (timer || done) return;
      startedAt = clock.now();
      if (pausedAt !== undefined) paused += startedAt - pausedAt;
      pausedAt = undefined;
      timer = clock.setTimer(Math.max(0, remaining), fire);
    },
    cancel() {
      done = true;
      timer?.cancel();
      timer = undefined;
    },
    pausedMs: () => paused + (pausedAt === undefined ? 0 : clock.now() - pausedAt),
  };
}
