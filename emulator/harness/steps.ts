import { AsyncLocalStorage } from 'node:async_hooks';
import { toFailure, type ScenarioFailure, type StepResult } from './results.ts';
// The emulator's real-time source, the one the trace's `realAt` uses, so intervals compare.
import { realNow } from '../core/clock.ts';
import type { EmulatedTime } from './time.ts';

interface OpenStep {
  name: string;
  start: number;
  end?: number;
  error?: ScenarioFailure;
}

export interface StepRecorder {
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** The innermost step `error` was thrown in, if any. */
  stepOf(error: unknown): string | undefined;
  /** Steps so far, as copies; a step still running counts as failed with `interrupted`. */
  snapshot(interrupted: ScenarioFailure): StepResult[];
}

/**
 * Records named steps. Nesting follows the async call chain (AsyncLocalStorage), not a shared stack,
 * so steps run with Promise.all keep their own names.
 */
export function stepRecorder(time: EmulatedTime): StepRecorder {
  const steps: OpenStep[] = [];
  const path = new AsyncLocalStorage<string>();
  const origin = new WeakMap<object, string>();

  async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const parent = path.getStore();
    const full = parent ? `${parent} › ${name}` : name;
    const open: OpenStep = { name: full, start: realNow() };
    steps.push(open);
    try {
      const value = await path.run(full, fn);
      open.end = realNow();
      return value;
    } catch (error) {
      open.end = realNow();
      const innermost = typeof error === 'object' && error !== null ? origin.get(error) : undefined;
      if (typeof error === 'object' && error !== null && !innermost) origin.set(error, full);
      open.error = toFailure(error, innermost ?? full);
      throw error;
    }
  }

  function snapshot(interrupted: ScenarioFailure): StepResult[] {
    const now = realNow();
    return steps.map((s) => {
      const end = s.end ?? now;
      const error = s.end === undefined ? { ...interrupted, step: s.name } : s.error;
      const result: StepResult = { name: s.name, status: error ? 'failed' : 'passed', realMs: end - s.start, emulatedMs: time.emulatedMs(s.start, end) };
      if (error) result.error = error;
      return result;
    });
  }

  return {
    step,
    stepOf: (error) => (typeof error === 'object' && error !== null ? origin.get(error) : undefined),
    snapshot,
  };
}
