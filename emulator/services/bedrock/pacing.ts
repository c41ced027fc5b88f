import type { Clock, Timer } from '../../core/clock.ts';
import type { LatencyOptions } from './options.ts';

/** A piece of the reply and when, after the request arrived, it is due (emulated ms). */
export interface PacedChunk {
  text: string;
  tokens: number;
  atMs: number;
}

/**
 * Splits a reply into chunks of `tokensPerChunk` tokens (CHARS_PER_TOKEN characters each, the rule of
 * tokens.ts) and times them: the first after the time to first token, each next one after its own
 * tokens at `tokensPerSecond`. Times are from the request's arrival, so they do not drift.
 */
export function paceChunks(text: string, latency: LatencyOptions, charsPerToken: number): PacedChunk[] {
  const size = latency.tokensPerChunk * charsPerToken;
  const chunks: PacedChunk[] = [];
  let at = latency.timeToFirstTokenMs;
  for (let i = 0; i < text.length; i += size) {
    const piece = text.slice(i, i + size);
    const tokens = Math.ceil(piece.length / charsPerToken);
    if (chunks.length > 0) at += (tokens * 1000) / latency.tokensPerSecond;
    chunks.push({ text: piece, tokens, atMs: at });
  }
  return chunks;
}

/** When the whole reply is done: what a non-streaming call waits before it answers. */
export function completionMs(chunks: readonly PacedChunk[], latency: LatencyOptions): number {
  return chunks.length === 0 ? latency.timeToFirstTokenMs : chunks[chunks.length - 1]!.atMs;
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
