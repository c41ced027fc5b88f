import type { Timeline } from './manual-timers.ts';
import { real } from './real-time.ts';

/**
 * Lambda's runtime learns that a handler's work is done from Node's `beforeExit`: the event loop has
 * nothing left to do. A worker's loop never empties (the port to the main thread keeps it alive), so the
 * emulator looks for the same condition: no ref'd handle, request, timer or immediate other than the
 * runtime's own message port(s), and no ref'd timer on a manual timeline. Polled on real time.
 */

const POLL_MS = 1;

export class EventLoopWatch {
  private ownPorts = 0;

  constructor(private readonly timeline: Timeline | undefined) {}

  /** Counts the message ports the runtime itself holds open (call before user code runs). */
  captureBaseline(): void {
    this.ownPorts = process.getActiveResourcesInfo().filter((type) => type === 'MessagePort').length;
  }

  isEmpty(): boolean {
    if (this.timeline?.hasRefedTimers()) return false;
    let ports = 0;
    for (const type of process.getActiveResourcesInfo()) {
      if (type !== 'MessagePort' || ++ports > this.ownPorts) return false;
    }
    return true;
  }

  /** Calls `listener` once the loop is empty; returns a cancel function. */
  whenEmpty(listener: () => void): () => void {
    let cancelled = false;
    const check = (): void => {
      if (cancelled) return;
      if (this.isEmpty()) listener();
      else real.setTimeout(check, POLL_MS).unref();
    };
    real.setImmediate(check).unref();
    return () => {
      cancelled = true;
    };
  }
}
