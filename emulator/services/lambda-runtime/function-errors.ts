import type { FunctionError } from './types.ts';

/**
 * Errors the Lambda platform (not the runtime inside the environment) puts in an invoke's payload.
 * Key order matters: the payload is these objects serialised, byte for byte what Lambda returns.
 * See ../shared/aws/apigateway-lambda-alb-lex.md §5.1 and §5.3.
 */

/** [O] The Sandbox.Timedout form of current runtimes (ambiguity 21 in the reference notes). */
export function timedOut(requestId: string, timeoutSeconds: number): FunctionError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/** [O] The runtime process ended during the invocation (process.exit, crash). */
export function exitError(requestId: string, exitCode: number): FunctionError {
  const reason = exitCode === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${exitCode}`;
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

/** [O] Lambda names 6291556 here (6 MB + 100 bytes), not the documented 6291456. */
export function responseSizeTooLarge(limitBytes: number): FunctionError {
  return {
    errorMessage: `Response payload size exceeded maximum allowed payload size (${limitBytes} bytes).`,
    errorType: 'Function.ResponseSizeTooLarge',
  };
}

/**
 * The emulator itself failed (a worker that cannot start, an environment shut down by close()). Lambda
 * reports its own faults this way; the cause goes to the emulator's log, not into the payload.
 */
export function runtimeUnknown(): FunctionError {
  return { errorType: 'Runtime.Unknown', errorMessage: 'Unknown application error occurred' };
}
