import { ConverseCommand, ConverseStreamCommand, ValidationException, type BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
beforeAll(async () => {
  bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }), {
    guardrails: {
      gr1: {
        deniedWords: ['password'],
        deniedTopics: [{ name: 'Investments', patterns: ['stocks'] }],
        blockedInputMessage: 'Sorry, I cannot discuss that.',
        blockedOutputMessage: 'Sorry, I cannot say that.',
      },
    },
    scripts: [{ match: { lastUserMessage: 'market' }, reply: { text: 'Buy stocks now.' } }],
  });
});
afterAll(() => bedrock.listener.close());

const guardrailConfig = { guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT', trace: 'enabled' as const };

describe.each(TRANSPORTS)('Bedrock guardrails through the SDK over %s', (transport) => {
  let client: BedrockRuntimeClient;
  beforeAll(() => {
    client = sdkClient(bedrock.listener.url, transport, { maxAttempts: 1 });
  });
  afterAll(() => client.destroy());

  it('guardrails: a denied word in the input gives guardrail_intervened, the blocked input message and the input assessment', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('What is the admin password?'), guardrailConfig }));
    expect(out.stopReason).toBe('guardrail_intervened');
    expect(out.output!.message!.content).toEqual([{ text: 'Sorry, I cannot discuss that.' }]);
    expect(out.usage).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
    expect(out.trace!.guardrail!.inputAssessment!.gr1).toMatchObject({
      wordPolicy: { customWords: [{ match: 'password', action: 'BLOCKED', detected: true }] },
      invocationMetrics: { usage: { wordPolicyUnits: 1, topicPolicyUnits: 1 }, guardrailCoverage: { textCharacters: { guarded: 27, total: 27 } } },
    });
  });

  it('guardrails: a denied topic in the model output gives the blocked output message and outputAssessments', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('How is the market?'), guardrailConfig }));
    expect(out.stopReason).toBe('guardrail_intervened');
    expect(out.output!.message!.content).toEqual([{ text: 'Sorry, I cannot say that.' }]);
    expect(out.trace!.guardrail!.outputAssessments!.gr1![0]).toMatchObject({ topicPolicy: { topics: [{ name: 'Investments', type: 'DENY', action: 'BLOCKED', detected: true }] } });
    expect(out.trace!.guardrail!.modelOutput).toBeUndefined();
  });

  it('guardrails: a clean exchange passes; with trace disabled there is no trace', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Hello'), guardrailConfig: { ...guardrailConfig, trace: 'disabled' } }));
    expect(out.stopReason).toBe('end_turn');
    expect(out.trace).toBeUndefined();
  });

  it('guardrails: ConverseStream streams the blocked message and its metadata carries the trace', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage('Any stocks tips?'), guardrailConfig }));
    const events: ConverseStreamOutput[] = [];
    for await (const event of out.stream!) events.push(event);
    const text = events.flatMap((e) => (e.contentBlockDelta?.delta?.text ? [e.contentBlockDelta.delta.text] : [])).join('');
    expect(text).toBe('Sorry, I cannot discuss that.');
    expect(events.find((e) => e.messageStop)!.messageStop!.stopReason).toBe('guardrail_intervened');
    expect(events.at(-1)!.metadata!.trace!.guardrail!.inputAssessment!.gr1!.topicPolicy!.topics![0]!.name).toBe('Investments');
  });

  it('guardrails: an unknown guardrail id is a ValidationException', async () => {
    const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Hi'), guardrailConfig: { ...guardrailConfig, guardrailIdentifier: 'nope' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe('The provided guardrail identifier is invalid.');
  });
});
