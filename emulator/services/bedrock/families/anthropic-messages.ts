import type { ReplyBlock, StopReason, Usage } from '../reply.ts';
import type { TimelineEvent } from '../timeline.ts';
import { claudeModelName, parseAnthropicMessages } from './anthropic-request.ts';
import { intervened, METRICS_KEY, type InvokeFamily, type StreamChunk } from './family.ts';

/**
 * Claude Messages on Bedrock: the body Anthropic's API returns, and its stream events as Bedrock
 * delivers them, one event per chunk, with Bedrock's metrics on `message_stop` (reference 4.5).
 */
export const anthropicMessages: InvokeFamily = {
  name: 'anthropic-messages',
  parse: parseAnthropicMessages,

  render({ reply, model, messageId }) {
    return {
      id: messageId,
      type: 'message',
      role: 'assistant',
      model: claudeModelName(model),
      content: reply.content.map(contentBlock),
      stop_reason: stopReason(reply.stopReason),
      stop_sequence: reply.stopSequence ?? null,
      usage: usage(reply.usage),
    };
  },

  stream({ reply, model, messageId, timeline, metrics }) {
    const message = { id: messageId, type: 'message', role: 'assistant', model: claudeModelName(model), content: [], stop_reason: null, stop_sequence: null };
    // Anthropic's message_start reports one output token already (reference 4.5's capture).
    const chunks: StreamChunk[] = [{ atMs: 0, role: 'frame', payload: { type: 'message_start', message: { ...message, usage: { ...usage(reply.usage), output_tokens: 1 } } } }];
    for (const event of timeline.events) chunks.push(eventChunk(event));
    const end = timeline.endMs;
    chunks.push(
      { atMs: end, role: 'final', payload: { type: 'message_delta', delta: { stop_reason: stopReason(reply.stopReason), stop_sequence: reply.stopSequence ?? null }, usage: { output_tokens: reply.usage.outputTokens } } },
      { atMs: end, role: 'final', payload: { type: 'message_stop', [METRICS_KEY]: metrics } },
    );
    return chunks;
  },
};

function eventChunk(event: TimelineEvent): StreamChunk {
  const index = event.index;
  switch (event.kind) {
    case 'blockStart':
      return { atMs: event.atMs, role: 'frame', payload: { type: 'content_block_start', index, content_block: emptyBlock(event.block) } };
    case 'delta':
      return { atMs: event.atMs, role: 'content', payload: { type: 'content_block_delta', index, delta: delta(event.block, event.text) } };
    case 'signature':
      return { atMs: event.atMs, role: 'frame', payload: { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: event.signature } } };
    case 'blockStop':
      return { atMs: event.atMs, role: 'frame', payload: { type: 'content_block_stop', index } };
  }
}

function contentBlock(block: ReplyBlock): object {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'reasoning':
      return { type: 'thinking', thinking: block.text, signature: block.signature };
    case 'toolUse':
      return { type: 'tool_use', id: block.toolUseId, name: block.name, input: block.input };
  }
}

/** A block as content_block_start opens it: empty, filled by the deltas that follow. */
function emptyBlock(block: ReplyBlock): object {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'reasoning':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'toolUse':
      return { type: 'tool_use', id: block.toolUseId, name: block.name, input: {} };
  }
}

function delta(block: ReplyBlock, text: string): object {
  switch (block.type) {
    case 'text':
      return { type: 'text_delta', text };
    case 'reasoning':
      return { type: 'thinking_delta', thinking: text };
    case 'toolUse':
      return { type: 'input_json_delta', partial_json: text };
  }
}

/** Claude has no guardrail stop reason: the blocked message ends its turn (the body says INTERVENED). */
function stopReason(reason: StopReason): string {
  return intervened(reason) ? 'end_turn' : reason;
}

function usage(u: Usage): Record<string, number> {
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    ...(u.cacheReadInputTokens !== undefined ? { cache_read_input_tokens: u.cacheReadInputTokens } : {}),
    ...(u.cacheWriteInputTokens !== undefined ? { cache_creation_input_tokens: u.cacheWriteInputTokens } : {}),
  };
}
