import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * For bench servers: on SIGUSR2, prints how late this process's event loop ran since the last
 * SIGUSR2 (one JSON line) and starts over. Sampled every 20 ms, so it adds ~50 wake-ups a second.
 */
export function reportLoopDelayOnSignal(): void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  process.on('SIGUSR2', () => {
    process.stdout.write(`${JSON.stringify({ loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6 })}\n`);
    delay.reset();
  });
}
