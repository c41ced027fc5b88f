import type { Clock, Timer } from '../../core/clock.ts';
import type { Distribution, LatencyOptions } from './latency-options.ts';

/**
 * The shapes of latency-options.ts turned into milliseconds. `draw` is the request's seeded uniform
 * source in [0, 1): the first token draws first, then each gap in order, so a run repeats. Fixed
 * values without jitter draw nothing.
 */

/** When the first chunk of a reply is due, in emulated ms from the request. */
export function firstTokenMs(latency: LatencyOptions, draw: () => number): number {
  const ttft = latency.timeToFirstTokenMs;
  return jittered(typeof ttft === 'number' ? ttft : sample(ttft, draw), latency.jitter, draw);
}

/**
 * The gap before a chunk of `tokens` tokens: a `gapMs` draw, else its tokens at `tokensPerSecond`;
 * then the jitter.
 */
export function chunkGapMs(tokens: number, latency: LatencyOptions, draw: () => number): number {
  const base = latency.gapMs ? sample(latency.gapMs, draw) : (tokens * 1000) / latency.tokensPerSecond;
  return jittered(base, latency.jitter, draw);
}

function jittered(ms: number, jitter: number | undefined, draw: () => number): number {
  return jitter ? ms * (1 + jitter * (2 * draw() - 1)) : ms;
}

/** z for the 99th percentile of the standard normal: a lognormal's sigma is ln(p99 / median) / Z_99. */
const Z_99 = 2.3263478740408408;

/** One draw from `d`, clamped to its bounds (min 0 by default: no negative gaps). */
export function sample(d: Distribution, draw: () => number): number {
  switch (d.distribution) {
    case 'uniform':
      return d.min + (d.max - d.min) * draw();
    case 'normal':
      return clamp(d.mean + d.stddev * standardNormal(draw), d.min, d.max);
    case 'lognormal':
      return clamp(d.median * Math.exp((Math.log(d.p99 / d.median) / Z_99) * standardNormal(draw)), d.min, d.max);
  }
}

/** Box-Muller from two uniform draws (1 - u keeps the log finite). */
function standardNormal(draw: () => number): number {
  const u = 1 - draw();
  const v = draw();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function clamp(ms: number, min = 0, max = Infinity): number {
  return Math.min(max, Math.max(min, ms));
}

/** Resolves after `emulatedMs` on the clock. */
export function delay(clock: Clock, emulatedMs: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(emulatedMs, resolve));
}

export interface TimedItem<T> {
  /** Emulated ms after `startedAt`. */
  atMs: number;
  value: T;
}

/** A stream that ends in a transport failure: the iterator rejects with `error` at `atMs`. */
export interface TimedFailure {
  atMs: number;
  error: Error;
}

/**
 * An async iterable that yields each item at its instant on the clock, then (with `fail`) rejects at
 * the failure's instant. `return()` (the listener calls it when the client goes away) cancels the
 * pending timer at once, unlike an async generator, whose `return` would wait for the timer it is
 * suspended on.
 */
export function timedIterable<T>(clock: Clock, startedAt: number, items: ReadonlyArray<TimedItem<T>>, fail?: TimedFailure): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let index = 0;
      let failed = !fail;
      let timer: Timer | undefined;
      let pending: ((result: IteratorResult<T>) => void) | undefined;
      const finish = (): IteratorResult<T> => ({ done: true, value: undefined });
      const at = (atMs: number, fn: () => void) => {
        const wait = startedAt + atMs - clock.now();
        // Already due (frames that share an instant, or a consumer that read late): no timer, no wait.
        if (wait <= 0) {
          pending = undefined;
          fn();
          return;
        }
        timer = clock.setTimer(wait, () => {
          pending = undefined;
          fn();
        });
      };
      return {
        next() {
          const item = items[index];
          if (!item) {
            if (failed) return Promise.resolve(finish());
            failed = true;
            return new Promise((resolve, reject) => {
              pending = resolve;
              at(fail!.atMs, () => reject(fail!.error));
            });
          }
          index++;
          return new Promise((resolve) => {
            pending = resolve;
            at(item.atMs, () => resolve({ done: false, value: item.value }));
          });
        },
        return() {
          index = items.length;
          failed = true;
          timer?.cancel();
          pending?.(finish());
          pending = undefined;
          return Promise.resolve(finish());
        },
      };
    },
  };
}
