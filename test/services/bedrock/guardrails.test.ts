import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { checkConverseRequest } from '../../../emulator/services/bedrock/converse-request.ts';
import { guardrailsSchema } from '../../../emulator/services/bedrock/guardrail-options.ts';
import { checkTexts, guardedInputTexts, guardrailFromHeaders, resolveGuardrail } from '../../../emulator/services/bedrock/guardrails.ts';
import { createModel } from '../../../emulator/services/bedrock/model.ts';
import { bedrockOptionsSchema } from '../../../emulator/services/bedrock/options.ts';
import { MODEL_ID, userMessage } from './helpers.ts';

const GUARDRAILS = guardrailsSchema.parse({
  gr1: {
    version: '2',
    deniedWords: ['password', 'wire transfer'],
    deniedTopics: [{ name: 'Investments', patterns: ['stocks', '/\\bbuy (shares|bonds)\\b/i'] }],
    blockedInputMessage: 'Input blocked.',
    blockedOutputMessage: 'Output blocked.',
    latencyMs: 120,
  },
});
const gr1 = GUARDRAILS.gr1!;

describe('bedrock guardrails: checks', () => {
  it('guardrails: denied words match case-insensitively as whole words or phrases', () => {
    expect(checkTexts(gr1, ['My PASSWORD is 1234']).assessment.wordPolicy).toEqual({ customWords: [{ match: 'password', action: 'BLOCKED', detected: true }], managedWordLists: [] });
    expect(checkTexts(gr1, ['please Wire  Transfer']).intervened).toBe(false);
    expect(checkTexts(gr1, ['a wire transfer now']).intervened).toBe(true);
    expect(checkTexts(gr1, ['passwords']).intervened).toBe(false);
  });

  it('guardrails: a denied topic is detected by its keywords or regexes (not semantically)', () => {
    expect(checkTexts(gr1, ['Should I Buy Bonds?']).assessment.topicPolicy).toEqual({ topics: [{ name: 'Investments', type: 'DENY', action: 'BLOCKED', detected: true }] });
    expect(checkTexts(gr1, ['Tell me about stocks']).intervened).toBe(true);
    expect(checkTexts(gr1, ['Where should I put my savings?']).intervened).toBe(false);
  });

  it('guardrails: invocationMetrics counts text units per policy (1 per started 1,000 characters) and the coverage', () => {
    const { invocationMetrics } = checkTexts(gr1, ['x'.repeat(1500)]).assessment;
    expect(invocationMetrics).toEqual({
      guardrailProcessingLatency: 120,
      usage: { topicPolicyUnits: 2, contentPolicyUnits: 0, wordPolicyUnits: 2, sensitiveInformationPolicyUnits: 0, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: 0 },
      guardrailCoverage: { textCharacters: { guarded: 1500, total: 1500 } },
    });
  });

  it('guardrails: an id or ARN resolves; an unknown id or version is the ValidationException Converse gives', () => {
    expect(resolveGuardrail(GUARDRAILS, 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr1', 'DRAFT').id).toBe('gr1');
    expect(resolveGuardrail(GUARDRAILS, 'gr1', '2').id).toBe('gr1');
    expect(() => resolveGuardrail(GUARDRAILS, 'nope', '1')).toThrow(expect.objectContaining({ errorType: 'ValidationException', message: 'The provided guardrail identifier is invalid.' }));
    expect(() => resolveGuardrail(GUARDRAILS, 'gr1', '3')).toThrow(expect.objectContaining({ errorType: 'ValidationException' }));
  });

  it('guardrails: with guardContent blocks only those are checked; otherwise every message text', () => {
    const plain = checkConverseRequest({ messages: [{ role: 'user', content: [{ text: 'a' }] }, { role: 'assistant', content: [{ text: 'b' }] }, { role: 'user', content: [{ text: 'c' }] }] });
    expect(guardedInputTexts(plain)).toEqual(['a', 'b', 'c']);
    const marked = checkConverseRequest({ system: [{ guardContent: { text: { text: 's' } } }], messages: [{ role: 'user', content: [{ text: 'password' }, { guardContent: { text: { text: 'g' } } }] }] });
    expect(guardedInputTexts(marked)).toEqual(['s', 'g']);
  });

  it('guardrails: InvokeModel headers give the guardrail call (version DRAFT and trace disabled by default)', () => {
    const request = (headers: string[]) => ({ method: 'POST', rawUrl: '/', rawHeaders: headers, body: Buffer.alloc(0), sourceIp: '', protocol: 'HTTP/1.1' });
    expect(guardrailFromHeaders(request(['x-amzn-bedrock-guardrailidentifier', 'gr1', 'X-Amzn-Bedrock-Trace', 'ENABLED_FULL', 'X-Amzn-Bedrock-GuardrailVersion', '2']))).toEqual({ identifier: 'gr1', version: '2', trace: 'enabled_full' });
    expect(guardrailFromHeaders(request(['X-Amzn-Bedrock-GuardrailIdentifier', 'gr1']))).toEqual({ identifier: 'gr1', version: 'DRAFT', trace: 'disabled' });
    expect(guardrailFromHeaders(request([]))).toBeUndefined();
  });
});

describe('bedrock guardrails: in the model', () => {
  const model = () =>
    createModel(
      bedrockOptionsSchema.parse({ guardrails: { gr1: { deniedWords: ['secret'], blockedOutputMessage: 'Output blocked.' } }, scripts: [{ match: { lastUserMessage: 'tell' }, reply: { text: 'The secret is 42.' } }] }),
      new ManualClock(),
    );

  it('guardrails: a blocked output keeps the model usage, replaces the text, and full trace adds modelOutput', () => {
    const reply = model().reply({ modelId: MODEL_ID, request: checkConverseRequest({ messages: userMessage('tell me'), guardrailConfig: { guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT', trace: 'enabled_full' } }) });
    expect(reply).toMatchObject({ stopReason: 'guardrail_intervened', content: [{ type: 'text', text: 'Output blocked.' }], source: 'guardrail:gr1', usage: { outputTokens: 5 } });
    expect(reply.trace!.guardrail).toMatchObject({ modelOutput: ['The secret is 42.'], outputAssessments: { gr1: [{ wordPolicy: { customWords: [{ match: 'secret' }] } }] } });
  });

  it('guardrails: the header-given guardrail (InvokeModel) applies like guardrailConfig', () => {
    const reply = model().reply({ modelId: MODEL_ID, request: checkConverseRequest({ messages: userMessage('my secret') }), guardrail: { identifier: 'gr1', version: 'DRAFT', trace: 'disabled' } });
    expect(reply).toMatchObject({ stopReason: 'guardrail_intervened', usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } });
    expect(reply.trace).toBeUndefined();
  });

  it('guardrails: maxTokens does not cut the blocked input message', () => {
    const request = checkConverseRequest({ messages: userMessage('my secret'), inferenceConfig: { maxTokens: 1 }, guardrailConfig: { guardrailIdentifier: 'gr1', guardrailVersion: 'DRAFT' } });
    expect(model().reply({ modelId: MODEL_ID, request })).toMatchObject({ stopReason: 'guardrail_intervened', content: [{ text: 'Sorry, the model cannot answer this question.' }] });
  });
});
