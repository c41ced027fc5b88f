import type { Clock, Timer } from '../../core/clock.ts';
import type { LatencyOptions } from './options.ts';

/**
 * The gap before a chunk of `tokens` tokens: its tokens at `tokensPerSecond`. `draw` is the seeded
 * uniform source later latency shapes (jitter, distributions) take their randomness from.
 */
export function chunkGapMs(tokens: number, latency: LatencyOptions, _draw: () => number): number {
  return (tokens * 1000) / latency.tokensPerSecond;
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

/**
 * An async iterable that yields each item at its instant on the clock. `return()` (the listener calls
 * it when the client goes away) cancels the pending timer at once, unlike an async generator, whose
 * `return` would wait for the timer it is suspended on.
 */
export function timedIterable<T>(clock: Clock, startedAt: number, items: ReadonlyArray<TimedItem<T>>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let index = 0;
      let timer: Timer | undefined;
      let pending: ((result: IteratorResult<T>) => void) | undefined;
      const finish = (): IteratorResult<T> => ({ done: true, value: undefined });
      return {
        next() {
          const item = items[index];
          if (!item) return Promise.resolve(finish());
          index++;
          return new Promise((resolve) => {
            pending = resolve;
            timer = clock.setTimer(startedAt + item.atMs - clock.now(), () => {
              pending = undefined;
              resolve({ done: false, value: item.value });
            });
          });
        },
        return() {
          index = items.length;
          timer?.cancel();
          pending?.(finish());
          pending = undefined;
          return Promise.resolve(finish());
        },
      };
    },
  };
}
