import { ScenarioAssertionError } from './errors.ts';

/** What went wrong, in a form that survives JSON: reports and the progress display read it. */
export interface ScenarioFailure {
  /** The error's class: `ScenarioAssertionError`, `ScenarioNetworkError`, `ScenarioTimeoutError`, `Error`, ... */
  type: string;
  message: string;
  /** The step that was running, when the scenario named its steps. */
  step?: string;
  expected?: unknown;
  actual?: unknown;
}

export interface StepResult {
  name: string;
  status: 'passed' | 'failed';
  realMs: number;
  emulatedMs: number;
  error?: ScenarioFailure;
}

export type ScenarioStatus = 'passed' | 'failed' | 'skipped';

export interface ScenarioResult {
  name: string;
  pattern: string;
  description: string;
  tags: string[];
  status: ScenarioStatus;
  /** Why it was skipped. */
  reason?: string;
  steps: StepResult[];
  realMs: number;
  emulatedMs: number;
  error?: ScenarioFailure;
  /** Figures the scenario measured (`ctx.metric`), e.g. token timing per transport, by name. */
  metrics?: Record<string, number>;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
}

export function totals(results: ReadonlyArray<Pick<ScenarioResult, 'status'>>): Totals {
  const count = (s: ScenarioStatus) => results.filter((r) => r.status === s).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), total: results.length };
}

/** Anything thrown, made reportable. Non-Error throws (`throw 'x'`) still produce a message. */
export function toFailure(error: unknown, step?: string): ScenarioFailure {
  const failure: ScenarioFailure = {
    type: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  };
  if (step !== undefined) failure.step = step;
  if (error instanceof ScenarioAssertionError) {
    if (error.expected !== undefined) failure.expected = error.expected;
    if (error.actual !== undefined) failure.actual = error.actual;
  }
  return failure;
}
