/**
 * What resolver code throws to stop a handler early. Host-realm classes: the util functions that throw
 * them run in the emulator's realm, so `instanceof` works even though the code runs in a node:vm context.
 */

/** `util.error(message, errorType?, data?, errorInfo?)`: the field is null with this error. */
export class UtilErrorSignal extends Error {
  constructor(
    message: string,
    readonly errorType: string | null,
    readonly data: unknown,
    readonly errorInfo: unknown,
  ) {
    super(message);
    this.name = 'UtilErrorSignal';
  }
}

/** `util.unauthorized()`: AppSync's field-level denial (`Unauthorized`, reference §1.3). */
export class UnauthorizedSignal extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'UnauthorizedSignal';
  }
}

/** `runtime.earlyReturn(value)`: in `request`, skips the data source and `response`; the field is `value`. */
export class EarlyReturnSignal extends Error {
  constructor(readonly value: unknown) {
    super('earlyReturn');
    this.name = 'EarlyReturnSignal';
  }
}

/** A utility AppSync has and the emulator does not: named, so the user knows it is ours, not their code. */
export class NotEmulatedError extends Error {
  constructor(what: string) {
    super(`Failed to run ${what}: genai-offline does not emulate it yet. Use another utility or open an issue.`);
    this.name = 'NotEmulatedError';
  }
}
