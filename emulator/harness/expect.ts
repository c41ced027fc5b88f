import { ScenarioAssertionError } from './errors.ts';
import { clip, type ScenarioResponse } from './http-client.ts';

/**
 * Assertions on what a client of AWS sees. Each failure says what was expected and what came back, in
 * one line a person can act on, and carries both values for the reports.
 */
export interface Expectations {
  status(response: ScenarioResponse, expected: number): void;
  /** The exact body text: AWS's error bodies differ in a space after the colon and in capital letters. */
  body(response: ScenarioResponse, expected: string): void;
  /** Without `expected`: the header is present. A RegExp must match the value. */
  header(response: ScenarioResponse, name: string, expected?: string | RegExp): void;
  /** Parses the JSON body and checks that it contains `subset`; returns the parsed body. */
  json<T = unknown>(response: ScenarioResponse, subset?: unknown): T;
  /**
   * The response arrived between `min` and `max` emulated seconds after it was sent. Offline, `max`
   * stretches by the run's real-time slack (see runner.ts); `min` never does: early is always wrong.
   */
  emulatedSeconds(response: ScenarioResponse, range: { min: number; max: number }): void;
  /** Like `emulatedSeconds`, for a duration the scenario measured itself (a WebSocket frame's arrival, a close). */
  elapsed(what: string, emulatedMs: number, range: { min: number; max: number }): void;
  equal<T>(actual: T, expected: T, what: string): void;
  /** Not an `asserts` signature: those break when `expect` is destructured from the context. */
  ok(condition: unknown, message: string): void;
  /** Returns `value` when it is neither null nor undefined, typed as such; fails with `message` otherwise. */
  defined<T>(value: T | null | undefined, message: string): T;
}

const describe = (r: ScenarioResponse) => `${r.method} ${r.url}`;

/**
 * `timeScale` words the duration message ("… ms real at time scale 0.01") and, with `realSlackMs`, sets
 * how far past `max` a duration may run: `realSlackMs / timeScale` emulated milliseconds.
 */
export function createExpectations(timeScale: number, realSlackMs = 0): Expectations {
  return {
    status(response, expected) {
      if (response.status === expected) return;
      throw new ScenarioAssertionError(
        `Expected status ${expected} from ${describe(response)}, got ${response.status} with body ${JSON.stringify(clip(response.bodyText))}`,
        expected,
        response.status,
      );
    },

    body(response, expected) {
      if (response.bodyText === expected) return;
      throw new ScenarioAssertionError(
        `Expected body ${JSON.stringify(expected)} from ${describe(response)}, got ${JSON.stringify(clip(response.bodyText))}`,
        expected,
        response.bodyText,
      );
    },

    header(response, name, expected) {
      const actual = response.headers.get(name);
      const lower = name.toLowerCase();
      if (expected === undefined) {
        if (actual !== null) return;
        throw new ScenarioAssertionError(`Expected header ${lower} from ${describe(response)}, it is absent`, `${lower} present`, null);
      }
      const matches = actual !== null && (typeof expected === 'string' ? actual === expected : expected.test(actual));
      if (matches) return;
      const shown = actual === null ? '(absent)' : JSON.stringify(actual);
      throw new ScenarioAssertionError(`Expected header ${lower} to be ${String(expected instanceof RegExp ? expected : JSON.stringify(expected))} from ${describe(response)}, got ${shown}`, String(expected), actual);
    },

    json<T>(response: ScenarioResponse, subset?: unknown): T {
      const body = response.json<T>();
      if (subset === undefined) return body;
      const mismatch = findMismatch(body, subset, '$');
      if (mismatch) {
        throw new ScenarioAssertionError(`Expected the JSON body of ${describe(response)} to contain ${JSON.stringify(subset)}; ${mismatch}`, subset, body);
      }
      return body;
    },

    emulatedSeconds(response, { min, max }) {
      const seconds = response.emulatedMs / 1000;
      const slackSeconds = realSlackMs / timeScale / 1000;
      if (seconds >= min && seconds <= max + slackSeconds) return;
      const real = timeScale === 1 ? '' : ` (${Math.round(response.realMs)} ms real at time scale ${timeScale})`;
      const slack = slackSeconds > 0 ? ` (+${slackSeconds.toFixed(1)} s for ${realSlackMs} ms of real-time jitter)` : '';
      throw new ScenarioAssertionError(
        `Expected ${describe(response)} to answer after ${min}–${max} s emulated${slack}, got ${seconds.toFixed(2)} s${real}`,
        { minSeconds: min, maxSeconds: max, slackSeconds: Number(slackSeconds.toFixed(3)) },
        Number(seconds.toFixed(3)),
      );
    },

    elapsed(what, emulatedMs, { min, max }) {
      const seconds = emulatedMs / 1000;
      const slackSeconds = realSlackMs / timeScale / 1000;
      if (seconds >= min && seconds <= max + slackSeconds) return;
      const slack = slackSeconds > 0 ? ` (+${slackSeconds.toFixed(1)} s for ${realSlackMs} ms of real-time jitter)` : '';
      throw new ScenarioAssertionError(
        `Expected ${what} after ${min}–${max} s emulated${slack}, got ${seconds.toFixed(2)} s`,
        { minSeconds: min, maxSeconds: max, slackSeconds: Number(slackSeconds.toFixed(3)) },
        Number(seconds.toFixed(3)),
      );
    },

    equal(actual, expected, what) {
      if (Object.is(actual, expected)) return;
      throw new ScenarioAssertionError(`Expected ${what} to be ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, expected, actual);
    },

    ok(condition, message) {
      if (!condition) throw new ScenarioAssertionError(message);
    },

    defined(value, message) {
      if (value === null || value === undefined) throw new ScenarioAssertionError(message, 'a value', value ?? null);
      return value;
    },
  };
}

/**
 * Objects match when every key of `expected` matches; arrays element by element with equal length;
 * everything else by `Object.is`. Returns where the first difference is, or undefined.
 */
export function findMismatch(actual: unknown, expected: unknown, path: string): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path} is ${JSON.stringify(actual)}, not an array`;
    if (actual.length !== expected.length) return `${path} has ${actual.length} items, not ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const m = findMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return `${path} is ${JSON.stringify(actual)}, not an object`;
    for (const [key, value] of Object.entries(expected)) {
      if (!(key in actual)) return `${path}.${key} is missing`;
      const m = findMismatch((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path} is ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`;
}
