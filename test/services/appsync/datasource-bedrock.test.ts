import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { LimitName } from '../../../emulator/core/limits.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

// The AMAZON_BEDROCK_RUNTIME data source against the Bedrock mock, in-process, on a manual clock.
const SLOW = 'amazon.nova-pro-v1:0';
const THROTTLED = 'meta.llama3-8b-instruct-v1:0';

interface TestApi {
  emulator: RunningEmulator;
  clock: ManualClock;
  gql(query: string): Promise<RawResponse>;
}

async function start(limits: Partial<Record<LimitName, number>> = {}): Promise<TestApi> {
  const clock = new ManualClock();
  const code = (file: string) => ({ dataSource: 'bedrock', code: `appsync/js/resolvers/${file}` });
  const emulator = await startEmulator(
    {
      limits,
      bedrock: {
        scripts: [{ match: { lastUserMessage: 'weather' }, reply: { text: 'Sunny, 21 °C.' } }],
        models: { [SLOW]: { latency: { timeToFirstTokenMs: 45_000 } } },
        faults: [{ error: 'ThrottlingException', on: { model: THROTTLED } }],
      },
      appsyncApis: {
        ai: {
          schema: 'appsync/js/schema.graphql',
          dataSources: { bedrock: { type: 'AMAZON_BEDROCK_RUNTIME' } },
          resolvers: { 'Query.ask': code('ask.js'), 'Query.converseRaw': code('converse-raw.js'), 'Query.invokeRaw': code('invoke-raw.js') },
        },
      },
    },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  const { graphqlUrl, apiKey } = emulator.endpoints.appsyncApis!.ai! as { graphqlUrl: string; apiKey: string };
  return { emulator, clock, gql: (query) => post(graphqlUrl, JSON.stringify({ query, variables: null }), { 'content-type': 'application/json', 'x-api-key': apiKey }) };
}

/** Sends `query`, lets the mock's latency pass on the manual clock, returns the answer. */
async function answered(api: TestApi, query: string, ms = 5_000): Promise<RawResponse> {
  const after = api.emulator.trace.events().at(-1)?.seq ?? -1;
  const pending = api.gql(query);
  await api.emulator.trace.waitFor('bedrock.request', (e) => e.seq > after);
  await api.clock.advance(ms);
  return pending;
}

describe('AppSync AMAZON_BEDROCK_RUNTIME data source', () => {
  let api: TestApi;
  beforeAll(async () => (api = await start()));
  afterAll(() => api.emulator.close());

  it('Bedrock data source: Converse through converse() gives the Converse response as ctx.result', async () => {
    const res = await answered(api, '{ converseRaw(prompt: "weather in Paris?") }');
    const body = JSON.parse(res.body) as { data: { converseRaw: string } };
    expect(JSON.parse(body.data.converseRaw)).toEqual({
      result: {
        output: { message: { role: 'assistant', content: [{ text: 'Sunny, 21 °C.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 5, outputTokens: 4, totalTokens: 9 },
        metrics: { latencyMs: 420 },
      },
      error: null,
    });
  });

  it('Bedrock data source: InvokeModel through invokeModel() gives the model\'s JSON body as ctx.result', async () => {
    const res = await answered(api, '{ invokeRaw(prompt: "weather in Rome?") }');
    const body = JSON.parse(res.body) as { data: { invokeRaw: string } };
    expect(JSON.parse(body.data.invokeRaw)).toEqual({
      result: {
        id: 'msg_bdrk_012wFIX9Yx5rv6Ezsf4H1Wv6',
        type: 'message',
        role: 'assistant',
        model: 'claude-3-haiku-20240307',
        content: [{ type: 'text', text: 'Sunny, 21 °C.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 4, output_tokens: 4 },
      },
      error: null,
    });
    expect(api.emulator.trace.events('appsync.datasource').at(-1)).toMatchObject({ api: 'ai', field: 'Query.invokeRaw', dataSource: 'bedrock', outcome: 'success' });
  });

  it('Bedrock data source: a resolver reads the answer out of ctx.result (converse helper, system prompt, inferenceConfig)', async () => {
    const res = await answered(api, '{ ask(prompt: "weather today?") }');
    expect(res.body).toBe('{"data":{"ask":"Sunny, 21 °C."}}');
  });

  it('Bedrock data source: a Bedrock error is ctx.error {message, type: Bedrock:<Exception>}, not a field error', async () => {
    const res = await answered(api, `{ converseRaw(prompt: "hi", model: "${THROTTLED}") }`);
    const body = JSON.parse(res.body) as { data: { converseRaw: string } };
    expect(JSON.parse(body.data.converseRaw)).toEqual({ result: null, error: { message: 'Too many requests, please wait before trying again.', type: 'Bedrock:ThrottlingException' } });
    expect(api.emulator.trace.events('appsync.datasource').at(-1)!.outcome).toBe('error');
  });

  it('Bedrock data source: a call still running at 10 s is abandoned; ctx.error is Bedrock:ExecutionTimeoutException', async () => {
    const after = api.emulator.trace.events().at(-1)!.seq;
    let done = false;
    const pending = api.gql(`{ ask(prompt: "think hard", model: "${SLOW}") }`).finally(() => (done = true));
    await api.emulator.trace.waitFor('bedrock.request', (e) => e.seq > after);
    await api.clock.advance(9_999);
    expect(done).toBe(false);
    await api.clock.advance(1);
    const res = await pending;
    expect(res.body).toBe('{"data":{"ask":null},"errors":[{"path":["ask"],"data":null,"errorType":"Bedrock:ExecutionTimeoutException","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Execution timed out."}]}');
    expect(api.emulator.trace.events('limit.hit').at(-1)).toMatchObject({ limit: 'appsyncBedrockTimeoutMs', api: 'ai' });
    expect(api.emulator.trace.events('appsync.datasource').at(-1)).toMatchObject({ field: 'Query.ask', outcome: 'timeout' });
    expect(api.emulator.trace.events('appsync.execution-timeout').length).toBe(0);
    // The abandoned call runs on in the mock and answers nobody.
    await api.clock.advance(60_000);
  });
});

describe('AppSync AMAZON_BEDROCK_RUNTIME data source under the 30 s request limit', () => {
  let api: TestApi;
  // The 10 s limit raised past 30 s: the request's own limit must still end the field.
  beforeAll(async () => (api = await start({ appsyncBedrockTimeoutMs: 60_000 })));
  afterAll(() => api.emulator.close());

  it('Bedrock data source: the 30 s request limit still applies around the Bedrock call (ExecutionTimeout)', async () => {
    let done = false;
    const pending = api.gql(`{ ask(prompt: "think hard", model: "${SLOW}") }`).finally(() => (done = true));
    await api.emulator.trace.waitFor('bedrock.request', () => true);
    await api.clock.advance(29_999);
    expect(done).toBe(false);
    await api.clock.advance(1);
    const res = await pending;
    expect(res.body).toBe('{"data":{"ask":null},"errors":[{"path":["ask"],"data":null,"errorType":"ExecutionTimeout","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Execution timed out."}]}');
    expect(api.emulator.trace.events('appsync.execution-timeout')[0]).toMatchObject({ api: 'ai', fields: ['Query.ask'], timeoutMs: 30_000 });
    await api.clock.advance(60_000);
    expect(api.emulator.trace.events('limit.hit').map((e) => e.limit)).toEqual(['appsyncRequestTimeoutMs']);
  });
});
