import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START, ManualClock, ScaledClock, pausableTimer } from '../../emulator/core/clock.ts';

describe('ManualClock', () => {
  it('clock: starts at a fixed instant and moves only when advanced', async () => {
    const clock = new ManualClock();
    expect(clock.now()).toBe(MANUAL_CLOCK_START);
    await clock.advance(1500);
    expect(clock.now()).toBe(MANUAL_CLOCK_START + 1500);
  });

  it('clock: fires due timers in time order, each at its own instant', async () => {
    const clock = new ManualClock();
    const fired: Array<[string, number]> = [];
    clock.setTimer(300, () => fired.push(['b', clock.now() - MANUAL_CLOCK_START]));
    clock.setTimer(100, () => fired.push(['a', clock.now() - MANUAL_CLOCK_START]));
    clock.setTimer(300, () => fired.push(['c', clock.now() - MANUAL_CLOCK_START]));
    clock.setTimer(301, () => fired.push(['late', 0]));
    await clock.advance(300);
    expect(fired).toEqual([['a', 100], ['b', 300], ['c', 300]]);
    expect(clock.pendingCount()).toBe(1);
  });

  it('clock: a timer set by a firing timer fires in the same advance when due', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now() - MANUAL_CLOCK_START)));
    await clock.advance(25);
    expect(fired).toEqual([20]);
  });

  it('clock: a cancelled timer never fires', async () => {
    const clock = new ManualClock();
    let fired = false;
    clock.setTimer(10, () => (fired = true)).cancel();
    await clock.advance(100);
    expect(fired).toBe(false);
  });

  it('clock: tells advance listeners the new time (what worker threads follow)', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const off = clock.onAdvance((now) => seen.push(now - MANUAL_CLOCK_START));
    clock.setTimer(5, () => undefined);
    await clock.advance(10);
    off();
    await clock.advance(10);
    expect(seen).toEqual([5, 10]);
  });
});

describe('ScaledClock', () => {
  it('clock: emulated time runs 1/timeScale as fast as real time', async () => {
    const clock = new ScaledClock({ timeScale: 0.01, start: 0 });
    const realStart = clock.realNow();
    await new Promise<void>((resolve) => clock.setTimer(2_000, resolve));
    const real = clock.realNow() - realStart;
    // Timers never fire early, so the lower bounds are exact; only the upper bound depends on load.
    expect(real).toBeGreaterThanOrEqual(19);
    expect(clock.now()).toBeGreaterThanOrEqual(1_900);
  });

  it('clock: rejects a non-positive time scale', () => {
    expect(() => new ScaledClock({ timeScale: 0 })).toThrow(RangeError);
  });

  it('clock: describes itself to worker threads', () => {
    const spec = new ScaledClock({ timeScale: 0.5, start: 1000 }).workerTime();
    expect(spec).toMatchObject({ mode: 'scaled', timeScale: 0.5, emulatedBase: 1000 });
  });
});

describe('pausableTimer', () => {
  it('counts the emulated time it spent paused, an open pause up to now', async () => {
    const clock = new ManualClock();
    const timer = pausableTimer(clock, 1000, () => undefined);
    timer.pause();
    await clock.advance(300);
    timer.resume();
    await clock.advance(100);
    timer.pause();
    await clock.advance(50);
    expect(timer.pausedMs()).toBe(350);
    timer.cancel();
  });

  it('clock: a paused timer does not count the paused time', async () => {
    const clock = new ManualClock();
    let firedAt = -1;
    const timer = pausableTimer(clock, 1000, () => (firedAt = clock.now() - MANUAL_CLOCK_START));
    await clock.advance(400);
    timer.pause();
    await clock.advance(5000);
    timer.resume();
    await clock.advance(599);
    expect(firedAt).toBe(-1);
    await clock.advance(1);
    expect(firedAt).toBe(6000);
  });

  it('clock: a cancelled pausable timer stays cancelled on resume', async () => {
    const clock = new ManualClock();
    let fired = false;
    const timer = pausableTimer(clock, 10, () => (fired = true));
    timer.pause();
    timer.cancel();
    timer.resume();
    await clock.advance(100);
    expect(fired).toBe(false);
  });
});
