import { requestId as newRequestId } from '../../core/ids.ts';
import type { InvokeStream, StreamEnd, StreamResponse } from '../lambda-runtime/types.ts';
import { invokeCompleteFrame, payloadChunkFrame, type InvokeComplete } from './event-stream.ts';
import { tailLog } from './log-tail.ts';
import { invocationType, parsePayload, resolveFunction, type InvokeRequest, type LambdaApiDeps } from './target.ts';

/**
 * InvokeWithResponseStream (reference §6.4): 200 at once, then one `PayloadChunk` per write of the
 * handler as it reaches the main thread, then one `InvokeComplete` (with `ErrorCode`/`ErrorDetails`
 * when the function failed, after streaming or before it). A buffered handler's payload is one chunk.
 */

export type StreamResult =
  | { kind: 'dry-run'; requestId: string }
  | { kind: 'stream'; requestId: string; contentType: string; frames: AsyncIterable<Buffer> };

const INVOCATION_TYPES = ['RequestResponse', 'DryRun'] as const;

export async function invokeWithResponseStream(deps: LambdaApiDeps, request: InvokeRequest): Promise<StreamResult> {
  const type = invocationType(request, INVOCATION_TYPES);
  const name = resolveFunction(deps, request);
  const requestId = newRequestId();
  if (type === 'DryRun') return { kind: 'dry-run', requestId };
  const event = parsePayload(deps, request.payload, 'lambdaSyncRequestBytes');
  const tail = request.tail ? tailLog(deps.trace, requestId, deps.memorySize?.(name)) : undefined;
  const stream = deps.lambda.invokeStream(name, event, { requestId });
  const response = await stream.response;
  if (response.kind === 'rejected') {
    tail?.result();
    throw response.error;
  }
  // The stream's own type: HttpResponseStream's prelude type, application/octet-stream, or (a function
  // that does not stream) application/json. A failure before any byte has no stream type of its own.
  const contentType = response.kind === 'stream' ? response.contentType : 'application/json';
  return { kind: 'stream', requestId, contentType, frames: new FrameStream(stream, response, tail) };
}

/**
 * The frames, pulled by the listener one at a time so each chunk is written (and flushed) as the
 * handler writes it. A hand-written iterator rather than a generator: the listener's `return()` (the
 * client went away) must reach `abort()` at once, not after the pending chunk, which may never come.
 */
class FrameStream implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  private readonly chunks: AsyncIterator<Buffer>;
  private prelude: Buffer | undefined;
  private state: 'chunks' | 'complete' | 'done' = 'chunks';

  constructor(
    private readonly stream: InvokeStream,
    response: Exclude<StreamResponse, { kind: 'rejected' }>,
    private readonly tail: { result(): string } | undefined,
  ) {
    this.chunks = stream.chunks[Symbol.asyncIterator]();
    // The runtime parsed HttpResponseStream.from's prelude into metadata; InvokeWithResponseStream
    // hands the caller the raw bytes, prelude and 8 NULs included (API Gateway's STREAM mode reads them).
    if (response.kind === 'stream' && response.metadata) {
      this.prelude = Buffer.concat([Buffer.from(JSON.stringify(response.metadata), 'utf8'), Buffer.alloc(8)]);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    if (this.prelude) {
      const prelude = this.prelude;
      this.prelude = undefined;
      return { value: payloadChunkFrame(prelude), done: false };
    }
    if (this.state === 'chunks') {
      const chunk = await this.chunks.next();
      if (!chunk.done) return { value: payloadChunkFrame(chunk.value), done: false };
      this.state = 'complete';
    }
    if (this.state === 'complete') {
      this.state = 'done';
      const end = await this.stream.done;
      return { value: invokeCompleteFrame(completion(end, this.tail?.result())), done: false };
    }
    return { value: undefined, done: true };
  }

  /** The client went away: the function runs on (as on AWS); its later writes are dropped. */
  return(): Promise<IteratorResult<Buffer>> {
    if (this.state !== 'done') {
      this.state = 'done';
      this.stream.abort();
      void this.stream.done.then(() => this.tail?.result());
    }
    return Promise.resolve({ value: undefined, done: true });
  }
}

/**
 * [choice] The docs say only that ErrorCode and ErrorDetails describe "any returned error"; the Node
 * runtime reports a failed stream by its error type and message (Lambda-Runtime-Function-Error-Type /
 * -Body trailers), so ErrorCode is the errorType (`Error`, `Sandbox.Timedout`) and ErrorDetails the message.
 */
function completion(end: StreamEnd, logResult: string | undefined): InvokeComplete {
  const functionEnd = end.kind === 'client-gone' ? end.functionEnd : end;
  const log = logResult === undefined ? {} : { LogResult: logResult };
  switch (functionEnd.kind) {
    case 'success':
      return log;
    case 'function-error':
      return { ErrorCode: functionEnd.error.errorType, ErrorDetails: functionEnd.error.errorMessage, ...log };
    case 'rejected':
      return { ErrorCode: functionEnd.error.errorType, ErrorDetails: functionEnd.error.message, ...log };
  }
}
