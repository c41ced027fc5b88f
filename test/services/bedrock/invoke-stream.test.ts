import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { InvokeModelWithResponseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../emulator/core/clock.ts';
import { buildRequest, type HttpResponse, type StreamingHttpResponse } from '../../../emulator/core/http.ts';
import { baseModelId } from '../../../emulator/services/bedrock/families/resolve.ts';
import { bedrockService, listenBedrock, sdkClient, TRANSPORTS } from './helpers.ts';
import { decodeChunkFrame, FAMILY_CASES, isContent, type FamilyCase, type Json } from './invoke-families.ts';

const invokeRequest = (c: FamilyCase, operation: 'invoke' | 'invoke-with-response-stream') =>
  buildRequest({ method: 'POST', path: `/model/${encodeURIComponent(c.modelId)}/${operation}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(c.body) });

const OPENERS: Record<string, string[]> = { 'anthropic-messages': ['message_start'], nova: ['messageStart'] };

describe('InvokeModel pacing on a ManualClock (default latency: first token at 400 ms, 50 tokens/s)', () => {
  it.each(FAMILY_CASES)('bedrock invoke: $family streams its first content chunk at the time to first token and the metrics chunk at invocationLatency', async (c) => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock);
    const start = clock.now();
    const response = (await service.handle(invokeRequest(c, 'invoke-with-response-stream'))) as StreamingHttpResponse;
    expect(response.headers).toEqual(expect.arrayContaining([['content-type', 'application/vnd.amazon.eventstream'], ['x-amzn-bedrock-content-type', 'application/json']]));
    const arrivals: Array<{ at: number; payload: Json }> = [];
    const consumer = (async () => {
      for await (const frame of response.body) arrivals.push({ at: clock.now() - start, payload: decodeChunkFrame(frame).payload });
    })();
    await clock.advance(60_000);
    await consumer;
    const firstContent = arrivals.find((a) => isContent(c.kind(a.payload)))!;
    expect(firstContent.at).toBe(400);
    // Only the Messages-style families open the message at once; the others' first chunk is text.
    expect(arrivals.filter((a) => a.at < 400).map((a) => c.kind(a.payload))).toEqual(OPENERS[c.family] ?? []);
    const times = arrivals.map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const last = arrivals.at(-1)!;
    expect(last.at).toBe(last.payload['amazon-bedrock-invocationMetrics'].invocationLatency);
    expect(last.at).toBeGreaterThan(1000);
  });

  it('bedrock invoke: InvokeModel answers once the whole reply is written, and reports that latency in its header', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock);
    const start = clock.now();
    let answeredAt = -1;
    const pending = service.handle(invokeRequest(FAMILY_CASES[0]!, 'invoke')).then((r) => {
      answeredAt = clock.now() - start;
      return r as HttpResponse;
    });
    await clock.advance(1000);
    expect(answeredAt).toBe(-1);
    await clock.advance(59_000);
    const response = await pending;
    const latency = response.headers.find(([k]) => k === 'x-amzn-bedrock-invocation-latency')![1];
    expect(answeredAt).toBeGreaterThan(1000);
    expect(String(answeredAt)).toBe(latency);
  });
});

// Each family's model id under the `eu.` prefix is faulted; `apac.` gets a mid-stream timeout.
const faultId = (c: FamilyCase) => `eu.${baseModelId(c.modelId)}`;

describe.each(TRANSPORTS)('InvokeModelWithResponseStream in-stream faults through the SDK over %s', (transport) => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }), {
      faults: [
        ...FAMILY_CASES.map((c) => ({ error: 'ModelStreamErrorException' as const, afterChunks: 2, on: { model: faultId(c) }, message: 'the model fell over' })),
        { error: 'ModelTimeoutException', afterChunks: 1, on: { model: '/^apac\\./' } },
      ],
    });
    client = sdkClient(bedrock.listener.url, transport, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  async function drain(modelId: string, body: object) {
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body: new TextEncoder().encode(JSON.stringify(body)) }));
    const chunks: Json[] = [];
    try {
      for await (const event of out.body!) chunks.push(JSON.parse(Buffer.from(event.chunk!.bytes!).toString('utf8')));
    } catch (error) {
      return { chunks, error: error as sdk.BedrockRuntimeServiceException };
    }
    return { chunks, error: undefined };
  }

  it.each(FAMILY_CASES)('bedrock invoke fault: $family yields exactly 2 content chunks, then the iterator throws ModelStreamErrorException', async (c) => {
    const { chunks, error } = await drain(faultId(c), c.body);
    expect(chunks.map(c.kind).filter(isContent)).toHaveLength(2);
    expect(isContent(c.kind(chunks.at(-1)))).toBe(true);
    expect(chunks.some((chunk) => 'amazon-bedrock-invocationMetrics' in chunk)).toBe(false);
    expect(error).toBeInstanceOf(sdk.ModelStreamErrorException);
    expect(error!.message).toBe('the model fell over');
  });

  it('bedrock invoke fault: ModelTimeoutException, a member of this stream\'s union only, arrives typed after 1 chunk', async () => {
    const c = FAMILY_CASES[4]!;
    const { chunks, error } = await drain(`apac.${baseModelId(c.modelId)}`, c.body);
    expect(chunks).toHaveLength(1);
    expect(error).toBeInstanceOf(sdk.ModelTimeoutException);
    expect(error!.message).toBe('The model took too long to process the request.');
  });
});
