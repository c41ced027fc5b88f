import {
  BedrockRuntimeServiceException,
  ConverseCommand,
  ConverseStreamCommand,
  ValidationException,
  type BedrockRuntimeClient,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { MOCK_TEXT_LABEL } from '../../../emulator/services/bedrock/mock-text.ts';
import { countTokens } from '../../../emulator/services/bedrock/tokens.ts';
import { listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

// Real sockets, the unmodified SDK client, compressed time (1 emulated second lasts 1 real ms).
let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
beforeAll(async () => {
  bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }));
});
afterAll(() => bedrock.listener.close());

async function collect(client: BedrockRuntimeClient, text: string, modelId = MODEL_ID): Promise<ConverseStreamOutput[]> {
  const out = await client.send(new ConverseStreamCommand({ modelId, messages: userMessage(text) }));
  const events: ConverseStreamOutput[] = [];
  for await (const event of out.stream!) events.push(event);
  return events;
}

async function rejection(promise: Promise<unknown>): Promise<BedrockRuntimeServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as BedrockRuntimeServiceException;
  }
  throw new Error('expected the call to fail');
}

describe.each(TRANSPORTS)('Bedrock runtime mock through the SDK over %s', (transport) => {
  let client: BedrockRuntimeClient;
  beforeAll(() => {
    client = sdkClient(bedrock.listener.url, transport);
  });
  afterAll(() => client.destroy());

  it('bedrock: Converse answers with labelled mock text, end_turn, usage by the 4-chars rule and latency', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('What is the capital of France?') }));
    const text = out.output!.message!.content![0]!.text!;
    expect(out.output!.message!.role).toBe('assistant');
    expect(text.startsWith(`${MOCK_TEXT_LABEL} `)).toBe(true);
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage).toEqual({ inputTokens: countTokens('What is the capital of France?'), outputTokens: countTokens(text), totalTokens: countTokens('What is the capital of France?') + countTokens(text) });
    expect(out.usage!.outputTokens).toBeGreaterThanOrEqual(40);
    // TTFT 400 ms + the other tokens at 50/s: at least a second of emulated time.
    expect(out.metrics!.latencyMs).toBeGreaterThanOrEqual(400 + ((out.usage!.outputTokens! - 3) * 1000) / 50 - 1);
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('bedrock: the same prompt gets the same text; another prompt gets another', async () => {
    const ask = async (text: string) => (await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage(text) }))).output!.message!.content![0]!.text;
    expect(await ask('Hello')).toBe(await ask('Hello'));
    expect(await ask('Hello')).not.toBe(await ask('Goodbye'));
  });

  it('bedrock: ConverseStream sends messageStart, deltas in order, contentBlockStop, messageStop, metadata; the deltas make Converse\'s text', async () => {
    const events = await collect(client, 'Tell me a story');
    const names = events.map((e) => Object.keys(e).find((k) => k !== '$unknown'));
    const deltas = names.filter((n) => n === 'contentBlockDelta').length;
    expect(deltas).toBeGreaterThan(3);
    expect(names).toEqual(['messageStart', ...Array<string>(deltas).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
    expect(events[0]!.messageStart).toEqual({ role: 'assistant' });
    const streamed = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    const whole = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Tell me a story') }));
    expect(streamed).toBe(whole.output!.message!.content![0]!.text);
    expect(events.at(-2)!.messageStop).toEqual({ stopReason: 'end_turn' });
    const metadata = events.at(-1)!.metadata!;
    expect(metadata.usage).toEqual(whole.usage);
    expect(metadata.metrics!.latencyMs).toBeGreaterThanOrEqual(400);
  });

  it('bedrock: percent-encoded ARNs and inference-profile ids reach the service decoded', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';
    await client.send(new ConverseCommand({ modelId: arn, messages: userMessage('route me') }));
    await collect(client, 'profile', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0');
    const seen = bedrock.trace.events('bedrock.request').map((e) => e.modelId);
    expect(seen).toContain(arn);
    expect(seen).toContain('us.anthropic.claude-3-5-sonnet-20240620-v1:0');
  });

  it('bedrock: empty messages raise a typed ValidationException with status 400 and AWS\'s wording', async () => {
    const error = await rejection(client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [] })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe('A conversation must start with a user message. Try again with a conversation that starts with a user message.');
  });

  it('bedrock: a conversation opening with the assistant raises ValidationException on ConverseStream too', async () => {
    const error = await rejection(client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('bedrock: a model id that cannot be one raises ValidationException "The provided model identifier is invalid."', async () => {
    const error = await rejection(client.send(new ConverseCommand({ modelId: 'no such model!', messages: userMessage('hi') })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe('The provided model identifier is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
