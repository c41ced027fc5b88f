import type { ConverseRequest } from '../converse-request.ts';
import { ValidationException } from '../errors.ts';
import type { Reply } from '../reply.ts';
import { asObject, assertValid, objectViolations, type ObjectSpec } from './body-schema.ts';
import { definedOnly, METRICS_KEY, replyText, textDeltas, type InvokeFamily, type StreamChunk } from './family.ts';

/**
 * Claude 2 / Instant text completions: `"\n\nHuman: …\n\nAssistant:"` in, `{completion, stop_reason,
 * stop}` out. A reply that ends its turn reports the `\n\nHuman:` it stopped at, as these models do.
 */
const SPEC: ObjectSpec = {
  required: ['prompt', 'max_tokens_to_sample'],
  properties: {
    prompt: 'string',
    max_tokens_to_sample: 'integer',
    stop_sequences: 'array',
    temperature: 'number',
    top_p: 'number',
    top_k: 'integer',
    anthropic_version: 'string',
  },
};

const HUMAN = '\n\nHuman:';
const ASSISTANT = '\n\nAssistant:';
/** [O] spring-projects/spring-ai#404 (2024). */
export const PROMPT_START = `prompt must start with "${HUMAN}" turn after an optional system prompt`;
/** [O] aws-samples/aws-genai-llm-chatbot#52 (2023: `Invalid prompt: prompt must end with …`, prefix dropped as in the 2024 form). */
export const PROMPT_END = `prompt must end with "${ASSISTANT}" turn`;

export const anthropicText: InvokeFamily = {
  name: 'anthropic-text',

  parse(raw) {
    const body = asObject(raw);
    assertValid(objectViolations(body, SPEC));
    const { system, messages } = turns(body.prompt as string);
    return {
      messages,
      ...(system ? { system: [{ text: system }] } : {}),
      inferenceConfig: definedOnly({
        maxTokens: body.max_tokens_to_sample as number,
        temperature: body.temperature as number | undefined,
        topP: body.top_p as number | undefined,
        stopSequences: body.stop_sequences as string[] | undefined,
      }),
    };
  },

  render({ reply }) {
    return { completion: replyText(reply), ...ending(reply) };
  },

  stream({ reply, timeline, metrics }) {
    const chunks: StreamChunk[] = textDeltas(timeline).map((d) => ({ atMs: d.atMs, role: 'content', payload: { completion: d.text, stop_reason: null, stop: null } }));
    chunks.push({ atMs: timeline.endMs, role: 'final', payload: { completion: '', ...ending(reply), [METRICS_KEY]: metrics } });
    return chunks;
  },
};

function ending(reply: Reply): { stop_reason: string; stop: string | null } {
  if (reply.stopReason === 'max_tokens') return { stop_reason: 'max_tokens', stop: null };
  return { stop_reason: 'stop_sequence', stop: reply.stopReason === 'stop_sequence' && reply.stopSequence ? reply.stopSequence : HUMAN };
}

/** Splits the prompt into an optional system prompt and alternating turns; the last must be the assistant's. */
function turns(prompt: string): { system: string; messages: ConverseRequest['messages'] } {
  const markers = [...prompt.matchAll(/\n\n(Human|Assistant):/g)];
  if (markers.length === 0 || markers[0]![1] !== 'Human') throw new ValidationException(PROMPT_START);
  if (markers.at(-1)![1] !== 'Assistant') throw new ValidationException(PROMPT_END);
  const messages: ConverseRequest['messages'] = [];
  markers.forEach((marker, i) => {
    const start = marker.index + marker[0].length;
    const text = prompt.slice(start, markers[i + 1]?.index ?? prompt.length).trim();
    const role = marker[1] === 'Human' ? 'user' : 'assistant';
    // The closing "\n\nAssistant:" is where the model writes; text after it is a prefill.
    if (role === 'assistant' && i === markers.length - 1 && text === '') return;
    messages.push({ role, content: [{ text }] });
  });
  return { system: prompt.slice(0, markers[0]!.index).trim(), messages };
}
