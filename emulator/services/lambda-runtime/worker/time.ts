import { syncBuiltinESMExports } from 'node:module';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import type { WorkerTimeSpec } from '../../../core/clock.ts';
import { installFakeDate } from './fake-date.ts';
import { manualPromiseTimers } from './manual-promise-timers.ts';
import { coerceDelay, Timeline } from './manual-timers.ts';
import { real } from './real-time.ts';

/**
 * Makes the handler's clock the emulator's clock. Scaled: every delay is multiplied by `timeScale` and
 * every reading divided by it, so a handler's `setTimeout(r, 31000)` at 0.01 fires after 310 ms real
 * and `Date.now()` moves 31 s. Manual: time stands still until the main thread sends a new `now`.
 *
 * Patched: Date (see fake-date.ts), performance.now, global and `node:timers` setTimeout/setInterval/
 * clear*, `node:timers/promises` setTimeout/setInterval/scheduler.wait, AbortSignal.timeout; then
 * syncBuiltinESMExports so `import { setTimeout } from 'node:timers'` sees the same functions.
 * Not patched: process.hrtime, process.uptime, Intl's implicit "now", setImmediate (not timed).
 */

const TIMEOUT_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;

interface TimerApi {
  setTimeout: (...args: unknown[]) => unknown;
  setInterval: (...args: unknown[]) => unknown;
  clearTimeout: (timer: unknown) => void;
  clearInterval: (timer: unknown) => void;
  /** Typed loosely: each is Node's own signature, only the delay changes. */
  promises: { setTimeout: (...args: never[]) => unknown; setInterval: (...args: never[]) => unknown; wait: (...args: never[]) => unknown };
  abortSignalTimeout: (delay: number) => AbortSignal;
}

/** Returns the manual timeline (the main thread drives it), or undefined for scaled time. */
export function installTime(spec: WorkerTimeSpec): Timeline | undefined {
  if (spec.mode === 'scaled') {
    install(scaledTimers(spec.timeScale));
    const { timeScale, realBase, emulatedBase } = spec;
    installFakeDate(() => emulatedBase + (real.epochNow() - realBase) / timeScale);
    performance.now = () => real.performanceNow() / timeScale;
    return undefined;
  }
  const timeline = new Timeline(spec.now);
  install(manualTimers(timeline));
  installFakeDate(() => timeline.now);
  const perfBase = real.performanceNow() - spec.now;
  performance.now = () => perfBase + timeline.now;
  return timeline;
}

function scaledTimers(timeScale: number): TimerApi {
  // Node may fire a timer up to 1 ms early (its loop time is whole ms); compressed, that would be up to
  // 1/timeScale ms of emulated time early, so compressed delays get 1 real ms more and are never early.
  const slack = timeScale < 1 ? 1 : 0;
  const scale = (delay: unknown): number => Math.min(TIMEOUT_MAX, coerceDelay(delay) * timeScale + slack);
  const orig = { ...timersPromises, wait: timersPromises.scheduler.wait.bind(timersPromises.scheduler) };
  const abortSignalTimeout = AbortSignal.timeout.bind(AbortSignal);
  return {
    setTimeout: (callback, delay, ...args) => real.setTimeout(callback as (...a: unknown[]) => void, scale(delay), ...args),
    setInterval: (callback, delay, ...args) => real.setInterval(callback as (...a: unknown[]) => void, scale(delay), ...args),
    clearTimeout: real.clearTimeout as (timer: unknown) => void,
    clearInterval: real.clearInterval as (timer: unknown) => void,
    promises: {
      setTimeout: (delay: unknown, ...rest: unknown[]) => (orig.setTimeout as (...a: unknown[]) => unknown)(scale(delay), ...rest),
      setInterval: (delay: unknown, ...rest: unknown[]) => (orig.setInterval as (...a: unknown[]) => unknown)(scale(delay), ...rest),
      wait: (delay: unknown, ...rest: unknown[]) => (orig.wait as (...a: unknown[]) => unknown)(scale(delay), ...rest),
    },
    // AbortSignal.timeout only takes whole milliseconds: round up so a scaled deadline is never early.
    abortSignalTimeout: (delay) =>
      Number.isInteger(delay) && delay >= 0 ? abortSignalTimeout(Math.min(UINT32_MAX, Math.ceil(delay * timeScale) + slack)) : abortSignalTimeout(delay),
  };
}

function manualTimers(timeline: Timeline): TimerApi {
  const clear = (timer: unknown): void => timeline.cancel(timer);
  const promises = manualPromiseTimers(timeline);
  return {
    setTimeout: (callback, delay, ...args) => timeline.add(callback, delay, args, false),
    setInterval: (callback, delay, ...args) => timeline.add(callback, delay, args, true),
    clearTimeout: clear,
    clearInterval: clear,
    promises,
    abortSignalTimeout: (delay) => {
      const controller = new AbortController();
      timeline
        .add(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), delay, [], false)
        .unref();
      return controller.signal;
    },
  };
}

function install(api: TimerApi): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const t = timers as unknown as Record<string, unknown>;
  for (const name of ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] as const) {
    g[name] = api[name];
    t[name] = api[name];
  }
  const p = timersPromises as unknown as Record<string, unknown>;
  p.setTimeout = api.promises.setTimeout;
  p.setInterval = api.promises.setInterval;
  (timersPromises.scheduler as unknown as Record<string, unknown>).wait = api.promises.wait;
  AbortSignal.timeout = api.abortSignalTimeout;
  syncBuiltinESMExports();
}
