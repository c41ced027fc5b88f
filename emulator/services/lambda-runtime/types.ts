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

/** What a streamed handler's `HttpResponseStream.from(stream, prelude)` said, as function URLs and REST STREAM read it. */
export interface StreamMetadata {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** How a streamed invoke answered before its body: a stream, or the same failures `invoke` reports. */
export type StreamResponse =
  /**
   * `contentType` is the stream's own (InvokeWithResponseStream's ResponseStreamContentType):
   * `application/vnd.awslambda.http-integration-response` when the handler used HttpResponseStream.from,
   * whose prelude is then parsed into `metadata` and is not part of the chunks.
   */
  | { kind: 'stream'; requestId: string; contentType: string; metadata?: StreamMetadata }
  | Exclude<InvokeOutcome, { kind: 'success' }>;

/** How a streamed invocation ended. A function error after bytes were streamed (timeout included) is only seen here. */
export type StreamEnd =
  | { kind: 'success'; requestId: string }
  | Exclude<InvokeOutcome, { kind: 'success' }>
  /** The reader called abort(); the function ran on (as on AWS) and ended as `functionEnd` says. */
  | { kind: 'client-gone'; requestId: string; functionEnd: Exclude<StreamEnd, { kind: 'client-gone' }> };

/** A streamed invoke in progress, returned at once. */
export interface InvokeStream {
  readonly requestId: string;
  readonly response: Promise<StreamResponse>;
  /**
   * The body bytes, one Buffer per handler write as it reaches the main thread (never merged); ends when
   * the invocation does, whatever the outcome. Single reader. Taking a chunk is what lets the handler's
   * stream drain (back-pressure), so a stream nobody reads holds its handler (until the function timeout),
   * as a stalled client does on AWS; leaving the loop early is an abort().
   */
  readonly chunks: AsyncIterable<Buffer>;
  /** Never rejects. */
  readonly done: Promise<StreamEnd>;
  /** The client went away: chunks end, later writes are dropped, the function is not stopped. */
  abort(): void;
}

/** What API Gateway, AppSync and function URLs need from Lambda. */
export interface LambdaInvoker {
  /** Never rejects: every failure, the emulator's own included, is an outcome. */
  invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
  hasFunction(functionName: string): boolean;
}

/**
 * What function URLs (RESPONSE_STREAM), REST STREAM routes and InvokeWithResponseStream need. Apart from
 * LambdaInvoker so the invokers that only buffer (fakes, wrappers) need not implement it.
 */
export interface LambdaStreamInvoker {
  /**
   * Returns at once. A streamified handler's writes arrive as they happen; a buffered handler's payload
   * arrives as one chunk (content type application/json). Rejections and failures before the first
   * byte come as `response`, exactly as `invoke` would return them.
   */
  invokeStream(functionName: string, event: unknown, options?: InvokeOptions): InvokeStream;
}
