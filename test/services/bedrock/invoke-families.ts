import { eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';

/** A decoded JSON body, read by path in assertions: its shape is what the tests check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One request per family, and how to read text, usage and events back from its shapes. */
export interface FamilyCase {
  family: string;
  modelId: string;
  body: object;
  /** The reply text of a non-streaming body. */
  text(body: Json): string;
  /** The text one stream chunk adds. */
  chunkText(chunk: Json): string;
  /** [input, output] tokens as the non-streaming body reports them (Claude v2's body has none). */
  usage(body: Json): [number, number] | undefined;
  /** A short name per chunk, for order checks. */
  kind(chunk: Json): string;
  /** The chunk kinds in order, given the number of content chunks. */
  expectedKinds(contentChunks: number): string[];
}

const PROMPT = 'Tell me a story about a lighthouse';

export const FAMILY_CASES: FamilyCase[] = [
  {
    family: 'anthropic-messages',
    modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
    body: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 200, messages: [{ role: 'user', content: PROMPT }] },
    text: (b) => b.content[0].text,
    chunkText: (c) => (c.type === 'content_block_delta' ? c.delta.text : ''),
    usage: (b) => [b.usage.input_tokens, b.usage.output_tokens],
    kind: (c) => c.type,
    expectedKinds: (n) => ['message_start', 'content_block_start', ...Array<string>(n).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop'],
  },
  {
    family: 'anthropic-text',
    modelId: 'anthropic.claude-v2:1',
    body: { prompt: `\n\nHuman: ${PROMPT}\n\nAssistant:`, max_tokens_to_sample: 200 },
    text: (b) => b.completion,
    chunkText: (c) => c.completion,
    usage: () => undefined,
    kind: (c) => (c.stop_reason ? 'final' : 'completion'),
    expectedKinds: (n) => [...Array<string>(n).fill('completion'), 'final'],
  },
  {
    family: 'nova',
    modelId: 'us.amazon.nova-lite-v1:0',
    body: { schemaVersion: 'messages-v1', messages: [{ role: 'user', content: [{ text: PROMPT }] }], inferenceConfig: { max_new_tokens: 200 } },
    text: (b) => b.output.message.content[0].text,
    chunkText: (c) => c.contentBlockDelta?.delta?.text ?? '',
    usage: (b) => [b.usage.inputTokens, b.usage.outputTokens],
    kind: (c) => Object.keys(c)[0]!,
    expectedKinds: (n) => ['messageStart', ...Array<string>(n).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata'],
  },
  {
    family: 'titan-text',
    modelId: 'amazon.titan-text-express-v1',
    body: { inputText: PROMPT, textGenerationConfig: { maxTokenCount: 200, stopSequences: ['User:'] } },
    text: (b) => b.results[0].outputText,
    chunkText: (c) => c.outputText,
    usage: (b) => [b.inputTextTokenCount, b.results[0].tokenCount],
    kind: (c) => (c.completionReason ? 'last' : 'outputText'),
    expectedKinds: (n) => [...Array<string>(n - 1).fill('outputText'), 'last'],
  },
  {
    family: 'llama',
    modelId: 'meta.llama3-8b-instruct-v1:0',
    body: { prompt: `<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n${PROMPT}<|eot_id|>`, max_gen_len: 200, temperature: 0.5 },
    text: (b) => b.generation,
    chunkText: (c) => c.generation,
    usage: (b) => [b.prompt_token_count, b.generation_token_count],
    kind: (c) => (c.stop_reason ? 'final' : 'generation'),
    expectedKinds: (n) => [...Array<string>(n).fill('generation'), 'final'],
  },
];

/** Whether a chunk carries reply text (what an in-stream fault's afterChunks counts). */
export function isContent(kind: string): boolean {
  return ['content_block_delta', 'completion', 'contentBlockDelta', 'outputText', 'last', 'generation'].includes(kind);
}

/** A `chunk` event frame's decoded payload (reference 4.5): `{bytes: base64(JSON)}` → the JSON. */
export function decodeChunkFrame(frame: Uint8Array): { eventType: string; payload: Json } {
  const message = eventStreamCodec.decode(frame);
  const eventType = String(message.headers[':event-type']?.value ?? message.headers[':exception-type']?.value);
  const body = JSON.parse(Buffer.from(message.body).toString('utf8'));
  return { eventType, payload: eventType === 'chunk' ? JSON.parse(Buffer.from(body.bytes, 'base64').toString('utf8')) : body };
}
