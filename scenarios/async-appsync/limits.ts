import { defineScenario } from '../../emulator/harness/define.ts';
import { ask, CHAT, LIMIT, ON_CHUNK, PATTERN, PROMPT, conversationId, type Answer, type GraphQLAnswer } from './apis.ts';

export const appsyncExecutionTimeout = defineScenario({
  name: 'appsync-execution-timeout',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A Lambda resolver whose model needs 35 s: at 30 s AppSync answers HTTP 200 with the field null and an ExecutionTimeout error, while the function runs on.',
  tags: ['appsync', 'lambda', 'timeout'],
  offlineOnly: { reason: 'The 35 s before the first token is the mock\'s (bedrock.models latency); a real model cannot be slowed on demand.' },
  async run({ appsync, expect, step, trace }) {
    const res = await step('mutation askSlow: HTTP 200 after about 30 s, askSlow null, ExecutionTimeout', async () => {
      const r = await appsync.graphql(CHAT, { query: ask('askSlow'), variables: { prompt: PROMPT } });
      expect.status(r, 200);
      expect.emulatedSeconds(r, { min: LIMIT.requestMs / 1000, max: 33 });
      const body = expect.json<GraphQLAnswer<{ askSlow: Answer | null }>>(r);
      expect.equal(JSON.stringify(body.data), '{"askSlow":null}', 'data');
      const [error] = body.errors ?? [];
      expect.equal(JSON.stringify(error), JSON.stringify({ path: ['askSlow'], data: null, errorType: 'ExecutionTimeout', errorInfo: null, locations: [{ line: 2, column: 3, sourceName: null }], message: 'Execution timed out.' }), 'the error entry');
      return r;
    });
    if (!trace) return;
    await step('the function runs on past the limit and succeeds once the model answers', async () => {
      const requestId = res.headers.get('x-amzn-requestid');
      const timeout = expect.defined(trace.events('appsync.execution-timeout').find((e) => e.requestId === requestId), `Expected an appsync.execution-timeout for ${requestId}`);
      const end = await trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'appsync-ask-slow' && e.seq > timeout.seq);
      expect.equal(end.outcome, 'success', 'the outcome of appsync-ask-slow after AppSync gave up');
      expect.ok(end.at - timeout.at >= 4_000, `Expected the function to end at least 4 s (emulated) after the timeout, it ended ${end.at - timeout.at} ms after`);
    });
  },
});

export const appsyncBedrockDataSourceTimeout = defineScenario({
  name: 'appsync-bedrock-datasource-timeout',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'The Bedrock runtime data source with a model that needs 12 s: AppSync gives up at 10 s, well inside its 30 s, and the resolver reports the error.',
  tags: ['appsync', 'bedrock', 'timeout'],
  offlineOnly: { reason: 'The 12 s answer is the mock\'s (bedrock.models latency); a real model cannot be slowed on demand.' },
  async run({ appsync, expect, step }) {
    await step('mutation askDirectSlow: HTTP 200 after about 10 s, the field null with an error', async () => {
      const r = await appsync.graphql(CHAT, { query: ask('askDirectSlow'), variables: { prompt: PROMPT } });
      expect.status(r, 200);
      expect.emulatedSeconds(r, { min: LIMIT.bedrockDataSourceMs / 1000, max: 14 });
      const body = expect.json<GraphQLAnswer<{ askDirectSlow: Answer | null }>>(r);
      expect.equal(JSON.stringify(body.data), '{"askDirectSlow":null}', 'data');
      const [error] = body.errors ?? [];
      expect.ok(error !== undefined && error.errorType !== null && error.errorType !== 'ExecutionTimeout', `Expected the data source's own error, not the 30 s ExecutionTimeout; got ${JSON.stringify(error)}`);
      expect.equal(JSON.stringify(error?.path), '["askDirectSlow"]', 'the error\'s path');
    });
  },
});

export const appsyncUnauthorizedSubscription = defineScenario({
  name: 'appsync-unauthorized-subscription',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A wrong API key: the handshake gets connection_error 401 UnauthorizedException and the socket closes; a start with a wrong key on a good connection gets an error, not start_ack.',
  tags: ['appsync', 'subscription', 'auth'],
  async run({ appsync, expect, step }) {
    await step('connection_init with a wrong key: connection_error, UnauthorizedException, 401', async () => {
      const socket = await appsync.connect(CHAT, { apiKey: 'da2-notthekeyofthisapi0000000' });
      expect.equal(socket.handshake.type, 'connection_error', 'the answer to connection_init');
      const [entry] = (socket.handshake.payload?.errors ?? []) as Array<{ errorType?: string; errorCode?: number }>;
      expect.equal(entry?.errorType, 'UnauthorizedException', 'errorType');
      expect.equal(entry?.errorCode, 401, 'errorCode');
      await socket.conn.closed();
    });
    await step('a start with a wrong key on a good connection: error UnauthorizedException, the connection stays', async () => {
      const socket = await appsync.connect(CHAT);
      const refused = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: conversationId('denied') } }, { apiKey: 'da2-notthekeyofthisapi0000000' });
      expect.equal(refused.reply.type, 'error', 'the answer to start');
      const [entry] = (refused.reply.payload?.errors ?? []) as Array<{ errorType?: string }>;
      expect.equal(entry?.errorType, 'UnauthorizedException', 'errorType');
      const allowed = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: conversationId('allowed') } });
      expect.equal(allowed.reply.type, 'start_ack', 'the answer to a start with the right key');
      await socket.close();
    });
  },
});

export const appsyncSubscriptionLimit = defineScenario({
  name: 'appsync-subscription-limit',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'One connection holds 100 subscriptions; the 101st gets MaxSubscriptionsReachedError, and after a stop there is room for one more.',
  tags: ['appsync', 'subscription', 'limit'],
  async run({ appsync, expect, step }) {
    const socket = await appsync.connect(CHAT);
    const subscriptions = await step(`${LIMIT.subscriptionsPerConnection} subscriptions: start_ack each`, async () => {
      const subs = [];
      for (let i = 0; i < LIMIT.subscriptionsPerConnection; i++) {
        const s = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: conversationId(`limit-${i}`) } });
        expect.equal(s.reply.type, 'start_ack', `the answer to start ${i + 1}`);
        subs.push(s);
      }
      return subs;
    });
    await step('the 101st: error MaxSubscriptionsReachedError', async () => {
      const s = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: conversationId('one-too-many') } });
      expect.equal(s.reply.type, 'error', 'the answer to start 101');
      const [entry] = (s.reply.payload?.errors ?? []) as Array<{ errorType?: string }>;
      expect.equal(entry?.errorType, 'MaxSubscriptionsReachedError', 'errorType');
    });
    await step('stop one: complete; then a new start is acknowledged', async () => {
      await subscriptions[0]!.stop();
      const s = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: conversationId('after-stop') } });
      expect.equal(s.reply.type, 'start_ack', 'the answer to a start after a stop');
    });
    await socket.close();
  },
});
