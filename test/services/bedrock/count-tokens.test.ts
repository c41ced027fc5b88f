import {
  ConverseCommand,
  CountTokensCommand,
  InvokeModelCommand,
  ValidationException,
  type BedrockRuntimeClient,
  type Message,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { buildRequest, type HttpResponse } from '../../../emulator/core/http.ts';
import { bedrockService, listenBedrock, MODEL_ID, sdkClient, TRANSPORTS } from './helpers.ts';
import { FAMILY_CASES } from './invoke-families.ts';

const encode = (body: object) => new TextEncoder().encode(JSON.stringify(body));

const messages: Message[] = [
  { role: 'user', content: [{ text: 'What is the tallest lighthouse in France?' }] },
  { role: 'assistant', content: [{ text: 'Phare de Gatteville, 75 m.' }] },
  { role: 'user', content: [{ text: 'And in Europe?' }] },
];
const system: SystemContentBlock[] = [{ text: 'You answer in one line.' }];

describe.each(TRANSPORTS)('CountTokens through the SDK over %s', (transport) => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }));
    client = sdkClient(bedrock.listener.url, transport, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  it('bedrock count-tokens: a converse input counts what Converse reports as usage.inputTokens', async () => {
    const counted = await client.send(new CountTokensCommand({ modelId: MODEL_ID, input: { converse: { messages, system } } }));
    const conversed = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages, system }));
    expect(counted.inputTokens).toBeGreaterThan(10);
    expect(counted.inputTokens).toBe(conversed.usage!.inputTokens);
  });

  it.each(FAMILY_CASES)('bedrock count-tokens: an invokeModel body for $family counts what InvokeModel reports as input tokens', async (c) => {
    const counted = await client.send(new CountTokensCommand({ modelId: c.modelId, input: { invokeModel: { body: encode(c.body) } } }));
    let headers: Record<string, string> = {};
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers = (result.response as { headers: Record<string, string> }).headers;
        return result;
      },
      { step: 'deserialize', name: 'captureHeaders' },
    );
    await client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body) }));
    client.middlewareStack.remove('captureHeaders');
    expect(counted.inputTokens).toBeGreaterThan(0);
    expect(String(counted.inputTokens)).toBe(headers['x-amzn-bedrock-input-token-count']);
  });

  it('bedrock count-tokens: a Claude Messages body and the same conversation through Converse count alike', async () => {
    const body = {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 100,
      system: 'You answer in one line.',
      messages: [
        { role: 'user', content: 'What is the tallest lighthouse in France?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Phare de Gatteville, 75 m.' }] },
        { role: 'user', content: 'And in Europe?' },
      ],
    };
    const invoke = await client.send(new CountTokensCommand({ modelId: MODEL_ID, input: { invokeModel: { body: encode(body) } } }));
    const converse = await client.send(new CountTokensCommand({ modelId: MODEL_ID, input: { converse: { messages, system } } }));
    expect(invoke.inputTokens).toBe(converse.inputTokens);
  });

  it('bedrock count-tokens: an invokeModel body that does not fit its family raises the InvokeModel ValidationException', async () => {
    const error = await client.send(new CountTokensCommand({ modelId: 'meta.llama3-8b-instruct-v1:0', input: { invokeModel: { body: encode({ prompt: 'hi', max_tokens: 5 }) } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe('Malformed input request: #: extraneous key [max_tokens] is not permitted, please reformat your input and try again.');
  });
});

describe('CountTokens on the wire', () => {
  it('bedrock count-tokens: the invokeModel body travels base64-encoded in the JSON request, and answers at once', async () => {
    const { service } = bedrockService(new ScaledClock());
    const body = JSON.stringify({ input: { invokeModel: { body: Buffer.from(JSON.stringify({ prompt: 'abcdefgh' })).toString('base64') } } });
    const response = (await service.handle(buildRequest({ method: 'POST', path: '/model/meta.llama3-8b-instruct-v1%3A0/count-tokens', body }))) as HttpResponse;
    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ inputTokens: 2 });
  });

  it('bedrock count-tokens: an input with no member, or two, is malformed', async () => {
    const { service } = bedrockService(new ScaledClock());
    for (const input of [{}, { converse: { messages }, invokeModel: { body: '' } }]) {
      const response = (await service.handle(buildRequest({ method: 'POST', path: `/model/${MODEL_ID}/count-tokens`, body: JSON.stringify({ input }) }))) as HttpResponse;
      expect(response.status).toBe(400);
      expect(JSON.parse(String(response.body)).message).toBe('Malformed input request, please reformat your input and try again.');
    }
  });
});
