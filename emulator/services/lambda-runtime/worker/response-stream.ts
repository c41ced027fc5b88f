import { Writable } from 'node:stream';
import { InvalidStreamingOperation, MalformedStreamingHandler } from './runtime-errors.ts';

/**
 * The `awslambda` global of Lambda's Node.js runtime and the response stream a streamified handler
 * writes to. ResponseStream holds what every response stream does (content type, the lazy prelude, the
 * runtime's serialisation of non-bytes); where the bytes go is the subclass's `_write`. The buffered one
 * here serves the buffered Invoke of a streaming function, which on AWS returns the bytes the handler
 * wrote (HttpResponseStream prelude and NUL delimiter included); posted-response-stream.ts streams them.
 */

export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
export const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const METADATA_PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER_LEN = 8;

type Write = (chunk: unknown) => void;

export abstract class ResponseStream extends Writable {
  contentType = 'application/octet-stream';
  /** Set by HttpResponseStream.from: writes the prelude just before the first chunk, as the runtime does. */
  _onBeforeFirstWrite: ((write: Write) => void) | undefined;
  private written = false;

  /** What the invocation reports once the handler is done: the bytes (buffered) or only how they were typed (streamed). */
  abstract settlement(): { payload: string; streamed?: { contentType: string } };

  setContentType(contentType: string): void {
    if (this.written) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.contentType = contentType;
  }

  // The runtime serialises anything that is not bytes or a string before writing it.
  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const bytes = typeof chunk === 'string' || Buffer.isBuffer(chunk) || (chunk as object | null)?.constructor === Uint8Array;
    const data = bytes ? chunk : JSON.stringify(chunk);
    if (!this.written && typeof this._onBeforeFirstWrite === 'function') {
      this._onBeforeFirstWrite((ch) => super.write(ch));
    }
    this.written = true;
    return (super.write as (...args: unknown[]) => boolean)(data, encoding, callback);
  }

  // Writable.end(chunk) writes through an internal path that skips write() above, which would lose the
  // prelude of `HttpResponseStream.from(stream, ...).end(body)`: route the last chunk through write().
  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    if (typeof chunk === 'function') return super.end(chunk as () => void);
    if (chunk !== undefined && chunk !== null) this.write(chunk, typeof encoding === 'string' ? encoding : undefined);
    const done = typeof encoding === 'function' ? encoding : callback;
    return typeof done === 'function' ? super.end(done as () => void) : super.end();
  }
}

export class BufferedResponseStream extends ResponseStream {
  readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

  settlement(): { payload: string } {
    return { payload: Buffer.concat(this.chunks).toString('utf8') };
  }
}

export const HttpResponseStream = {
  from(underlyingStream: ResponseStream, prelude: Record<string, unknown>): ResponseStream {
    underlyingStream.setContentType(METADATA_PRELUDE_CONTENT_TYPE);
    // JSON cannot contain a NUL byte, so the 8 NUL bytes unambiguously end the prelude.
    const metadataPrelude = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(metadataPrelude);
      write(new Uint8Array(DELIMITER_LEN));
    };
    return underlyingStream;
  },
};

/** Defined before the handler module loads, as Lambda's runtime does. */
export function installAwsLambdaGlobal(): void {
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse(handler: Record<symbol, unknown>, options?: { highWaterMark?: number }) {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGHWATERMARK] = Math.trunc(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

/** Lambda only knows the 'response' streaming mode; anything else marked on a handler is malformed. */
export function isStreamingHandler(handler: unknown): boolean {
  const mode = (handler as Record<symbol, unknown>)[HANDLER_STREAMING];
  if (mode === undefined || mode === null || mode === false) return false;
  if (mode === STREAM_RESPONSE) return true;
  throw new MalformedStreamingHandler('Only response streaming is supported.');
}
