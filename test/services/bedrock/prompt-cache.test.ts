import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { checkConverseRequest, promptText, type ConverseRequest } from '../../../emulator/services/bedrock/converse-request.ts';
import { createPromptCache } from '../../../emulator/services/bedrock/prompt-cache.ts';
import { countTokens } from '../../../emulator/services/bedrock/tokens.ts';
import { listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage } from './helpers.ts';

const SYSTEM = 'S'.repeat(80); // 20 tokens
const MINUTE = 60_000;

function cachedRequest(question: string, ttl?: '5m' | '1h'): ConverseRequest {
  return checkConverseRequest({ system: [{ text: SYSTEM }, { cachePoint: { type: 'default', ...(ttl ? { ttl } : {}) } }], messages: userMessage(question) });
}

function setup(minTokens = 10) {
  const clock = new ManualClock();
  const cache = createPromptCache(clock, minTokens);
  const account = (request: ConverseRequest, modelId = MODEL_ID) => cache.account(modelId, request, countTokens(promptText(request)));
  return { clock, account };
}

describe('bedrock prompt cache', () => {
  it('prompt cache: the first call writes the prefix, the next within 5 minutes reads it; input keeps the rest', () => {
    const { account } = setup();
    const request = cachedRequest('hello there'); // 80 + 1 + 11 chars = 23 tokens, prefix 20
    expect(account(request)).toEqual({ inputTokens: 3, cacheReadInputTokens: 0, cacheWriteInputTokens: 20, cacheDetails: [{ ttl: '5m', inputTokens: 20 }] });
    expect(account(cachedRequest('another question'))).toEqual({ inputTokens: 5, cacheReadInputTokens: 20, cacheWriteInputTokens: 0, cacheDetails: [] });
  });

  it('prompt cache: an entry expires 5 emulated minutes after its last hit', async () => {
    const { clock, account } = setup();
    account(cachedRequest('q'));
    await clock.advance(4 * MINUTE);
    expect(account(cachedRequest('q'))?.cacheReadInputTokens).toBe(20);
    await clock.advance(4 * MINUTE); // 8 minutes after the write, 4 after the hit
    expect(account(cachedRequest('q'))?.cacheReadInputTokens).toBe(20);
    await clock.advance(5 * MINUTE);
    expect(account(cachedRequest('q'))).toMatchObject({ cacheReadInputTokens: 0, cacheWriteInputTokens: 20 });
  });

  it('prompt cache: ttl "1h" lives an hour and is listed first in cacheDetails', async () => {
    const { clock, account } = setup();
    expect(account(cachedRequest('q', '1h'))?.cacheDetails).toEqual([{ ttl: '1h', inputTokens: 20 }]);
    await clock.advance(59 * MINUTE);
    expect(account(cachedRequest('q', '1h'))?.cacheReadInputTokens).toBe(20);
  });

  it('prompt cache: a different prefix or model misses', () => {
    const { account } = setup();
    account(cachedRequest('q'));
    expect(account(cachedRequest('q'), 'amazon.nova-pro-v1:0')?.cacheReadInputTokens).toBe(0);
    const changed = checkConverseRequest({ system: [{ text: `${SYSTEM}!` }, { cachePoint: { type: 'default' } }], messages: userMessage('q') });
    expect(account(changed)?.cacheReadInputTokens).toBe(0);
  });

  it('prompt cache: below the minimum nothing is cached and the cache fields are 0; without a cachePoint there are none', () => {
    const { account } = setup(21);
    expect(account(cachedRequest('q'))).toEqual({ inputTokens: countTokens(`${SYSTEM}\nq`), cacheReadInputTokens: 0, cacheWriteInputTokens: 0, cacheDetails: [] });
    expect(account(checkConverseRequest({ messages: userMessage('q') }))).toBeUndefined();
  });

  it('prompt cache: with several checkpoints the longest live prefix is read and the later ones written', () => {
    const { account } = setup();
    const tools = { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object', description: 'x'.repeat(40) } } } }, { cachePoint: { type: 'default' as const } }] };
    const toolTokens = countTokens(JSON.stringify(tools.tools[0]!.toolSpec));
    const first = checkConverseRequest({ toolConfig: tools, messages: userMessage('q') });
    expect(account(first)?.cacheWriteInputTokens).toBe(toolTokens);
    // Same tools, a system prompt after them with its own checkpoint: tools are read, the system is written.
    const second = checkConverseRequest({ toolConfig: tools, system: [{ text: SYSTEM }, { cachePoint: { type: 'default' } }], messages: userMessage('q') });
    const usage = account(second)!;
    expect(usage.cacheReadInputTokens).toBe(toolTokens);
    expect(usage.cacheReadInputTokens + usage.cacheWriteInputTokens + usage.inputTokens).toBe(countTokens(promptText(second)));
    expect(usage.cacheWriteInputTokens).toBeGreaterThanOrEqual(20);
  });
});

describe.each(TRANSPORTS)('Bedrock prompt caching through the SDK over %s', (transport) => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  const clock = new ManualClock();
  beforeAll(async () => {
    bedrock = await listenBedrock(clock, { mock: { minCacheTokens: 10 }, latency: { timeToFirstTokenMs: 0, tokensPerSecond: 1e9 } });
    client = sdkClient(bedrock.listener.url, transport);
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  /** Advances the clock 1 ms at a time until the call settles: the mock waits for its (instant) timeline. */
  async function drive<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const settled = promise.finally(() => (done = true));
    while (!done) await (clock.pendingCount() > 0 ? clock.advance(1) : new Promise((r) => setImmediate(r)));
    return settled;
  }

  const body = () => ({ modelId: MODEL_ID, system: [{ text: SYSTEM }, { cachePoint: { type: 'default' as const } }], messages: userMessage('hello there') });

  it('prompt cache: Converse usage shows the write, then the read; totalTokens counts cache tokens too', async () => {
    const first = await drive(client.send(new ConverseCommand(body())));
    expect(first.usage).toMatchObject({ inputTokens: 3, cacheWriteInputTokens: 20, cacheReadInputTokens: 0, cacheDetails: [{ ttl: '5m', inputTokens: 20 }] });
    expect(first.usage!.totalTokens).toBe(3 + 20 + first.usage!.outputTokens!);
    const second = await drive(client.send(new ConverseCommand(body())));
    expect(second.usage).toMatchObject({ inputTokens: 3, cacheWriteInputTokens: 0, cacheReadInputTokens: 20 });
  });

  it('prompt cache: ConverseStream metadata carries the cache usage; 5 minutes later it is written again', async () => {
    await clock.advance(5 * MINUTE);
    const out = await drive(client.send(new ConverseStreamCommand(body())));
    const events: ConverseStreamOutput[] = await drive(
      (async () => {
        const all: ConverseStreamOutput[] = [];
        for await (const event of out.stream!) all.push(event);
        return all;
      })(),
    );
    expect(events.at(-1)!.metadata!.usage).toMatchObject({ inputTokens: 3, cacheWriteInputTokens: 20, cacheReadInputTokens: 0 });
  });

  it('prompt cache: a request without a cachePoint has no cache fields', async () => {
    const out = await drive(client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('hi') })));
    expect(Object.keys(out.usage!).sort()).toEqual(['inputTokens', 'outputTokens', 'totalTokens']);
  });
});
