import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ContentBlock, type ConverseStreamOutput, type Message } from '@aws-sdk/client-bedrock-runtime';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../emulator/core/clock.ts';
import { createEmulator } from '../../../emulator/emulator.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import { bedrockOptionsSchema } from '../../../emulator/services/bedrock/options.ts';
import { loadScriptFiles } from '../../../emulator/services/bedrock/script-files.ts';
import { listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../fixtures');
const TOOLS = { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] };

let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
beforeAll(async () => {
  const options = await loadScriptFiles(bedrockOptionsSchema.parse({ scripts: ['bedrock/scripts/weather.json', 'bedrock/scripts/support-agent.ts'] }), FIXTURES);
  bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }), options);
});
afterAll(() => bedrock.listener.close());

describe.each(TRANSPORTS)('Bedrock scripts through the SDK over %s', (transport) => {
  let client: BedrockRuntimeClient;
  beforeAll(() => {
    client = sdkClient(bedrock.listener.url, transport);
  });
  afterAll(() => client.destroy());

  it('scripts: turn 1 asks for a tool, turn 2 with the tool result gets the final answer (Converse)', async () => {
    const messages: Message[] = userMessage('What is the weather in Paris?');
    const first = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages, toolConfig: TOOLS }));
    expect(first.stopReason).toBe('tool_use');
    const [text, toolUse] = first.output!.message!.content! as [ContentBlock.TextMember, ContentBlock.ToolUseMember];
    expect(text.text).toBe('Let me look that up.');
    expect(toolUse.toolUse).toEqual({ toolUseId: expect.stringMatching(/^tooluse_/), name: 'get_weather', input: { city: 'Paris' } });
    messages.push(first.output!.message!, { role: 'user', content: [{ toolResult: { toolUseId: toolUse.toolUse.toolUseId, content: [{ json: { temperature: 21 } }] } }] });
    const second = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages, toolConfig: TOOLS }));
    expect(second.stopReason).toBe('end_turn');
    expect(second.output!.message!.content).toEqual([{ text: 'It is sunny in Paris, 21 °C.' }]);
  });

  it('scripts: ConverseStream streams the text, then the tool use with its start event, and stops with tool_use', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage('weather?'), toolConfig: TOOLS }));
    const events: ConverseStreamOutput[] = [];
    for await (const event of out.stream!) events.push(event);
    const start = events.find((e) => e.contentBlockStart)!.contentBlockStart!;
    expect(start).toEqual({ contentBlockIndex: 1, start: { toolUse: { toolUseId: expect.stringMatching(/^tooluse_/), name: 'get_weather' } } });
    const input = events.flatMap((e) => (e.contentBlockDelta?.delta?.toolUse ? [e.contentBlockDelta.delta.toolUse.input] : [])).join('');
    expect(JSON.parse(input)).toEqual({ city: 'Paris' });
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe('tool_use');
  });

  it('scripts: a TS file rule with reasoning and its own latency', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, system: [{ text: 'Please think step by step.' }], messages: userMessage('2+2?') }));
    expect(out.output!.message!.content).toEqual([
      { reasoningContent: { reasoningText: { text: 'The user wants a careful answer.', signature: expect.any(String) } } },
      { text: 'Here is my careful answer.' },
    ]);
    expect(out.metrics!.latencyMs).toBeGreaterThanOrEqual(1500);
  });
});

describe('bedrock scripts in the emulator', () => {
  it('scripts: paths in the config resolve against the base folder (the config file\'s)', async () => {
    const clock = new ManualClock();
    const emulator = await createEmulator(
      { bedrock: { latency: { timeToFirstTokenMs: 0 }, scripts: ['bedrock/scripts/weather.json'] } },
      { clock, baseDir: FIXTURES, log: memoryLog() },
    );
    try {
      const pending = emulator.bedrock!.handle({
        method: 'POST',
        rawUrl: `/model/${encodeURIComponent(MODEL_ID)}/converse`,
        rawHeaders: ['content-type', 'application/json'],
        body: Buffer.from(JSON.stringify({ messages: userMessage('weather?') })),
        sourceIp: '127.0.0.1',
        protocol: 'HTTP/1.1',
      });
      await clock.advance(10_000);
      const response = await pending;
      expect(JSON.parse(String(response.body))).toMatchObject({ stopReason: 'tool_use' });
    } finally {
      await emulator.close();
    }
  });
});
