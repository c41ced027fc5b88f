import { describe, expect, it } from 'vitest';
import type { Clock } from '../../emulator/core/clock.ts';
import { Trace } from '../../emulator/core/trace.ts';
import { offlineTime, overlap, remoteTime } from '../../emulator/harness/time.ts';

/** A clock whose real time the test sets, so trace events land at chosen real instants. */
function fixedRealClock(): Clock & { real: number } {
  const clock = {
    real: 0,
    timeScale: 1,
    now: () => clock.real,
    realNow: () => clock.real,
    setTimer: () => ({ cancel: () => undefined }),
    workerTime: () => ({ mode: 'manual' as const, now: clock.real }),
    onAdvance: () => () => undefined,
  };
  return clock;
}

function coldStart(trace: Trace, clock: { real: number }, endsAt: number, initRealMs: number): void {
  clock.real = endsAt;
  trace.record('lambda.cold-start', { functionName: 'slow', environmentId: 'env', initRealMs });
}

describe('emulated time', () => {
  it('remote: emulated equals real', () => {
    expect(remoteTime().emulatedMs(1000, 1290)).toBe(290);
  });

  it('offline without cold starts: real over the time scale', () => {
    expect(offlineTime(0.01, undefined).emulatedMs(1000, 1290)).toBeCloseTo(29_000, 6);
  });

  it("offline: a cold start's real time inside the request is not emulated time", () => {
    const clock = fixedRealClock();
    const trace = new Trace(clock);
    const time = offlineTime(0.01, trace);
    // Request from 1000 to 1490 real; the environment took 200 ms of it (1050-1250).
    coldStart(trace, clock, 1250, 200);
    expect(time.emulatedMs(1000, 1490)).toBeCloseTo(29_000, 6);
    // Outside the window, or after dispose(), nothing is subtracted.
    expect(time.emulatedMs(2000, 2290)).toBeCloseTo(29_000, 6);
    time.dispose();
    coldStart(trace, clock, 3250, 200);
    expect(time.emulatedMs(3000, 3290)).toBeCloseTo(29_000, 6);
  });

  it('other trace events do not count as overhead', () => {
    const clock = fixedRealClock();
    const trace = new Trace(clock);
    const time = offlineTime(1, trace);
    clock.real = 50;
    trace.record('limit.hit', { limit: 'x', detail: 'y' });
    expect(time.emulatedMs(0, 100)).toBe(100);
  });
});

describe('overlap', () => {
  it.each([
    [[[0, 10]], 0, 10, 10],
    [[[-5, 5]], 0, 10, 5],
    [[[0, 4], [2, 6]], 0, 10, 6],
    [[[6, 8], [0, 2]], 0, 10, 4],
    [[[0, 10], [2, 3]], 0, 10, 10],
    [[[20, 30]], 0, 10, 0],
    [[], 0, 10, 0],
  ] as Array<[Array<[number, number]>, number, number, number]>)('%j within [%d, %d] is %d', (intervals, start, end, total) => {
    expect(overlap(intervals, start, end)).toBe(total);
  });
});
