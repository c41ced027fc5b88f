import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../emulator/core/clock.ts';
import { validateConfig } from '../../../emulator/core/config.ts';
import { buildRequest, headerValue, type HttpResponse } from '../../../emulator/core/http.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { ThrottlingException } from '../../../emulator/services/bedrock/errors.ts';
import { quotasSchema } from '../../../emulator/services/bedrock/quota-options.ts';
import { createQuotas, DEFAULT_MAX_TOKENS, type QuotaRequest } from '../../../emulator/services/bedrock/quotas.ts';
import { bedrockService, listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

const NOVA = 'amazon.nova-lite-v1:0';

function setup(input: unknown) {
  const clock = new ManualClock();
  const trace = new Trace(clock);
  const quotas = createQuotas(quotasSchema.parse(input), clock, trace);
  let n = 0;
  const admit = (request: Partial<QuotaRequest> = {}) => quotas.admit({ requestId: `r${++n}`, operation: 'Converse', modelId: MODEL_ID, inputTokens: 10, maxTokens: 100, ...request });
  /** The error admit throws, or undefined when admitted. */
  const refusal = (request: Partial<QuotaRequest> = {}) => {
    try {
      admit(request);
      return undefined;
    } catch (error) {
      return error as ThrottlingException;
    }
  };
  return { clock, trace, admit, refusal };
}

describe('Bedrock quotas (emulated clock)', () => {
  it('quotas: requestsPerMinute counts each model apart over a sliding 60 s window; a refused request counts toward nothing', async () => {
    const { clock, trace, admit, refusal } = setup({ requestsPerMinute: 2 });
    admit();
    await clock.advance(30_000);
    admit();
    const refused = refusal();
    expect(refused).toBeInstanceOf(ThrottlingException);
    expect(refused!.status).toBe(429);
    expect(refused!.message).toBe('Too many requests, please wait before trying again.');
    expect(refusal({ modelId: NOVA })).toBeUndefined();
    // The first request leaves the window 60 s after it started: one slot frees, not two.
    await clock.advance(29_999);
    expect(refusal()).toBeInstanceOf(ThrottlingException);
    await clock.advance(1);
    expect(refusal()).toBeUndefined();
    expect(refusal()).toBeInstanceOf(ThrottlingException);
    expect(trace.events('limit.hit').map((e) => e.limit)).toEqual(['bedrock.quotas.requestsPerMinute', 'bedrock.quotas.requestsPerMinute', 'bedrock.quotas.requestsPerMinute']);
  });

  it(`quotas: tokensPerMinute reserves input + maxTokens at the start (${DEFAULT_MAX_TOKENS} when maxTokens is unset), with Bedrock's "Too many tokens" message`, () => {
    const { admit, refusal } = setup({ tokensPerMinute: 5000 });
    admit({ inputTokens: 100, maxTokens: undefined }); // 4196 reserved
    const refused = refusal({ inputTokens: 100, maxTokens: 705 });
    expect(refused?.message).toBe('Too many tokens, please wait before trying again.');
    expect(refusal({ inputTokens: 100, maxTokens: 704 })).toBeUndefined(); // exactly 5000
    expect(refusal({ inputTokens: 1, maxTokens: 1 })).toBeInstanceOf(ThrottlingException);
  });

  it('quotas: at the reply\'s end a reservation settles to input + actual output; settle: false keeps it; defaultMaxTokens per model', async () => {
    const { clock, admit, refusal } = setup({ tokensPerMinute: 1000, perModel: { '/nova/': { defaultMaxTokens: 100 } } });
    admit({ inputTokens: 50, maxTokens: 900 }).settle(30, 5_000); // 950 until 5 s from now, then 80
    expect(refusal({ inputTokens: 10, maxTokens: 100 })).toBeInstanceOf(ThrottlingException);
    await clock.advance(4_999);
    expect(refusal({ inputTokens: 10, maxTokens: 100 })).toBeInstanceOf(ThrottlingException);
    await clock.advance(1);
    expect(refusal({ inputTokens: 10, maxTokens: 900 })).toBeUndefined(); // 80 + 910 = 990
    // Nova reserves its defaultMaxTokens (100) when maxTokens is unset: 1000 - 100 input leaves room.
    expect(refusal({ modelId: NOVA, inputTokens: 900, maxTokens: undefined })).toBeUndefined();

    const kept = setup({ tokensPerMinute: 1000, settle: false });
    kept.admit({ inputTokens: 50, maxTokens: 900 }).settle(30, 5_000);
    await kept.clock.advance(10_000);
    expect(kept.refusal({ inputTokens: 10, maxTokens: 100 })).toBeInstanceOf(ThrottlingException);
  });

  it('quotas: perModel entries replace the global limits for the models they match (exact id before regex)', () => {
    const { refusal } = setup({ requestsPerMinute: 1, perModel: { '/^amazon\\./': { requestsPerMinute: 3 }, [NOVA]: { tokensPerMinute: 10_000 } } });
    expect([1, 2].map(() => refusal())).toEqual([undefined, expect.any(ThrottlingException)]);
    // The exact entry wins for Nova Lite: no RPM of its own, so the global 1 applies.
    expect([1, 2].map(() => refusal({ modelId: NOVA }))).toEqual([undefined, expect.any(ThrottlingException)]);
    expect([1, 2, 3, 4].map(() => refusal({ modelId: 'amazon.nova-pro-v1:0' })).filter(Boolean)).toHaveLength(1);
  });

  it('quotas: none by default; bad quota settings are reported with their paths', () => {
    expect(validateConfig({}).bedrock.quotas).toBeUndefined();
    let message = '';
    try {
      validateConfig({ bedrock: { quotas: { requestsPerMinute: 0, tokensPerMinute: 1.5, perModel: { '/(x/': {}, m: { rpm: 1 } } } } });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const part of ['bedrock.quotas.requestsPerMinute', 'bedrock.quotas.tokensPerMinute', 'bedrock.quotas.perModel["/(x/"]: not a valid regex', 'bedrock.quotas.perModel.m']) {
      expect(message).toContain(part);
    }
  });

  it('quotas: Converse over quota answers 429 ThrottlingException before asking the model; the trace records the limit', async () => {
    const clock = new ManualClock();
    const { service, trace } = bedrockService(clock, { quotas: { requestsPerMinute: 1 }, latency: { timeToFirstTokenMs: 0 } });
    const body = JSON.stringify({ messages: userMessage('hi') });
    const call = () => service.handle(buildRequest({ method: 'POST', path: `/model/${MODEL_ID}/converse`, body })) as Promise<HttpResponse>;
    const first = call();
    await clock.advance(10_000);
    expect((await first).status).toBe(200);
    const second = await call();
    expect(second.status).toBe(429);
    expect(headerValue(second.headers, 'x-amzn-errortype')).toBe('ThrottlingException');
    expect(trace.events('bedrock.response').map((e) => e.status)).toEqual([200, 429]);
    expect(trace.events('limit.hit')).toEqual([expect.objectContaining({ limit: 'bedrock.quotas.requestsPerMinute' })]);
  });
});

describe('Bedrock quotas and the SDK\'s retries', () => {
  it.each(TRANSPORTS)('quotas over %s: a request over the RPM quota is retried by the SDK, 3 attempts in all, each refused', async (transport) => {
    // Real time (timeScale 1) so the SDK's sub-second backoff stays inside the 60 s window; no pacing.
    const bedrock = await listenBedrock(new ScaledClock({ timeScale: 1 }), { quotas: { requestsPerMinute: 2 }, latency: { timeToFirstTokenMs: 0, tokensPerSecond: 1e9 } });
    const client = sdkClient(bedrock.listener.url, transport);
    try {
      await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('hi') }));
      const stream = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage('hi') }));
      for await (const _event of stream.stream!) void _event;
      let error: sdk.BedrockRuntimeServiceException | undefined;
      try {
        await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('hi') }));
      } catch (caught) {
        error = caught as sdk.BedrockRuntimeServiceException;
      }
      expect(error).toBeInstanceOf(sdk.ThrottlingException);
      expect(error!.$metadata.attempts).toBe(3);
      expect(bedrock.trace.events('bedrock.response').map((e) => [e.operation, e.status])).toEqual([
        ['Converse', 200],
        ['ConverseStream', 200],
        ['Converse', 429],
        ['Converse', 429],
        ['Converse', 429],
      ]);
      // A different model has its own quota.
      const other = await client.send(new ConverseCommand({ modelId: NOVA, messages: userMessage('hi') }));
      expect(other.stopReason).toBe('end_turn');
    } finally {
      client.destroy();
      await bedrock.listener.close();
    }
  });
});
