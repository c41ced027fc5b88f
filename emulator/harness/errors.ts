/**
 * The three ways a scenario fails besides a bug in the scenario itself. Reports use `name` as the
 * failure type (JUnit `type=`), so CI can tell "AWS answered differently" from "could not reach it".
 */

/** AWS (or the emulator) answered, but not as the scenario expects. */
export class ScenarioAssertionError extends Error {
  override readonly name = 'ScenarioAssertionError';
  constructor(
    message: string,
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(message);
  }
}

/** No HTTP answer at all: refused, reset, DNS, TLS. */
export class ScenarioNetworkError extends Error {
  override readonly name = 'ScenarioNetworkError';
}

/** The scenario outlived its time budget. */
export class ScenarioTimeoutError extends Error {
  override readonly name = 'ScenarioTimeoutError';
}
