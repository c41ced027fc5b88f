import { checkConverseRequest } from '../converse-request.ts';
import { converseContentBlock, converseDelta } from '../converse-shapes.ts';
import type { Usage } from '../reply.ts';
import type { TimelineEvent } from '../timeline.ts';
import { asObject, assertValid, isObject, objectViolations, type ObjectSpec } from './body-schema.ts';
import { definedOnly, METRICS_KEY, type InvokeFamily, type StreamChunk } from './family.ts';

/**
 * Amazon Nova's messages-v1 body: Converse's messages and tools, with its own inferenceConfig
 * spelling (`max_new_tokens`, `top_p`; the Converse spellings are accepted too). The response and
 * the stream chunks mirror Converse's shapes ([D] Nova user guide, "Response structure highlights"
 * and "streaming responses"); usage adds Nova's `cache…InputTokenCount` names [O].
 */
const SPEC: ObjectSpec = {
  required: ['messages'],
  properties: { schemaVersion: 'string', messages: 'array', system: 'array', inferenceConfig: 'object', toolConfig: 'object' },
};

const INFERENCE_SPEC: ObjectSpec = {
  properties: {
    max_new_tokens: 'integer',
    maxTokens: 'integer',
    temperature: 'number',
    top_p: 'number',
    topP: 'number',
    top_k: 'integer',
    topK: 'integer',
    stopSequences: 'array',
  },
};

export const nova: InvokeFamily = {
  name: 'nova',

  parse(raw) {
    const body = asObject(raw);
    const config = isObject(body.inferenceConfig) ? body.inferenceConfig : {};
    assertValid([...objectViolations(body, SPEC), ...objectViolations(config, INFERENCE_SPEC, '#/inferenceConfig')]);
    return checkConverseRequest({
      messages: body.messages,
      ...(body.system !== undefined ? { system: body.system } : {}),
      inferenceConfig: definedOnly({
        maxTokens: (config.max_new_tokens ?? config.maxTokens) as number | undefined,
        temperature: config.temperature as number | undefined,
        topP: (config.top_p ?? config.topP) as number | undefined,
        stopSequences: config.stopSequences as string[] | undefined,
      }),
      ...(body.toolConfig !== undefined ? { toolConfig: body.toolConfig } : {}),
    });
  },

  render({ reply }) {
    return { output: { message: { role: 'assistant', content: reply.content.map(converseContentBlock) } }, stopReason: reply.stopReason, usage: usage(reply.usage) };
  },

  stream({ reply, timeline, metrics }) {
    const chunks: StreamChunk[] = [{ atMs: 0, role: 'frame', payload: { messageStart: { role: 'assistant' } } }];
    for (const event of timeline.events) {
      const chunk = eventChunk(event);
      if (chunk) chunks.push(chunk);
    }
    const end = timeline.endMs;
    chunks.push(
      { atMs: end, role: 'final', payload: { messageStop: { stopReason: reply.stopReason } } },
      { atMs: end, role: 'final', payload: { metadata: { usage: usage(reply.usage), metrics: {}, trace: {} }, [METRICS_KEY]: metrics } },
    );
    return chunks;
  },
};

function eventChunk(event: TimelineEvent): StreamChunk | undefined {
  const contentBlockIndex = event.index;
  switch (event.kind) {
    case 'blockStart':
      // As in ConverseStream, only tool use opens with a start event; text begins with its first delta.
      return event.block.type === 'toolUse'
        ? { atMs: event.atMs, role: 'frame', payload: { contentBlockStart: { start: { toolUse: { toolUseId: event.block.toolUseId, name: event.block.name } }, contentBlockIndex } } }
        : undefined;
    case 'delta':
      return { atMs: event.atMs, role: 'content', payload: { contentBlockDelta: { delta: converseDelta(event.block, event.text), contentBlockIndex } } };
    case 'signature':
      // Nova's reasoning is returned redacted and unsigned.
      return undefined;
    case 'blockStop':
      return { atMs: event.atMs, role: 'frame', payload: { contentBlockStop: { contentBlockIndex } } };
  }
}



function usage(u: Usage): Record<string, number> {
  return {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    totalTokens: u.totalTokens,
    ...(u.cacheReadInputTokens !== undefined ? { cacheReadInputTokenCount: u.cacheReadInputTokens } : {}),
    ...(u.cacheWriteInputTokens !== undefined ? { cacheWriteInputTokenCount: u.cacheWriteInputTokens } : {}),
  };
}
