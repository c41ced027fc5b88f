import type { HttpResponse } from './http.ts';

/**
 * An AWS fault as a client sees it: status, headers and the exact body bytes. Each service's
 * `errors.ts` names its faults as AWS names them (subclasses of this), so a test can match on the class
 * and the wire gets the bytes from one place.
 */
export class AwsHttpError extends Error {
  constructor(
    /** The AWS error type (`x-amzn-ErrorType` where the API sends one). */
    readonly errorType: string,
    readonly status: number,
    readonly body: string,
    readonly headers: ReadonlyArray<[string, string]> = [],
    message?: string,
  ) {
    super(message ?? `${errorType} (${status})`);
    this.name = errorType;
  }

  render(): HttpResponse {
    return {
      status: this.status,
      headers: [['content-type', 'application/json'], ...this.headers],
      body: this.body,
    };
  }
}

/** Codes for the emulator's own failures (not AWS's): config, handler loading, ports. */
export type EmulatorErrorCode =
  | 'ERR_CONFIG_VALIDATION'
  | 'ERR_CONFIG_LOAD'
  | 'ERR_FUNCTION_NOT_FOUND'
  | 'ERR_LISTEN'
  | 'ERR_SCENARIO'
  | 'ERR_ENDPOINTS_FILE'
  | 'ERR_LOCAL_CA';

export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}
