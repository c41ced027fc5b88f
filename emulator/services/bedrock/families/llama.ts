import type { Reply } from '../reply.ts';
import { countTokens } from '../tokens.ts';
import { asObject, assertValid, objectViolations, type ObjectSpec } from './body-schema.ts';
import { METRICS_KEY, promptRequest, replyText, textDeltas, type InvokeFamily, type StreamChunk } from './family.ts';

/**
 * Meta Llama: `{prompt, max_gen_len, temperature, top_p}` in, `{generation, prompt_token_count,
 * generation_token_count, stop_reason}` out. The prompt (chat template and all) is one user message:
 * the mock needs its text, not its turns. Stream chunks carry the prompt count on the first chunk, a
 * running generation count on each, and a closing chunk with the stop reason and Bedrock's metrics [O].
 */
const SPEC: ObjectSpec = { required: ['prompt'], properties: { prompt: 'string', max_gen_len: 'integer', temperature: 'number', top_p: 'number', images: 'array' } };

export const llama: InvokeFamily = {
  name: 'llama',

  parse(raw) {
    const body = asObject(raw);
    assertValid(objectViolations(body, SPEC));
    return promptRequest(body.prompt as string, {
      maxTokens: body.max_gen_len as number | undefined,
      temperature: body.temperature as number | undefined,
      topP: body.top_p as number | undefined,
    });
  },

  render({ reply }) {
    return { generation: replyText(reply), prompt_token_count: reply.usage.inputTokens, generation_token_count: reply.usage.outputTokens, stop_reason: stopReason(reply) };
  },

  stream({ reply, timeline, metrics }) {
    let sofar = '';
    const chunks: StreamChunk[] = textDeltas(timeline).map((d, i) => {
      sofar += d.text;
      return { atMs: d.atMs, role: 'content', payload: { generation: d.text, prompt_token_count: i === 0 ? reply.usage.inputTokens : null, generation_token_count: countTokens(sofar), stop_reason: null } };
    });
    chunks.push({
      atMs: timeline.endMs,
      role: 'final',
      payload: { generation: '', prompt_token_count: chunks.length === 0 ? reply.usage.inputTokens : null, generation_token_count: reply.usage.outputTokens, stop_reason: stopReason(reply), [METRICS_KEY]: metrics },
    });
    return chunks;
  },
};

function stopReason(reply: Reply): string {
  return reply.stopReason === 'max_tokens' ? 'length' : 'stop';
}
