import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock, MANUAL_CLOCK_START, ScaledClock } from '../../../emulator/core/clock.ts';
import { success, testRuntime } from './helpers.ts';

describe('lambda: scaled time reaches handler code', () => {
  const clock = new ScaledClock({ timeScale: 0.01 });
  const { runtime } = testRuntime(
    {
      sleep: { handler: 'time.sleepFor', timeout: 60 },
      promises: { handler: 'time.promiseTimers', timeout: 60 },
      abort: { handler: 'time.abortTimeout', timeout: 60 },
      interval: { handler: 'time.interval', timeout: 60 },
      timerObject: { handler: 'time.timerObject', timeout: 60 },
    },
    { clock },
  );
  afterAll(() => runtime.close());

  it('lambda: at timeScale 0.01 a handler\'s setTimeout(31000) moves Date.now() 31 s and takes about 310 ms real', async () => {
    await runtime.invoke('sleep', { ms: 1 }); // cold start outside the measurement
    const realStart = clock.realNow();
    const result = success(await runtime.invoke('sleep', { ms: 31_000 })) as Record<string, unknown>;
    const realElapsed = clock.realNow() - realStart;
    expect(result.dateDelta).toBeGreaterThanOrEqual(31_000);
    expect(result.dateDelta).toBeLessThan(60_000);
    expect(result.newDateDelta).toBeGreaterThanOrEqual(31_000);
    expect(result.perfDelta).toBeGreaterThanOrEqual(31_000);
    expect(realElapsed).toBeGreaterThanOrEqual(300);
    expect(result).toMatchObject({ isDate: true, sameConstructor: true, dateAsFunction: 'string', explicit: '1970-01-01T00:00:00.000Z' });
  });

  it('lambda: node:timers, node:timers/promises (setTimeout, scheduler.wait) and AbortSignal.timeout are scaled too', async () => {
    const { promises, wait, timers } = success(await runtime.invoke('promises', { ms: 2_000 })) as Record<string, number>;
    expect(promises).toBeGreaterThanOrEqual(2_000);
    expect(wait).toBeGreaterThanOrEqual(4_000);
    expect(timers).toBeGreaterThanOrEqual(6_000);
    const abort = success(await runtime.invoke('abort', { ms: 2_000 })) as { delta: number; reason: string };
    expect(abort.delta).toBeGreaterThanOrEqual(2_000);
    expect(abort.reason).toBe('TimeoutError');
    const ticks = success(await runtime.invoke('interval', { ms: 1_000 })) as number[];
    expect(ticks[2]).toBeGreaterThanOrEqual(3_000);
  });

  it('lambda: scaled timers are Node timer objects (ref/unref/hasRef/toPrimitive)', async () => {
    expect(success(await runtime.invoke('timerObject', { ms: 1_000 }))).toEqual({ hasRef: true, unrefReturnsTimer: true, hasRefAfterUnref: false, primitive: 'number' });
  });
});

describe('lambda: a manual clock drives handler timers', () => {
  const clock = new ManualClock();
  const { runtime, trace } = testRuntime(
    {
      sleep: { handler: 'time.sleepFor', timeout: 60 },
      promises: { handler: 'time.promiseTimers', timeout: 60 },
      interval: { handler: 'time.interval', timeout: 60 },
      abort: { handler: 'time.abortTimeout', timeout: 60 },
      timerObject: { handler: 'time.timerObject', timeout: 60 },
      remaining: { handler: 'time.remaining', timeout: 60 },
      timesOut: { handler: 'time.sleepFor', timeout: 3 },
    },
    { clock },
  );
  afterAll(() => runtime.close());

  const started = (functionName: string) => trace.waitFor('lambda.invoke.start', (e) => e.functionName === functionName);

  it('lambda: a handler timer fires when the test advances the clock, with Date.now() at the timer\'s instant', async () => {
    const pending = runtime.invoke('sleep', { ms: 1_000 });
    await started('sleep');
    await clock.advance(999);
    await clock.advance(1);
    const result = success(await pending) as Record<string, unknown>;
    expect(result).toMatchObject({ dateDelta: 1_000, newDateDelta: 1_000, perfDelta: 1_000, isDate: true });
  });

  it('lambda: timers/promises, scheduler.wait, setInterval and AbortSignal.timeout follow the manual clock', async () => {
    const promises = runtime.invoke('promises', { ms: 500 });
    await started('promises');
    for (let i = 0; i < 3; i++) await clock.advance(500);
    expect(success(await promises)).toEqual({ promises: 500, wait: 1_000, timers: 1_500 });

    const interval = runtime.invoke('interval', { ms: 100 });
    await started('interval');
    await clock.advance(300);
    expect(success(await interval)).toEqual([100, 200, 300]);

    const abort = runtime.invoke('abort', { ms: 250 });
    await started('abort');
    await clock.advance(250);
    expect(success(await abort)).toEqual({ delta: 250, reason: 'TimeoutError' });
  });

  it('lambda: manual timers keep Node\'s timer object surface', async () => {
    expect(success(await runtime.invoke('timerObject', { ms: 1_000 }))).toEqual({ hasRef: true, unrefReturnsTimer: true, hasRefAfterUnref: false, primitive: 'number' });
  });

  it('lambda: getRemainingTimeInMillis follows the manual clock', async () => {
    const pending = runtime.invoke('remaining', { ms: 20_000 });
    await started('remaining');
    await clock.advance(20_000);
    expect(success(await pending)).toEqual({ before: 60_000, after: 40_000 });
  });

  it('lambda: the function timeout is emulated time: Sandbox.Timedout once the clock passes 3 s', async () => {
    const pending = runtime.invoke('timesOut', { ms: 10_000 }, { requestId: 'manual-timeout' });
    await started('timesOut');
    await clock.advance(3_000);
    expect(await pending).toMatchObject({ kind: 'function-error', payload: '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: manual-timeout Error: Task timed out after 3.00 seconds"}' });
    expect(trace.events('lambda.invoke.end').find((e) => e.requestId === 'manual-timeout')?.durationMs).toBe(3_000);
    expect(clock.now()).toBeGreaterThan(MANUAL_CLOCK_START);
  });
});
