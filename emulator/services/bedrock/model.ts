import type { Clock } from '../../core/clock.ts';
import { promptText, type ConverseRequest } from './converse-request.ts';
import { mockText } from './mock-text.ts';
import type { BedrockOptions } from './options.ts';
import { replyOutputText, type Reply, type ReplyBlock, type StopReason } from './reply.ts';
import { CHARS_PER_TOKEN, countTokens } from './tokens.ts';

/**
 * The mock model: decides what a request gets back, as a Reply every operation renders. Stateful
 * across requests (scripts' sequences, the prompt cache), so one lives per emulator.
 */
export interface ModelCall {
  /** The model id as the request named it (decoded path label). */
  modelId: string;
  request: ConverseRequest;
}

export interface Model {
  reply(call: ModelCall): Reply;
}

export function createModel(options: BedrockOptions, _clock: Clock): Model {
  return {
    reply(call) {
      return unscriptedReply(options, call);
    },
  };
}

/**
 * Without a script: seeded text derived from the prompt, `mock.outputTokens` long. A `maxTokens` below
 * that cuts the text at that many tokens and stops with `max_tokens`, as a model that had more to say.
 */
export function unscriptedReply(options: BedrockOptions, call: ModelCall): Reply {
  const prompt = promptText(call.request);
  const text = mockText({ seed: options.mock.seed, modelId: call.modelId, prompt, outputTokens: options.mock.outputTokens });
  return buildReply(options, call, [{ type: 'text', text }], 'end_turn', 'mock');
}

/** Applies `maxTokens`, then counts usage by the one rule of tokens.ts. */
export function buildReply(options: BedrockOptions, call: ModelCall, content: ReplyBlock[], stopReason: StopReason, source: string): Reply {
  const limited = limitTokens(content, call.request.inferenceConfig?.maxTokens);
  const inputTokens = countTokens(promptText(call.request));
  const outputTokens = countTokens(replyOutputText(limited.content));
  return {
    content: limited.content,
    stopReason: limited.cut ? 'max_tokens' : stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    latency: options.latency,
    source,
  };
}

/**
 * Cuts text and reasoning at `maxTokens` tokens in all (CHARS_PER_TOKEN characters each). A tool call
 * that does not fit is dropped whole: a half-written tool input is not JSON.
 */
function limitTokens(content: ReplyBlock[], maxTokens: number | undefined): { content: ReplyBlock[]; cut: boolean } {
  if (maxTokens === undefined) return { content, cut: false };
  let budget = maxTokens * CHARS_PER_TOKEN;
  const kept: ReplyBlock[] = [];
  for (const block of content) {
    const length = block.type === 'toolUse' ? JSON.stringify(block.input).length : block.text.length;
    if (length <= budget) {
      kept.push(block);
      budget -= length;
      continue;
    }
    if (block.type !== 'toolUse' && budget > 0) kept.push({ ...block, text: block.text.slice(0, budget) });
    return { content: kept, cut: true };
  }
  return { content: kept, cut: false };
}
