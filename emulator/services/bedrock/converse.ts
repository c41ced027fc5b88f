import { tracedStream, traceComplete } from './completion.ts';
import { parseConverseRequest, promptText } from './converse-request.ts';
import { converseContentBlock, converseDelta } from './converse-shapes.ts';
import { encodeEvent, EVENT_STREAM_CONTENT_TYPE } from './event-stream.ts';
import type { OperationContext, OperationHandler } from './operation.ts';
import { faultedStream, stallMs, type PlannedFrame } from './faults.ts';
import { delay, timedIterable } from './pacing.ts';
import type { Reply } from './reply.ts';
import { planTimeline, type Timeline, type TimelineEvent } from './timeline.ts';
import { countTokens } from './tokens.ts';

/**
 * Converse and ConverseStream: the Reply in Converse's shapes (reference 4.3, 4.4). Knows nothing of
 * what the model says (model.ts) or of the wire (router.ts).
 */
function decide(ctx: OperationContext): { reply: Reply; timeline: Timeline } {
  const request = parseConverseRequest(ctx.request.body);
  // Before the model: a throttled request must not advance a script's sequence.
  const admission = ctx.quotas.admit({ requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, inputTokens: countTokens(promptText(request)), maxTokens: request.inferenceConfig?.maxTokens });
  const reply = ctx.model.reply({ modelId: ctx.modelId, request });
  ctx.trace.record('bedrock.response', { requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, status: 200, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens });
  const timeline = planTimeline(reply, ctx.draw);
  admission.settle(reply.usage.outputTokens, timeline.endMs + stallMs(ctx.fault));
  return { reply, timeline };
}

/** Waits as long as the model would take to write the whole reply, then answers. */
export const converseOperation: OperationHandler = async (ctx) => {
  const startedAt = ctx.clock.now();
  const { reply, timeline } = decide(ctx);
  await delay(ctx.clock, timeline.endMs + stallMs(ctx.fault));
  traceComplete(ctx, 'complete', 0);
  const body = {
    output: { message: { role: 'assistant', content: reply.content.map(converseContentBlock) } },
    stopReason: reply.stopReason,
    usage: reply.usage,
    metrics: { latencyMs: Math.round(ctx.clock.now() - startedAt) },
    ...(reply.trace ? { trace: reply.trace } : {}),
  };
  return { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify(body) };
};


/**
 * ConverseStream's frames in the reference's order (4.4): messageStart at once; per block an optional
 * contentBlockStart (tool use only: text blocks begin with a delta), its deltas at their paced
 * instants, contentBlockStop; then messageStop and metadata with the last chunk. With an in-stream
 * fault, the exception frame follows the N-th delta, at that delta's instant, and the stream ends (a
 * drop cuts the connection there instead; a stall shifts the rest: faults.ts `faultedStream`).
 */
export const converseStreamOperation: OperationHandler = async (ctx) => {
  const startedAt = ctx.clock.now();
  const { reply, timeline } = decide(ctx);
  const frames: PlannedFrame[] = [{ atMs: 0, value: encodeEvent('messageStart', { role: 'assistant' }) }];
  for (const event of timeline.events) {
    const frame = streamFrame(event);
    if (frame) frames.push({ atMs: event.atMs, value: frame, chunk: event.kind === 'delta' });
  }
  const end = timeline.endMs;
  frames.push(
    { atMs: end, value: encodeEvent('messageStop', { stopReason: reply.stopReason }), tail: true },
    { atMs: end, value: encodeEvent('metadata', { usage: reply.usage, metrics: { latencyMs: Math.round(end + stallMs(ctx.fault)) }, ...(reply.trace ? { trace: reply.trace } : {}) }), tail: true },
  );
  const { items, fail } = faultedStream(frames, ctx.fault, 'ConverseStream');
  const body = tracedStream(ctx, timedIterable(ctx.clock, startedAt, items, fail), ctx.fault?.kind === 'stream' ? 'exception' : 'complete');
  return { status: 200, headers: [['content-type', EVENT_STREAM_CONTENT_TYPE]], body };
};

function streamFrame(event: TimelineEvent): Buffer | undefined {
  const contentBlockIndex = event.index;
  switch (event.kind) {
    case 'blockStart':
      return event.block.type === 'toolUse'
        ? encodeEvent('contentBlockStart', { start: { toolUse: { toolUseId: event.block.toolUseId, name: event.block.name } }, contentBlockIndex })
        : undefined;
    case 'delta':
      return encodeEvent('contentBlockDelta', { delta: converseDelta(event.block, event.text), contentBlockIndex });
    case 'signature':
      return encodeEvent('contentBlockDelta', { delta: { reasoningContent: { signature: event.signature } }, contentBlockIndex });
    case 'blockStop':
      return encodeEvent('contentBlockStop', { contentBlockIndex });
  }
}

