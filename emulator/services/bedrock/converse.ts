import type { Clock } from '../../core/clock.ts';
import type { BedrockError } from './errors.ts';
import { encodeEvent } from './event-stream.ts';
import { promptText, type ConverseRequest } from './converse-request.ts';
import { mockText } from './mock-text.ts';
import type { BedrockOptions } from './options.ts';
import { completionMs, delay, paceChunks, timedIterable, type TimedItem } from './pacing.ts';
import { CHARS_PER_TOKEN, countTokens } from './tokens.ts';

/**
 * Converse and ConverseStream in mock mode: what the model says and when. Knows nothing of HTTP; the
 * router parses and encodes. Scripts and real/record/replay modes are later slices: they will choose
 * the reply (text, stop reason, timing) that this module now derives from the prompt.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface MockReply {
  text: string;
  usage: Usage;
  stopReason: 'end_turn';
}

export function mockReply(options: BedrockOptions, modelId: string, request: ConverseRequest): MockReply {
  const prompt = promptText(request);
  // maxTokens caps the reply as it would a model's; the stop reason stays end_turn because the mock
  // text ends where it is cut (a max_tokens stop is for scripts to ask for).
  const outputTokens = Math.min(options.mock.outputTokens, request.inferenceConfig?.maxTokens ?? Infinity);
  const text = mockText({ seed: options.mock.seed, modelId, prompt, outputTokens });
  const inputTokens = countTokens(prompt);
  const output = countTokens(text);
  return { text, stopReason: 'end_turn', usage: { inputTokens, outputTokens: output, totalTokens: inputTokens + output } };
}

/** Waits as long as the model would take to write the whole reply, then answers (Converse). */
export async function converse(options: BedrockOptions, clock: Clock, reply: MockReply): Promise<object> {
  const startedAt = clock.now();
  await delay(clock, completionMs(paceChunks(reply.text, options.latency, CHARS_PER_TOKEN), options.latency));
  return {
    output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
    stopReason: reply.stopReason,
    usage: reply.usage,
    metrics: { latencyMs: Math.round(clock.now() - startedAt) },
  };
}

/** An injected mid-stream fault: `afterChunks` deltas go out, then the exception frame ends the stream. */
export interface StreamFault {
  error: BedrockError;
  afterChunks: number;
}

/**
 * ConverseStream's frames in the reference's order (4.4): messageStart at once, one contentBlockDelta
 * per chunk at its paced instant, then contentBlockStop, messageStop and metadata with the last chunk.
 * With a fault, the exception frame follows the last delta sent, at that delta's instant.
 */
export function converseStream(options: BedrockOptions, clock: Clock, reply: MockReply, fault?: StreamFault): AsyncIterable<Buffer> {
  const startedAt = clock.now();
  const chunks = paceChunks(reply.text, options.latency, CHARS_PER_TOKEN);
  const end = completionMs(chunks, options.latency);
  const frames: Array<TimedItem<Buffer>> = [{ atMs: 0, value: encodeEvent('messageStart', { role: 'assistant' }) }];
  const sent = fault ? chunks.slice(0, fault.afterChunks) : chunks;
  for (const chunk of sent) frames.push({ atMs: chunk.atMs, value: encodeEvent('contentBlockDelta', { delta: { text: chunk.text }, contentBlockIndex: 0 }) });
  if (fault) {
    frames.push({ atMs: frames.at(-1)!.atMs, value: fault.error.renderStreamException() });
    return timedIterable(clock, startedAt, frames);
  }
  frames.push(
    { atMs: end, value: encodeEvent('contentBlockStop', { contentBlockIndex: 0 }) },
    { atMs: end, value: encodeEvent('messageStop', { stopReason: reply.stopReason }) },
    { atMs: end, value: encodeEvent('metadata', { usage: reply.usage, metrics: { latencyMs: Math.round(end) } }) },
  );
  return timedIterable(clock, startedAt, frames);
}
