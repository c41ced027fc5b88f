import type { Trace } from '../../core/trace.ts';
import { ChunkQueue } from './chunk-queue.ts';
import type { ChunkSink } from './execution-environment.ts';
import { HTTP_INTEGRATION_CONTENT_TYPE, PreludeReader } from './stream-prelude.ts';
import type { InvokeOutcome, InvokeStream, StreamEnd, StreamMetadata, StreamResponse } from './types.ts';

/**
 * One streamed invoke seen from the main thread: turns the worker's chunk messages into the
 * InvokeStream a front end reads (response head, body chunks, end). runtime.ts runs the invocation and
 * calls `finish` with its outcome; the environment calls the ChunkSink methods while it runs.
 */

/** [choice] What InvokeWithResponseStream reports for a function that does not stream: its payload is JSON. */
const BUFFERED_CONTENT_TYPE = 'application/json';

export class StreamInvocation implements ChunkSink {
  readonly api: InvokeStream;
  private readonly queue: ChunkQueue;
  private respond!: (response: StreamResponse) => void;
  private end!: (end: StreamEnd) => void;
  private responded = false;
  private wasStreamed = false;
  private finished = false;
  private gone = false;
  private seq = 0;
  private prelude: PreludeReader | undefined;

  constructor(
    private readonly functionName: string,
    private readonly requestId: string,
    private readonly trace: Trace,
  ) {
    this.queue = new ChunkQueue(() => this.abort());
    const response = new Promise<StreamResponse>((resolve) => (this.respond = resolve));
    const done = new Promise<StreamEnd>((resolve) => (this.end = resolve));
    this.api = { requestId, response, chunks: this.queue, done, abort: () => this.abort() };
  }

  chunk(bytes: Buffer, contentType: string | undefined, ack: () => void): void {
    if (this.finished) return ack();
    if (contentType === HTTP_INTEGRATION_CONTENT_TYPE) this.prelude = new PreludeReader();
    else if (contentType !== undefined) this.head(contentType);
    if (!this.prelude) return this.body(bytes, ack);
    const step = this.prelude.push(bytes);
    if (step.kind === 'pending') return ack();
    this.prelude = undefined;
    this.head(HTTP_INTEGRATION_CONTENT_TYPE, step.metadata);
    if (step.body.length > 0) this.body(step.body, ack);
    else ack();
  }

  streamed(contentType: string): void {
    this.wasStreamed = true;
    // Bytes held by an unfinished prelude were all the handler wrote: they are the body.
    if (this.prelude) this.body(this.prelude.rest(), () => {});
    this.head(contentType);
  }

  /** The invocation ended (or never started): settles `response` if nothing did yet, then `done`. */
  finish(outcome: InvokeOutcome): void {
    if (this.finished) return;
    if (outcome.kind === 'success' && !this.wasStreamed) {
      // A buffered handler: its payload is the stream's one chunk.
      this.head(BUFFERED_CONTENT_TYPE);
      this.body(Buffer.from(outcome.payload, 'utf8'), () => {});
    }
    this.finished = true;
    if (outcome.kind !== 'success') this.settleResponse(outcome);
    this.queue.end();
    const end: Exclude<StreamEnd, { kind: 'client-gone' }> = outcome.kind === 'success' ? { kind: 'success', requestId: outcome.requestId } : outcome;
    this.end(this.gone ? { kind: 'client-gone', requestId: this.requestId, functionEnd: end } : end);
  }

  private abort(): void {
    if (this.gone || this.finished) return;
    this.gone = true;
    this.trace.record('lambda.stream.client-gone', { functionName: this.functionName, requestId: this.requestId, chunks: this.seq });
    this.queue.drop();
  }

  private head(contentType: string, metadata?: StreamMetadata): void {
    this.settleResponse({ kind: 'stream', requestId: this.requestId, contentType, ...(metadata ? { metadata } : {}) });
  }

  private settleResponse(response: StreamResponse): void {
    if (this.responded) return;
    this.responded = true;
    this.respond(response);
  }

  private body(bytes: Buffer, ack: () => void): void {
    if (bytes.length === 0) return ack();
    this.trace.record('lambda.stream.chunk', { functionName: this.functionName, requestId: this.requestId, bytes: bytes.length, chunk: ++this.seq });
    this.queue.push(bytes, ack);
  }
}
