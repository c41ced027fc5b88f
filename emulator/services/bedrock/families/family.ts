import type { ConverseRequest } from '../converse-request.ts';
import type { Reply, StopReason } from '../reply.ts';
import type { Timeline, TimelineEvent } from '../timeline.ts';

/**
 * One InvokeModel body format (a model family): its request parsed into the Converse shape every
 * operation shares (so scripts, guardrails, caching and token counts see one shape), and a Reply
 * rendered back into its response body and its stream chunks. Pure functions: no clock, no HTTP.
 */
export interface InvokeFamily {
  /** For traces and errors: `anthropic-messages`, `nova`, ... */
  readonly name: string;
  /** Throws ValidationException with Bedrock's wording when the body does not fit the family. */
  parse(body: unknown, model: ModelRef): ConverseRequest;
  render(input: RenderInput): object;
  /** The chunk payloads in order, each at its timeline instant. */
  stream(input: StreamInput): StreamChunk[];
}

/** The model a request names, resolved (resolve.ts). */
export interface ModelRef {
  /** The foundation-model id without ARN or cross-region prefix: `anthropic.claude-3-haiku-20240307-v1:0`. */
  baseModelId: string;
}

/** What Bedrock appends to the last chunk of every InvokeModelWithResponseStream (reference 4.5) [O]. */
export interface InvocationMetrics {
  inputTokenCount: number;
  outputTokenCount: number;
  invocationLatency: number;
  firstByteLatency: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

export interface RenderInput {
  reply: Reply;
  model: ModelRef;
  /** Seeded per request, for ids the body carries (Claude's `msg_bdrk_…`). */
  messageId: string;
}

export interface StreamInput extends RenderInput {
  timeline: Timeline;
  metrics: InvocationMetrics;
}

/**
 * `content` chunks carry reply text (an in-stream fault counts them); `frame` chunks open or close a
 * block; `final` chunks end the message and carry the metrics, so a stream cut by a fault omits them.
 */
export interface StreamChunk {
  atMs: number;
  payload: object;
  role: 'frame' | 'content' | 'final';
}

export const METRICS_KEY = 'amazon-bedrock-invocationMetrics';

/** The text deltas of a timeline: what families without tool or reasoning fields can stream. */
export function textDeltas(timeline: Timeline): Array<Extract<TimelineEvent, { kind: 'delta' }>> {
  return timeline.events.filter((e): e is Extract<TimelineEvent, { kind: 'delta' }> => e.kind === 'delta' && e.block.type === 'text');
}

/** The reply's text blocks joined: plain-completion families have no field for tools or reasoning. */
export function replyText(reply: Reply): string {
  return reply.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** Single-prompt families (Titan, Llama, Claude v2) carry the prompt as one user message. */
export function promptRequest(prompt: string, inferenceConfig: ConverseRequest['inferenceConfig'], system?: string): ConverseRequest {
  return {
    messages: [{ role: 'user', content: [{ text: prompt }] }],
    ...(system ? { system: [{ text: system }] } : {}),
    ...(inferenceConfig && Object.values(inferenceConfig).some((v) => v !== undefined) ? { inferenceConfig: definedOnly(inferenceConfig) } : {}),
  };
}

export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** True when a guardrail or content filter replaced the model's answer. */
export function intervened(stopReason: StopReason): boolean {
  return stopReason === 'guardrail_intervened' || stopReason === 'content_filtered';
}
