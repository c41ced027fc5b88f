import { ResponseStream } from './response-stream.ts';

/**
 * The response stream of a streamed invocation (function URL RESPONSE_STREAM, InvokeWithResponseStream):
 * each write goes to the main thread as it happens, one message per write, nothing merged. Back-pressure
 * follows the real runtime, whose stream is an HTTP request to the Runtime API: a write's callback is held
 * while more than `highWaterMark` bytes are posted and not yet acknowledged by the main thread (which
 * acknowledges a chunk when its reader takes it), so Writable's own accounting makes `write()` return
 * false and 'drain' fire once the reader has caught up. A handler that writes faster than its reader is
 * slowed; one that ignores `write()`'s answer buffers in its own Writable, as on Lambda.
 */

export type PostChunk = (bytes: Uint8Array, contentType: string | undefined) => void;

export class PostedResponseStream extends ResponseStream {
  private inFlight = 0;
  private held: (() => void) | undefined;
  private posted = false;

  /** `highWaterMark` undefined: Node's Writable default (16 KiB), which the runtime keeps unless streamifyResponse set one. */
  constructor(private readonly post: PostChunk, highWaterMark: number | undefined) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.byteLength === 0) {
      callback();
      return;
    }
    // A copy, so the transfer detaches nothing the handler (or Buffer's shared pool) still holds.
    const bytes = new Uint8Array(chunk);
    this.inFlight += bytes.byteLength;
    this.post(bytes, this.posted ? undefined : this.contentType);
    this.posted = true;
    if (this.inFlight <= this.writableHighWaterMark) callback();
    else this.held = callback;
  }

  /** The main thread's reader took `bytes` bytes. */
  ack(bytes: number): void {
    this.inFlight -= bytes;
    if (this.held && this.inFlight <= this.writableHighWaterMark) {
      const callback = this.held;
      this.held = undefined;
      callback();
    }
  }

  settlement(): { payload: string; streamed: { contentType: string } } {
    return { payload: '', streamed: { contentType: this.contentType } };
  }
}
