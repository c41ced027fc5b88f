import { InvokeModelCommand, InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { listenBedrock, sdkClient } from './helpers.ts';
import type { Json } from './invoke-families.ts';

// Scripted replies with reasoning, text and a tool call, as Claude and Nova render them.
const CLAUDE = 'anthropic.claude-3-7-sonnet-20250219-v1:0';
const NOVA = 'amazon.nova-pro-v1:0';
const encode = (body: object) => new TextEncoder().encode(JSON.stringify(body));
const decode = (bytes: Uint8Array | undefined): Json => JSON.parse(Buffer.from(bytes!).toString('utf8'));

const claudeBody = (messages: object[]) => ({
  anthropic_version: 'bedrock-2023-05-31',
  max_tokens: 500,
  tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
  messages,
});
const ASK = { role: 'user', content: 'What is the weather in Paris?' };

let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
let client: BedrockRuntimeClient;
beforeAll(async () => {
  bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }), {
    scripts: [
      { match: { lastUserMessage: 'weather', turn: 1 }, reply: { reasoning: { text: 'The user wants the weather; call the tool.', signature: 'sig-1' }, text: 'Let me check.', toolUse: { name: 'get_weather', input: { city: 'Paris' }, toolUseId: 'toolu_bdrk_01' } } },
      { match: { turn: 2 }, reply: { text: 'Sunny, 21 °C.' } },
    ],
    guardrails: { gr1: { deniedWords: ['password'], blockedInputMessage: 'Blocked.' } },
  });
  client = sdkClient(bedrock.listener.url, 'HTTP/2 (default handler)');
});
afterAll(async () => {
  client.destroy();
  await bedrock.listener.close();
});

describe('InvokeModel with tools, thinking and guardrails', () => {
  it('bedrock invoke: Claude renders thinking, text and tool_use blocks with stop_reason tool_use', async () => {
    const body = decode((await client.send(new InvokeModelCommand({ modelId: CLAUDE, body: encode(claudeBody([ASK])) }))).body);
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'The user wants the weather; call the tool.', signature: 'sig-1' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_bdrk_01', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    expect(body.stop_reason).toBe('tool_use');
  });

  it('bedrock invoke: Claude streams thinking_delta and signature_delta, text_delta, then input_json_delta pieces that make the tool input', async () => {
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: encode(claudeBody([ASK])) }));
    const events: Json[] = [];
    for await (const event of out.body!) events.push(decode(event.chunk?.bytes));
    const starts = events.filter((e) => e.type === 'content_block_start').map((e) => e.content_block);
    expect(starts).toEqual([{ type: 'thinking', thinking: '', signature: '' }, { type: 'text', text: '' }, { type: 'tool_use', id: 'toolu_bdrk_01', name: 'get_weather', input: {} }]);
    const deltas = (type: string) => events.filter((e) => e.type === 'content_block_delta' && e.delta.type === type).map((e) => e.delta);
    expect(deltas('thinking_delta').map((d) => d.thinking).join('')).toBe('The user wants the weather; call the tool.');
    expect(deltas('signature_delta')).toEqual([{ type: 'signature_delta', signature: 'sig-1' }]);
    expect(deltas('text_delta').map((d) => d.text).join('')).toBe('Let me check.');
    expect(JSON.parse(deltas('input_json_delta').map((d) => d.partial_json).join(''))).toEqual({ city: 'Paris' });
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null } });
    expect(events.at(-1).type).toBe('message_stop');
  });

  it('bedrock invoke: a tool_result turn is the conversation\'s second turn', async () => {
    const messages = [ASK, { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_bdrk_01', name: 'get_weather', input: { city: 'Paris' } }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_bdrk_01', content: [{ type: 'text', text: '21 C, sunny' }] }] }];
    const body = decode((await client.send(new InvokeModelCommand({ modelId: CLAUDE, body: encode(claudeBody(messages)) }))).body);
    expect(body.content).toEqual([{ type: 'text', text: 'Sunny, 21 °C.' }]);
    expect(body.stop_reason).toBe('end_turn');
  });

  it('bedrock invoke: Nova renders and streams the tool call in Converse\'s shapes', async () => {
    const novaBody = { messages: [{ role: 'user', content: [{ text: 'What is the weather in Paris?' }] }], toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] } };
    const body = decode((await client.send(new InvokeModelCommand({ modelId: NOVA, body: encode(novaBody) }))).body);
    expect(body.output.message.content.at(-1)).toEqual({ toolUse: { toolUseId: 'toolu_bdrk_01', name: 'get_weather', input: { city: 'Paris' } } });
    expect(body.stopReason).toBe('tool_use');
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: NOVA, body: encode(novaBody) }));
    const chunks: Json[] = [];
    for await (const event of out.body!) chunks.push(decode(event.chunk?.bytes));
    expect(chunks.filter((c) => c.contentBlockStart)).toEqual([{ contentBlockStart: { start: { toolUse: { toolUseId: 'toolu_bdrk_01', name: 'get_weather' } }, contentBlockIndex: 2 } }]);
    expect(JSON.parse(chunks.filter((c) => c.contentBlockDelta?.delta?.toolUse).map((c) => c.contentBlockDelta.delta.toolUse.input).join(''))).toEqual({ city: 'Paris' });
    expect(chunks.at(-2)).toEqual({ messageStop: { stopReason: 'tool_use' } });
    expect(chunks.at(-1).metadata.usage).toEqual(body.usage);
  });

  it('bedrock invoke: a guardrail named in the headers blocks the input and the body says INTERVENED', async () => {
    const out = await client.send(new InvokeModelCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: encode({ prompt: 'What is my password?' }), guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT' }));
    const body = decode(out.body);
    expect(body.generation).toBe('Blocked.');
    expect(body['amazon-bedrock-guardrailAction']).toBe('INTERVENED');
    const passed = decode((await client.send(new InvokeModelCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', body: encode({ prompt: 'Hello there' }), guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT' }))).body);
    expect(passed['amazon-bedrock-guardrailAction']).toBe('NONE');
  });
});
