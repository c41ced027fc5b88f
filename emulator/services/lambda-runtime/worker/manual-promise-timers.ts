import type { Timeline } from './manual-timers.ts';

/** `node:timers/promises` on a manual timeline: same signatures, same abort behaviour as Node's. */

interface TimerOptions {
  signal?: AbortSignal;
  ref?: boolean;
}

/** Node's AbortError (code ABORT_ERR), which timers/promises rejects with. */
function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

export function manualPromiseTimers(timeline: Timeline) {
  function sleep(delay: unknown, value?: unknown, options: TimerOptions = {}): Promise<unknown> {
    const { signal, ref = true } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        timer.close();
        reject(abortError(signal!));
      };
      const timer = timeline.add(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      }, delay, [], false);
      if (!ref) timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function* interval(delay: unknown, value?: unknown, options: TimerOptions = {}): AsyncGenerator<unknown> {
    const { signal, ref = true } = options;
    let ticks = 0;
    let wake: (() => void) | undefined;
    const timer = timeline.add(() => {
      ticks++;
      wake?.();
    }, delay, [], true);
    if (!ref) timer.unref();
    const onAbort = (): void => wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal?.aborted) throw abortError(signal);
        if (ticks === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        ticks--;
        yield value;
      }
    } finally {
      timer.close();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    setTimeout: (delay: unknown, value?: unknown, options?: TimerOptions) => sleep(delay, value, options),
    setInterval: (delay: unknown, value?: unknown, options?: TimerOptions) => interval(delay, value, options),
    wait: (delay: unknown, options?: { signal?: AbortSignal }) => sleep(delay, undefined, { signal: options?.signal }),
  };
}
