import type { Trace } from '../../emulator/core/trace.ts';
import { defineScenario } from '../../emulator/harness/define.ts';
import { BODY, HTTP, PATTERN, REST } from './apis.ts';

/**
 * What a client sees when the model behind the Lambda misbehaves. The example app points four copies
 * of the chat handler at models the Bedrock mock is configured to throttle, slow down, guard and
 * cache (fixtures/example-app/genai-offline.config.ts); the handler code is the same as `/chat`'s.
 */

interface ChatReply {
  reply: string;
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number };
}

const THROTTLED_BY_MOCK = 'The mock throttles this model on every call (bedrock.faults); a deployment cannot be made to.';

export const bedrockThrottled = defineScenario({
  name: 'bedrock-throttled',
  pattern: PATTERN,
  description: "A throttled model: the SDK in the Lambda tries three times, the handler's error becomes REST's 502.",
  tags: ['rest', 'bedrock', 'errors'],
  offlineOnly: { reason: THROTTLED_BY_MOCK },
  async run({ http, expect, step, trace }) {
    const res = await step('POST /chat-busy answers 502 "Internal server error"', async () => {
      const r = await http.request({ api: REST, method: 'POST', path: '/chat-busy', body: { prompt: 'Where is my order?' } });
      expect.status(r, 502);
      expect.body(r, BODY.restInternal);
      expect.header(r, 'x-amzn-errortype', 'InternalServerErrorException');
      return r;
    });
    if (!trace) return;
    await step('the trace shows three 429s from Bedrock, then the function failing with ThrottlingException', async () => {
      const end = await lambdaEndFor(trace, 'chat-busy', res.headers.get('x-amzn-requestid'));
      expect.equal(end.outcome, 'error', 'the outcome of chat-busy');
      expect.equal(end.errorType, 'ThrottlingException', 'the error type chat-busy failed with');
      const statuses = trace.events('bedrock.response').filter((e) => e.seq < end.seq && e.modelId === 'anthropic.claude-3-5-sonnet-20240620-v1:0').map((e) => e.status).slice(-3);
      expect.equal(statuses.join(','), '429,429,429', 'the last three Bedrock answers before the function failed');
    });
  },
});

export const bedrockSlowerThanGateway = defineScenario({
  name: 'bedrock-slower-than-gateway',
  pattern: PATTERN,
  description: "A model that needs 35 s: REST answers 504 at 29 s while the Bedrock call completes later, and the Lambda's bill runs on.",
  tags: ['rest', 'bedrock', 'timeout'],
  offlineOnly: { reason: 'The 35 s time to first token is the mock\'s (bedrock.models latency); a real model cannot be slowed on demand.' },
  async run({ http, expect, step, trace }) {
    const res = await step('POST /chat-long answers 504 after about 29 s', async () => {
      const r = await http.request({ api: REST, method: 'POST', path: '/chat-long', body: { prompt: 'Plan a three-day hike.' } });
      expect.status(r, 504);
      expect.body(r, BODY.restTimeout);
      expect.emulatedSeconds(r, { min: 29, max: 31.5 });
      return r;
    });
    if (!trace) return;
    await step('the Bedrock call completes after the gateway gave up, and the function then succeeds', async () => {
      const requestId = res.headers.get('x-amzn-requestid');
      const timeout = expect.defined(trace.events('gateway.integration-timeout').find((e) => e.requestId === requestId), `Expected a gateway.integration-timeout for ${requestId}`);
      const complete = await trace.waitFor('bedrock.complete', (e) => e.modelId === 'meta.llama3-1-405b-instruct-v1:0' && e.seq > timeout.seq);
      expect.ok(complete.at - timeout.at >= 6_000, `Expected Bedrock to finish at least 6 s (emulated) after the 504, it finished ${complete.at - timeout.at} ms after`);
      const end = await lambdaEndFor(trace, 'chat-long', requestId);
      expect.equal(end.outcome, 'success', 'the outcome of chat-long after the gateway gave up');
    });
  },
});

export const bedrockGuardrail = defineScenario({
  name: 'bedrock-guardrail',
  pattern: PATTERN,
  description: 'A guardrail with a denied topic: the reply is its blocked message, stopReason guardrail_intervened, and the model never runs.',
  tags: ['http-api', 'bedrock', 'guardrail'],
  async run({ http, expect, step }) {
    await step('an allowed question gets the model\'s answer', async () => {
      const r = await http.request({ api: HTTP, method: 'POST', path: '/chat-guarded', body: { prompt: 'How long do returns take?' } });
      expect.status(r, 200);
      expect.equal(expect.json<ChatReply>(r).stopReason, 'end_turn', 'stopReason');
    });
    await step('a question on a denied topic gets the guardrail\'s message', async () => {
      const r = await http.request({ api: HTTP, method: 'POST', path: '/chat-guarded', body: { prompt: 'Which stocks should I buy this year?' } });
      expect.status(r, 200);
      const body = expect.json<ChatReply>(r);
      expect.equal(body.stopReason, 'guardrail_intervened', 'stopReason');
      expect.equal(body.reply, 'Sorry, I can only help with orders, returns and gear.', 'the reply');
      expect.equal(body.usage.outputTokens, 0, 'output tokens (the model did not run)');
    });
  },
});

export const bedrockPromptCaching = defineScenario({
  name: 'bedrock-prompt-caching',
  pattern: PATTERN,
  description: 'A long system prompt with a cachePoint: the second call reads from the cache what an earlier call wrote, and usage shows it.',
  tags: ['http-api', 'bedrock', 'caching'],
  async run({ http, expect, step }) {
    const ask = () => http.request({ api: HTTP, method: 'POST', path: '/chat-cached', body: { prompt: 'Can I return used boots?' } });
    const first = await step('the first call caches the system prompt (or reads an earlier cache entry)', async () => {
      const r = await ask();
      expect.status(r, 200);
      const { usage } = expect.json<ChatReply>(r);
      const cached = (usage.cacheWriteInputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0);
      expect.ok(cached >= 1024, `Expected at least 1,024 cached input tokens (written or read), got usage ${JSON.stringify(usage)}`);
      return cached;
    });
    await step('the second call, within 5 minutes, reads the same tokens from the cache and writes none', async () => {
      const r = await ask();
      expect.status(r, 200);
      const { usage } = expect.json<ChatReply>(r);
      expect.equal(usage.cacheReadInputTokens, first, 'cacheReadInputTokens');
      expect.equal(usage.cacheWriteInputTokens ?? 0, 0, 'cacheWriteInputTokens');
    });
  },
});

/** The last invocation of a function that a gateway request started (the request's trace, offline). */
async function lambdaEndFor(trace: Trace, functionName: string, gatewayRequestId: string | null) {
  const request = trace.events('http.request').find((e) => e.requestId === gatewayRequestId);
  const start = trace.events('lambda.invoke.start').filter((e) => e.functionName === functionName && (!request || e.seq > request.seq)).at(0);
  if (!start) throw new Error(`Expected an invocation of ${functionName} for request ${gatewayRequestId}, found none`);
  return trace.waitFor('lambda.invoke.end', (e) => e.requestId === start.requestId);
}
