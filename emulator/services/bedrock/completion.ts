import type { OperationContext } from './operation.ts';

/**
 * `bedrock.complete` in the trace: when the model's work ended, which is later than `bedrock.response`
 * (the reply decided) by the whole generation. Scenarios use it to show a Bedrock call that outlived
 * the gateway's 29 s.
 */
export function traceComplete(ctx: OperationContext, outcome: 'complete' | 'exception' | 'dropped' | 'client-gone', frames: number): void {
  ctx.trace.record('bedrock.complete', { requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, outcome, frames });
}

/**
 * Passes a stream's frames through and records how it ended: every frame out (`endOutcome`: complete,
 * or exception when the last frame is an injected exception), the client gone first, or the source
 * throwing (a dropped connection).
 */
export function tracedStream(ctx: OperationContext, source: AsyncIterable<Buffer>, endOutcome: 'complete' | 'exception'): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<Buffer> {
      const inner = source[Symbol.asyncIterator]();
      let frames = 0;
      let ended = false;
      const end = (outcome: 'complete' | 'exception' | 'dropped' | 'client-gone') => {
        if (ended) return;
        ended = true;
        traceComplete(ctx, outcome, frames);
      };
      return {
        async next() {
          try {
            const result = await inner.next();
            if (result.done) end(endOutcome);
            else ctx.trace.record('bedrock.chunk', { requestId: ctx.requestId, modelId: ctx.modelId, chunk: ++frames, bytes: result.value.length });
            return result;
          } catch (error) {
            end('dropped');
            throw error;
          }
        },
        async return(value?: unknown) {
          end('client-gone');
          return (await inner.return?.(value)) ?? { done: true, value: undefined };
        },
      };
    },
  };
}
