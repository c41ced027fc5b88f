import type { AwsHttpError } from '../../core/errors.ts';

/** An error as Lambda reports it in the invoke response payload (`X-Amz-Function-Error: Unhandled`). */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeOutcome =
  /** `payload` is the JSON text Lambda returns (the handler's result, serialised). */
  | { kind: 'success'; requestId: string; payload: string }
  /** Unhandled error, `Sandbox.Timedout`, `Runtime.ExitError`, `Function.ResponseSizeTooLarge`, ... */
  | { kind: 'function-error'; requestId: string; error: FunctionError; payload: string }
  /** Lambda refused the invoke: throttled, too large, unknown function. The handler never ran. */
  | { kind: 'rejected'; error: AwsHttpError };

export interface InvokeOptions {
  /**
   * Called when the emulator begins and ends creating an execution environment for this invoke
   * (worker start, module load). Gateways pause their integration timers in between: that cost is the
   * emulator's, and with compressed time it would otherwise be charged as emulated seconds.
   */
  onInitStart?(): void;
  onInitEnd?(): void;
  /** Use this awsRequestId instead of a fresh one. */
  requestId?: string;
}

/** What API Gateway, AppSync and function URLs need from Lambda. */
export interface LambdaInvoker {
  /** Never rejects: every failure, the emulator's own included, is an outcome. */
  invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
  hasFunction(functionName: string): boolean;
}
