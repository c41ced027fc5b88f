import { attachContext, isPromise, type Invocation } from './invocation.ts';
import type { ResponseStream } from './response-stream.ts';
import { formatError, logError } from './runtime-errors.ts';

/**
 * A streamified handler (`awslambda.streamifyResponse`) as Lambda's Node.js 20 runtime runs it: it must
 * return a promise and end its stream. `stream` decides where the bytes go: buffered for the buffered
 * Invoke (response-stream.ts), posted as they are written for a streamed one (posted-response-stream.ts).
 */

export function invokeStreaming(inv: Invocation, stream: ResponseStream): void {
  let waitForEmptyEventLoop = true;
  const context = attachContext(
    {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value: boolean) {
        waitForEmptyEventLoop = value;
      },
    },
    inv,
  );
  const fail = (error: unknown): void => {
    logError('Invoke Error', error);
    inv.settle({ error: formatError(error) });
  };
  void (async () => {
    try {
      const pending = inv.handler(inv.event, stream, context);
      if (!isPromise(pending)) return fail('Streaming does not support non-async handlers.');
      const result = await pending;
      if (result !== undefined) console.warn('Streaming handlers ignore return values.');
      if (stream.writableEnded && !stream.writableFinished) await new Promise((resolve) => stream.once('finish', resolve));
      if (!stream.writableFinished) return fail('Response stream is not finished.');
      inv.settle(stream.settlement());
    } catch (error) {
      fail(error);
    }
  })();
}
