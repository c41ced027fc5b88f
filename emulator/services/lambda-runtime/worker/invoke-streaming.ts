import { attachContext, isPromise, type Invocation } from './invocation.ts';
import { BufferedResponseStream } from './response-stream.ts';
import { formatError, logError } from './runtime-errors.ts';

/**
 * A streamified handler (`awslambda.streamifyResponse`) as Lambda's Node.js 20 runtime runs it: it must
 * return a promise and end its stream. This path buffers what it writes (see response-stream.ts).
 */

export function invokeStreaming(inv: Invocation): void {
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
  const stream = new BufferedResponseStream();
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
      inv.settle({ payload: stream.body() });
    } catch (error) {
      fail(error);
    }
  })();
}
