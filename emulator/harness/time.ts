import type { Trace } from '../core/trace.ts';


/**
 * Turns a real interval measured by the client into emulated milliseconds, so one assertion ("answered
 * after about 29 s") holds at any time scale and against AWS.
 */
export interface EmulatedTime {
  readonly timeScale: number;
  emulatedMs(realStart: number, realEnd: number): number;
  dispose(): void;
}

export function remoteTime(): EmulatedTime {
  return { timeScale: 1, emulatedMs: (start, end) => end - start, dispose: () => undefined };
}

/**
 * Offline, the emulator's own set-up work (starting a worker thread and loading the handler on a cold
 * start) takes real time that time scaling does not compress: 200 ms real would read as 20 emulated
 * seconds at scale 0.01. Gateways pause their timers for it, so the client must not count it either.
 * The trace's `lambda.cold-start` events give those intervals; their union inside the measured span is
 * subtracted before scaling.
 */
export function offlineTime(timeScale: number, trace: Trace | undefined): EmulatedTime {
  const overhead: Array<[number, number]> = [];
  const off = trace?.subscribe((event) => {
    // Recorded once the environment is up (that is when initRealMs is known), so it ends at realAt.
    if (event.type === 'lambda.cold-start') overhead.push([event.realAt - event.initRealMs, event.realAt]);
  });
  return {
    timeScale,
    emulatedMs: (start, end) => Math.max(0, end - start - overlap(overhead, start, end)) / timeScale,
    dispose: () => off?.(),
  };
}

/** Length of the union of `intervals` clipped to [start, end]; concurrent cold starts count once. */
export function overlap(intervals: ReadonlyArray<readonly [number, number]>, start: number, end: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let cursor = start;
  for (const [a, b] of clipped) {
    const from = Math.max(a, cursor);
    if (b > from) total += b - from;
    cursor = Math.max(cursor, b);
  }
  return total;
}
