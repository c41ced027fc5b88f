import type { Log } from '../../../core/log.ts';
import type { BedrockError } from '../errors.ts';

/**
 * Ends an upstream event stream that broke the way Bedrock ends one that fails: with the error as a
 * typed exception frame, which the SDK raises as its class. Only possible when the break fell between
 * frames; inside a frame, the client's connection is cut instead (a half frame cannot be completed).
 */
export function endBrokenStream(body: AsyncIterable<Buffer>, log: Log): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]() {
      const inner = body[Symbol.asyncIterator]();
      const frames = frameTracker();
      let finished = false;
      return {
        async next() {
          if (finished) return { done: true, value: undefined };
          try {
            const result = await inner.next();
            if (!result.done) frames.track(result.value);
            return result;
          } catch (error) {
            const failure = error as BedrockError;
            if (!frames.atBoundary() || typeof failure.renderStreamException !== 'function') throw error;
            log.warn(`${failure.message} Sent the client a ${failure.errorType} frame.`);
            finished = true;
            return { done: false, value: failure.renderStreamException() };
          }
        },
        return: () => inner.return?.() ?? Promise.resolve({ done: true, value: undefined }),
      };
    },
  };
}

/** Follows frame boundaries by each prelude's total length (reference 4.6), across any chunking. */
function frameTracker() {
  let left = 0;
  let prelude = Buffer.alloc(0);
  return {
    track(chunk: Buffer): void {
      let i = 0;
      while (i < chunk.length) {
        if (left > 0) {
          const take = Math.min(left, chunk.length - i);
          left -= take;
          i += take;
          continue;
        }
        const take = Math.min(4 - prelude.length, chunk.length - i);
        prelude = Buffer.concat([prelude, chunk.subarray(i, i + take)]);
        i += take;
        if (prelude.length === 4) {
          left = prelude.readUInt32BE(0) - 4;
          prelude = Buffer.alloc(0);
        }
      }
    },
    atBoundary: () => left === 0 && prelude.length === 0,
  };
}
