import type { HttpResponse } from '../../core/http.ts';
import { tracedStream, traceComplete } from './completion.ts';
import { parseJsonBody, promptText, type ConverseRequest } from './converse-request.ts';
import { ValidationException } from './errors.ts';
import { encodeEvent, EVENT_STREAM_CONTENT_TYPE } from './event-stream.ts';
import { faultedStream, stallMs, type PlannedFrame } from './faults.ts';
import { intervened, type InvocationMetrics, type InvokeFamily, type ModelRef } from './families/family.ts';
import { resolveFamily } from './families/resolve.ts';
import { guardrailFromHeaders } from './guardrails.ts';
import { requestHeader, type OperationContext, type OperationHandler } from './operation.ts';
import { delay, timedIterable } from './pacing.ts';
import type { Reply } from './reply.ts';
import { planTimeline, type Timeline } from './timeline.ts';
import { countTokens } from './tokens.ts';

/**
 * InvokeModel and InvokeModelWithResponseStream (reference 4.1, 4.5): the model id picks a body
 * format (families/), the body is parsed into the Converse shape, the model decides a Reply, and the
 * family renders it. The operation owns what is common: accept types, quotas, pacing, faults, headers.
 */
const JSON_TYPE = 'application/json';

interface Decided {
  family: InvokeFamily;
  model: ModelRef;
  reply: Reply;
  timeline: Timeline;
  messageId: string;
  guarded: boolean;
  settle: (finishesInMs: number) => void;
}

function decide(ctx: OperationContext, acceptHeader: string): Decided {
  const { family, model } = resolveFamily(ctx.modelId);
  checkAccept(requestHeader(ctx.request, acceptHeader));
  const request: ConverseRequest = family.parse(parseJsonBody(ctx.request.body), model);
  const admission = ctx.quotas.admit({ requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, inputTokens: countTokens(promptText(request)), maxTokens: request.inferenceConfig?.maxTokens });
  const guardrail = guardrailFromHeaders(ctx.request);
  const reply = ctx.model.reply({ modelId: ctx.modelId, request, ...(guardrail ? { guardrail } : {}) });
  ctx.trace.record('bedrock.response', { requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, status: 200, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens });
  const timeline = planTimeline(reply, ctx.draw);
  // Drawn after the timeline, from the request's seeded source: the id repeats run to run.
  const messageId = claudeMessageId(ctx.draw);
  return { family, model, reply, timeline, messageId, guarded: guardrail !== undefined, settle: (ms) => admission.settle(reply.usage.outputTokens, ms) };
}

/** Waits as long as the model would take to write the whole reply (plus any stall), then answers. */
export const invokeModelOperation: OperationHandler = async (ctx) => {
  const startedAt = ctx.clock.now();
  const { family, model, reply, timeline, messageId, guarded, settle } = decide(ctx, 'Accept');
  const waitMs = timeline.endMs + stallMs(ctx.fault);
  settle(waitMs);
  await delay(ctx.clock, waitMs);
  const body = { ...family.render({ reply, model, messageId }), ...guardrailAction(reply, guarded) };
  traceComplete(ctx, 'complete', 0);
  const response: HttpResponse = {
    status: 200,
    headers: [['content-type', JSON_TYPE], ...tokenHeaders(reply, Math.round(ctx.clock.now() - startedAt))],
    body: JSON.stringify(body),
  };
  return response;
};

/**
 * Each family payload travels as a `chunk` event `{bytes: base64(JSON)}` (reference 4.5), at its
 * timeline instant. In-stream faults cut after N content chunks (faults.ts `faultedStream`).
 */
export const invokeModelWithResponseStreamOperation: OperationHandler = async (ctx) => {
  const startedAt = ctx.clock.now();
  const { family, model, reply, timeline, messageId, settle } = decide(ctx, 'X-Amzn-Bedrock-Accept');
  settle(timeline.endMs + stallMs(ctx.fault));
  const chunks = family.stream({ reply, model, messageId, timeline, metrics: invocationMetrics(reply, timeline, stallMs(ctx.fault)) });
  const frames: PlannedFrame[] = chunks.map((c) => ({ atMs: c.atMs, value: chunkEvent(c.payload), chunk: c.role === 'content', tail: c.role === 'final' }));
  const { items, fail } = faultedStream(frames, ctx.fault, 'InvokeModelWithResponseStream');
  const body = tracedStream(ctx, timedIterable(ctx.clock, startedAt, items, fail), ctx.fault?.kind === 'stream' ? 'exception' : 'complete');
  return {
    status: 200,
    headers: [['content-type', EVENT_STREAM_CONTENT_TYPE], ['x-amzn-bedrock-content-type', JSON_TYPE]],
    body,
  };
};

export function chunkEvent(payload: object): Buffer {
  return encodeEvent('chunk', { bytes: Buffer.from(JSON.stringify(payload), 'utf8').toString('base64') });
}

/** Latencies in whole emulated ms from the request's arrival (a stall included), as Bedrock reports them. */
function invocationMetrics(reply: Reply, timeline: Timeline, stall: number): InvocationMetrics {
  const { usage } = reply;
  return {
    inputTokenCount: usage.inputTokens,
    outputTokenCount: usage.outputTokens,
    invocationLatency: Math.round(timeline.endMs + stall),
    firstByteLatency: Math.round(timeline.firstChunkMs),
    ...(usage.cacheReadInputTokens !== undefined ? { cacheReadInputTokenCount: usage.cacheReadInputTokens } : {}),
    ...(usage.cacheWriteInputTokens !== undefined ? { cacheWriteInputTokenCount: usage.cacheWriteInputTokens } : {}),
  };
}

/** InvokeModel's usage travels in headers, whatever the body format [O] (boto3 users' HTTPHeaders dumps). */
function tokenHeaders(reply: Reply, latencyMs: number): Array<[string, string]> {
  const { usage } = reply;
  const headers: Array<[string, string]> = [
    ['x-amzn-bedrock-invocation-latency', String(latencyMs)],
    ['x-amzn-bedrock-output-token-count', String(usage.outputTokens)],
    ['x-amzn-bedrock-input-token-count', String(usage.inputTokens)],
  ];
  if (usage.cacheReadInputTokens !== undefined) headers.push(['x-amzn-bedrock-cache-read-input-token-count', String(usage.cacheReadInputTokens)]);
  if (usage.cacheWriteInputTokens !== undefined) headers.push(['x-amzn-bedrock-cache-write-input-token-count', String(usage.cacheWriteInputTokens)]);
  return headers;
}

/** With a guardrail in the headers, the body says whether it intervened [O]. */
function guardrailAction(reply: Reply, guarded: boolean): Record<string, string> {
  return guarded ? { 'amazon-bedrock-guardrailAction': intervened(reply.stopReason) ? 'INTERVENED' : 'NONE' } : {};
}

/** Every family answers JSON: an accept list must allow it (absent means anything). */
function checkAccept(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const ranges = accept.split(',').map((r) => r.split(';')[0]!.trim().toLowerCase());
  if (ranges.some((r) => r === '*/*' || r === 'application/*' || r === JSON_TYPE)) return;
  // Ours: Bedrock's wording for an unsupported accept type was not found.
  throw new ValidationException(`The requested accept type ${accept} is not supported. Use ${JSON_TYPE}.`);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `msg_bdrk_01…` with 22 seeded base62 characters, the shape of Bedrock's Claude message ids [O]. */
function claudeMessageId(draw: () => number): string {
  let id = 'msg_bdrk_01';
  for (let i = 0; i < 22; i++) id += BASE62[Math.floor(draw() * 62)];
  return id;
}
