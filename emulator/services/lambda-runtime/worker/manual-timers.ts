import { real } from './real-time.ts';

/**
 * Timers for a worker that follows a ManualClock: they fire only when the main thread says time moved
 * (`advanceTo`), each at its own instant, with the event loop turning between them so promise chains
 * started by one timer settle before the next fires, as the main thread's ManualClock does.
 */

const TIMEOUT_MAX = 2 ** 31 - 1;

type Callback = (...args: unknown[]) => void;

/** Node's delay coercion: anything that is not a number in [1, TIMEOUT_MAX] becomes 1. */
export function coerceDelay(delay: unknown): number {
  const d = Number(delay);
  return d >= 1 && d <= TIMEOUT_MAX ? d : 1;
}

/** A timer object with the surface of Node's `Timeout`, so handler code can keep and reuse it. */
export class ManualTimer {
  at = 0;
  seq = 0;
  private refed = true;

  constructor(
    private readonly timeline: Timeline,
    readonly id: number,
    readonly callback: Callback,
    readonly args: unknown[],
    readonly delay: number,
    readonly repeat: boolean,
  ) {}

  ref(): this {
    this.refed = true;
    return this;
  }

  unref(): this {
    this.refed = false;
    return this;
  }

  hasRef(): boolean {
    return this.refed;
  }

  /** As in Node, refreshing a timer that already fired re-arms it. */
  refresh(): this {
    this.timeline.arm(this);
    return this;
  }

  close(): this {
    this.timeline.cancel(this);
    return this;
  }

  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export class Timeline {
  private readonly timers = new Map<number, ManualTimer>();
  private nextId = 1;
  private seq = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(public now: number) {}

  add(callback: unknown, delay: unknown, args: unknown[], repeat: boolean): ManualTimer {
    if (typeof callback !== 'function') {
      throw Object.assign(new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`), { code: 'ERR_INVALID_ARG_TYPE' });
    }
    const timer = new ManualTimer(this, this.nextId++, callback as Callback, args, coerceDelay(delay), repeat);
    this.arm(timer);
    return timer;
  }

  arm(timer: ManualTimer): void {
    this.timers.set(timer.id, timer);
    timer.at = this.now + timer.delay;
    timer.seq = this.seq++;
  }

  cancel(timer: unknown): void {
    const found = timer instanceof ManualTimer ? timer : this.timers.get(Number(timer));
    if (found) this.timers.delete(found.id);
  }

  /** True while a ref'd timer is pending: the event loop is not empty, as far as the handler's code goes. */
  hasRefedTimers(): boolean {
    for (const timer of this.timers.values()) if (timer.hasRef()) return true;
    return false;
  }

  /** Queues a move to `target`; moves run one after another in the order the main thread sent them. */
  advanceTo(target: number): void {
    this.chain = this.chain.then(() => this.run(target));
  }

  private async run(target: number): Promise<void> {
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.now = Math.max(this.now, next.at);
      if (next.repeat) this.arm(next);
      else this.cancel(next);
      try {
        Reflect.apply(next.callback, next, next.args);
      } catch (error) {
        // A throwing timer callback is an uncaught exception, as it would be with Node's own timers.
        process.nextTick(() => {
          throw error;
        });
      }
      await new Promise((resolve) => real.setImmediate(resolve));
    }
    this.now = Math.max(this.now, target);
  }

  private nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers.values()) {
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
