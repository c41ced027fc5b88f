import { ApplyGuardrailCommand, ValidationException, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { matchRoute } from '../../../emulator/services/bedrock/router.ts';
import { bedrockService, listenBedrock, sdkClient, TRANSPORTS } from './helpers.ts';

const GUARDRAILS = {
  gr1: { deniedWords: ['password'], blockedInputMessage: 'Input blocked.', blockedOutputMessage: 'Output blocked.' },
  slow: { deniedWords: ['x'], latencyMs: 250 },
};

describe('bedrock ApplyGuardrail route', () => {
  it('apply guardrail: the path names the operation, id and version (percent-decoded)', () => {
    expect(matchRoute('POST', '/guardrail/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aguardrail%2Fgr1/version/DRAFT/apply')).toMatchObject({
      operation: 'ApplyGuardrail',
      guardrail: { identifier: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1', version: 'DRAFT' },
    });
  });

  it('apply guardrail: answers after the guardrail latencyMs on the emulated clock', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock, { guardrails: GUARDRAILS });
    let done = false;
    const pending = service
      .handle({ method: 'POST', rawUrl: '/guardrail/slow/version/1/apply', rawHeaders: [], body: Buffer.from(JSON.stringify({ source: 'INPUT', content: [{ text: { text: 'x' } }] })), sourceIp: '', protocol: 'HTTP/1.1' })
      .finally(() => (done = true));
    await clock.advance(249);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(JSON.parse(String((await pending).body))).toMatchObject({ action: 'GUARDRAIL_INTERVENED', assessments: [{ invocationMetrics: { guardrailProcessingLatency: 250 } }] });
  });
});

describe.each(TRANSPORTS)('Bedrock ApplyGuardrail through the SDK over %s', (transport) => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await listenBedrock(new ManualClock(), { guardrails: GUARDRAILS });
    client = sdkClient(bedrock.listener.url, transport, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  it('apply guardrail: INPUT with a denied word intervenes with the blocked input message and the assessment', async () => {
    const out = await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT', source: 'INPUT', content: [{ text: { text: 'my password is hunter2' } }] }));
    expect(out.action).toBe('GUARDRAIL_INTERVENED');
    expect(out.outputs).toEqual([{ text: 'Input blocked.' }]);
    expect(out.assessments![0]!.wordPolicy!.customWords).toEqual([{ match: 'password', action: 'BLOCKED', detected: true }]);
    expect(out.usage).toMatchObject({ wordPolicyUnits: 1, topicPolicyUnits: 0 });
    expect(out.guardrailCoverage).toEqual({ textCharacters: { guarded: 22, total: 22 } });
  });

  it('apply guardrail: OUTPUT uses the blocked output message; clean content gives NONE and no outputs', async () => {
    const blocked = await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'gr1', guardrailVersion: '1', source: 'OUTPUT', content: [{ text: { text: 'password' } }] }));
    expect(blocked.outputs).toEqual([{ text: 'Output blocked.' }]);
    const clean = await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'gr1', guardrailVersion: '1', source: 'OUTPUT', content: [{ text: { text: 'hello' } }] }));
    expect(clean).toMatchObject({ action: 'NONE', outputs: [] });
  });

  it('apply guardrail: an unknown guardrail is a ValidationException', async () => {
    const error = await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'nope', guardrailVersion: '1', source: 'INPUT', content: [{ text: { text: 'hi' } }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
  });
});
