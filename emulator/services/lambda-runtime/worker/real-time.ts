/**
 * The host's real clock and timers, captured when this module first loads (before time.ts patches the
 * globals). The runtime's own bookkeeping inside the worker (log flushing, polling) must keep running
 * on real time whatever the handler's clock does.
 */
export const real = {
  Date,
  performanceNow: performance.now.bind(performance),
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  /** Real epoch milliseconds, the same formula as the main thread's clocks. */
  epochNow: (): number => performance.timeOrigin + real.performanceNow(),
};
