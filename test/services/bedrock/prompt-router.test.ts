import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../emulator/core/clock.ts';
import { checkConverseRequest } from '../../../emulator/services/bedrock/converse-request.ts';
import { createModel } from '../../../emulator/services/bedrock/model.ts';
import { bedrockOptionsSchema } from '../../../emulator/services/bedrock/options.ts';
import { routePrompt } from '../../../emulator/services/bedrock/prompt-router.ts';
import { listenBedrock, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

const CLAUDE_ROUTER = 'arn:aws:bedrock:eu-west-1:123456789012:default-prompt-router/anthropic.claude:1';
const SHORT = userMessage('Hi');
const LONG = userMessage('word '.repeat(100)); // 500 chars = 125 tokens, over the default 100

const route = (modelId: string, messages = SHORT, routers = {}) => routePrompt(modelId, checkConverseRequest({ messages }), routers);

describe('bedrock prompt router', () => {
  it('prompt router: a default router sends short prompts to the smaller model and long ones to the larger, in its region', () => {
    expect(route(CLAUDE_ROUTER)).toEqual({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', invokedModelArn: 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0' });
    expect(route(CLAUDE_ROUTER, LONG)?.modelId).toBe('anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(route('arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/meta.llama:1')?.modelId).toBe('meta.llama3-1-8b-instruct-v1:0');
    expect(route('arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/amazon.nova:1', LONG)?.modelId).toBe('amazon.nova-pro-v1:0');
  });

  it('prompt router: a configured router uses its models and threshold; an unconfigured custom router the Claude pair', () => {
    const routers = { abc123: { models: ['amazon.nova-micro-v1:0', 'amazon.nova-premier-v1:0'] as [string, string], thresholdTokens: 1 } };
    expect(route('arn:aws:bedrock:us-east-1:123456789012:prompt-router/abc123', SHORT, routers)?.modelId).toBe('amazon.nova-premier-v1:0');
    expect(route('arn:aws:bedrock:us-east-1:123456789012:prompt-router/other', SHORT, routers)?.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
  });

  it('prompt router: a plain model id is not routed; a default router of an unknown family is an invalid model id', () => {
    expect(route('anthropic.claude-3-haiku-20240307-v1:0')).toBeUndefined();
    expect(() => route('arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/acme.model:1')).toThrow(expect.objectContaining({ errorType: 'ValidationException' }));
  });

  it('prompt router: scripts can match the picked model', () => {
    const model = createModel(bedrockOptionsSchema.parse({ scripts: [{ match: { model: '/haiku/' }, reply: { text: 'from haiku' } }] }), new ManualClock());
    const reply = model.reply({ modelId: CLAUDE_ROUTER, request: checkConverseRequest({ messages: SHORT }) });
    expect(reply).toMatchObject({ content: [{ text: 'from haiku' }], trace: { promptRouter: { invokedModelId: expect.stringContaining('haiku') } } });
  });
});

describe.each(TRANSPORTS)('Bedrock prompt routers through the SDK over %s', (transport) => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }));
    client = sdkClient(bedrock.listener.url, transport);
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  it('prompt router: Converse reports trace.promptRouter.invokedModelId', async () => {
    const out = await client.send(new ConverseCommand({ modelId: CLAUDE_ROUTER, messages: LONG }));
    expect(out.trace).toEqual({ promptRouter: { invokedModelId: 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0' } });
  });

  it('prompt router: ConverseStream metadata carries the router trace', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: CLAUDE_ROUTER, messages: SHORT }));
    const events: ConverseStreamOutput[] = [];
    for await (const event of out.stream!) events.push(event);
    expect(events.at(-1)!.metadata!.trace!.promptRouter!.invokedModelId).toBe('arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
  });
});
