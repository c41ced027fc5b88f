import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * For bench servers: on SIGUSR2, prints how late this process's event loop ran since the last
 * SIGUSR2 (one JSON line, with what `extra` adds) and starts over. Sampled every 20 ms, so it adds ~50 wake-ups a second.
 */
const RESOLUTION_MS = 20;

export function reportLoopDelayOnSignal(extra: () => Record<string, number> = () => ({})): void {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  // The histogram holds whole intervals between samples: the lateness is what exceeds the resolution.
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  process.on('SIGUSR2', () => {
    process.stdout.write(`${JSON.stringify({ loopDelayP99Ms: late(delay.percentile(99)), loopDelayMaxMs: late(delay.max), ...extra() })}\n`);
    delay.reset();
  });
}
