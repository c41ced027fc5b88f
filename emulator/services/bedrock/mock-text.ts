import { fnv1a, prng } from './random.ts';
import { countTokens } from './tokens.ts';

/**
 * Unscripted replies: deterministic text derived from the prompt, so the same request gets the same
 * answer on every run and machine, and different prompts get visibly different ones. It opens with a
 * label so nobody mistakes it for a model's answer.
 */
export const MOCK_TEXT_LABEL = '[genai-offline mock]';

const WORDS = [
  'model', 'stream', 'token', 'latency', 'request', 'answer', 'context', 'prompt', 'gateway', 'lambda',
  'region', 'window', 'budget', 'signal', 'result', 'summary', 'vector', 'record', 'message', 'turn',
  'local', 'steady', 'quick', 'careful', 'simple', 'useful', 'clear', 'brief', 'stable', 'early',
  'and', 'then', 'with', 'from', 'into', 'over', 'for', 'the', 'a', 'each',
];

export interface MockTextInput {
  seed: number;
  modelId: string;
  /** The text the reply is derived from: system prompt and conversation, in order. */
  prompt: string;
  outputTokens: number;
}

export function mockText(input: MockTextInput): string {
  const next = prng(fnv1a(`${input.seed}\u0000${input.modelId}\u0000${input.prompt}`));
  let text = MOCK_TEXT_LABEL;
  let sentenceStart = true;
  while (countTokens(text) < input.outputTokens) {
    let word = WORDS[Math.floor(next() * WORDS.length)]!;
    if (sentenceStart) word = word[0]!.toUpperCase() + word.slice(1);
    sentenceStart = next() < 0.12;
    text += ` ${word}${sentenceStart ? '.' : ''}`;
  }
  return sentenceStart ? text : `${text}.`;
}
