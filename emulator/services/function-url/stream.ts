import type { Clock, Timer } from '../../core/clock.ts';
import { ConnectionDropped } from '../../core/http.ts';
import type { Limits } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import type { InvokeStream } from '../lambda-runtime/types.ts';

export interface StreamBodyContext {
  url: string;
  requestId: string;
  functionName: string;
  clock: Clock;
  trace: Trace;
  log: Log;
  limits: Limits;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * A RESPONSE_STREAM body as the client receives it (reference §6.2): each chunk the handler writes is
 * handed on as it arrives (the listener writes and flushes it at once), the first 6 MB at full speed and
 * then no faster than 2 MB per emulated second, cut at 200 MB. The listener pulls one chunk at a time,
 * so a paced chunk holds the next back and, through the runtime's queue, the handler's writes.
 *
 * A client that goes away calls `return()`: the invocation is aborted (its later writes are dropped)
 * and the function runs on, as on AWS. A function error after the head (timeout included) cuts the
 * connection: AWS documents no in-band error for function URLs (reference §9 #16 for REST says the
 * same of REST), so the client sees a body that ends without its chunked terminator.
 */
export class StreamBody implements AsyncIterable<Buffer>, AsyncIterator<Buffer> {
  private readonly source: AsyncIterator<Buffer>;
  private sent = 0;
  private seq = 0;
  /** When the uncapped allowance ran out: pacing counts from here. */
  private cappedSince: number | undefined;
  private timer: Timer | undefined;
  private wake: (() => void) | undefined;
  private gone = false;
  private cut = false;

  constructor(
    private readonly stream: InvokeStream,
    private readonly context: StreamBodyContext,
  ) {
    this.source = stream.chunks[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    if (this.gone) return DONE;
    if (this.cut) throw new ConnectionDropped('the streamed response reached its size limit');
    const next = await this.source.next();
    if (this.gone) return DONE;
    if (next.done) return this.end();
    let chunk = next.value;
    const max = this.context.limits.functionUrlStreamResponseBytes;
    if (this.sent + chunk.length > max) {
      this.context.trace.record('limit.hit', { limit: 'functionUrlStreamResponseBytes', functionName: this.context.functionName, detail: `function URL ${this.context.url}: streamed response over ${max} bytes` });
      // What fits is still delivered; the function is not stopped, only no longer read.
      chunk = chunk.subarray(0, max - this.sent);
      this.cut = true;
      this.stream.abort();
      if (chunk.length === 0) throw new ConnectionDropped('the streamed response reached its size limit');
    }
    await this.pace(chunk.length);
    if (this.gone) return DONE;
    this.sent += chunk.length;
    this.context.trace.record('functionurl.chunk', { url: this.context.url, requestId: this.context.requestId, bytes: chunk.length, chunk: ++this.seq });
    return { value: chunk, done: false };
  }

  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.gone) {
      this.gone = true;
      this.timer?.cancel();
      this.wake?.();
      // Traced by the runtime as lambda.stream.client-gone; the handler runs to its end.
      this.stream.abort();
    }
    return DONE;
  }

  private async end(): Promise<IteratorResult<Buffer>> {
    const end = await this.stream.done;
    if (end.kind === 'success' || end.kind === 'client-gone') return DONE;
    this.context.log.debug(`Function URL ${this.context.url}: function "${this.context.functionName}" failed after its response began (${end.error.errorType}); the connection is cut.`);
    throw new ConnectionDropped('the function failed mid-stream');
  }

  /** Waits, on the emulated clock, until `bytes` more may go out under the post-6 MB bandwidth cap. */
  private pace(bytes: number): Promise<void> {
    const { functionUrlStreamUncappedBytes: uncapped, functionUrlStreamBytesPerSecond: rate } = this.context.limits;
    const after = this.sent + bytes;
    if (rate <= 0 || after <= uncapped) return Promise.resolve();
    const { clock } = this.context;
    this.cappedSince ??= clock.now();
    const wait = this.cappedSince + ((after - uncapped) / rate) * 1000 - clock.now();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = clock.setTimer(wait, resolve);
    });
  }
}
