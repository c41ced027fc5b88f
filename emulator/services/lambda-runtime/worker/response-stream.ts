import { Writable } from 'node:stream';
import { InvalidStreamingOperation, MalformedStreamingHandler } from './runtime-errors.ts';

/**
 * The `awslambda` global of Lambda's Node.js runtime and the response stream a streamified handler
 * writes to. This stream buffers: it serves the buffered Invoke of a streaming function, which on AWS
 * returns the bytes the handler wrote (HttpResponseStream prelude and NUL delimiter included).
 */

export const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGHWATERMARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const METADATA_PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER_LEN = 8;

type Write = (chunk: unknown) => void;

export class BufferedResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType = 'application/octet-stream';
  /** Set by HttpResponseStream.from: writes the prelude just before the first chunk, as the runtime does. */
  _onBeforeFirstWrite: ((write: Write) => void) | undefined;
  private written = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

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

  body(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export const HttpResponseStream = {
  from(underlyingStream: BufferedResponseStream, prelude: Record<string, unknown>): BufferedResponseStream {
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
