import type { Timer } from './clock.ts';

/**
 * A delay in real time, for the emulator's own physical scheduling (when to start another worker).
 * Never for emulated behaviour: limits, timeouts and handler time go through the Clock.
 */
export function afterRealMs(ms: number, fn: () => void): Timer {
  const handle = setTimeout(fn, ms);
  handle.unref();
  return { cancel: () => clearTimeout(handle) };
}

