import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { validateConfig } from '../../../emulator/core/config.ts';
import type { EmulatorError } from '../../../emulator/core/errors.ts';
import { resolveLimits } from '../../../emulator/core/limits.ts';
import { memoryLog, silentLog } from '../../../emulator/core/log.ts';
import type { ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import type { Listener } from '../../../emulator/gateway/http-listener.ts';
import { listenWebSocket } from '../../../emulator/gateway/ws-listener.ts';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { createAppSyncApi } from '../../../emulator/services/appsync/router.ts';
import { functionOptionsSchema } from '../../../emulator/services/lambda-runtime/options.ts';
import { createLambdaRuntime, type LambdaRuntime } from '../../../emulator/services/lambda-runtime/runtime.ts';
import type { InvokeOutcome, LambdaInvoker } from '../../../emulator/services/lambda-runtime/types.ts';
import { API_KEY, headerProtocol, publish, subscribe } from './events-support.ts';
import { RealtimeClient } from './realtime-support.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

// Real Lambda workers run the handlers in test/fixtures/appsync/events-handlers; time stands still (manual clock).
const fn = (name: string) => functionOptionsSchema.parse({ codeUri: 'appsync/events-handlers', handler: `handlers.${name}`, timeout: 300 });
const FUNCTIONS = ['transform', 'failOne', 'closed', 'crashes', 'unauthorized', 'echo', 'gate', 'subscribeEcho', 'accepts', 'ignored'];

/** The runtime, recording each invoke and the promise of its outcome (EVENT invokes are awaited through it). */
class RecordingLambda implements LambdaInvoker {
  readonly calls: Array<{ functionName: string; event: unknown; outcome: Promise<InvokeOutcome> }> = [];
  constructor(private readonly runtime: LambdaRuntime) {}
  invoke(functionName: string, event: unknown): Promise<InvokeOutcome> {
    const outcome = this.runtime.invoke(functionName, event);
    this.calls.push({ functionName, event, outcome });
    return outcome;
  }
  hasFunction(functionName: string): boolean {
    return this.runtime.hasFunction(functionName);
  }
}

const clock = new ManualClock();
const trace = new Trace(clock);
const log = memoryLog();
// 2,000-byte events: small enough for a handler's answer to pass it, large enough for the golden's.
const limits = resolveLimits({ appsyncEventBytes: 2_000 });
const runtime = createLambdaRuntime({ functions: Object.fromEntries(FUNCTIONS.map((n) => [n, fn(n)])), baseDir: FIXTURES, region: 'us-east-1', accountId: '123456789012', clock, trace, log, limits });
const lambda = new RecordingLambda(runtime);
let listener: Listener;
let base: string;
let eventIds = 0;
let connections = 0;

beforeAll(async () => {
  const deps: ServiceDeps = { clock, trace, log, limits, lambda, region: 'us-east-1', accountId: '123456789012' };
  const options = appsyncApiOptionsSchema.parse({
    auth: [{ type: 'API_KEY', apiKey: API_KEY }],
    events: {
      namespaces: {
        plain: {},
        transform: { onPublish: { function: 'transform' } },
        failing: { onPublish: { function: 'failOne' } },
        closed: { onPublish: { function: 'closed' } },
        crashes: { onPublish: { function: 'crashes' }, onSubscribe: { function: 'crashes' } },
        guarded: { onPublish: { function: 'unauthorized' } },
        echo: { onPublish: { function: 'echo' } },
        whoami: { onSubscribe: { function: 'subscribeEcho' } },
        gated: { onSubscribe: { function: 'gate' } },
        odd: { onSubscribe: { function: 'accepts' } },
        async: { onPublish: { function: 'ignored', invokeType: 'EVENT' }, onSubscribe: { function: 'ignored', invokeType: 'EVENT' } },
      },
    },
  });
  const api = createAppSyncApi('handlers', options, deps, { baseDir: FIXTURES, ids: { connectionId: () => `conn-${++connections}`, eventId: () => `evt-${++eventIds}` } });
  listener = await listenWebSocket(api, { host: '127.0.0.1', port: 0, log });
  base = `127.0.0.1:${listener.port}`;
});
afterAll(async () => {
  await listener.close();
  await runtime.close();
});

const publishHttp = (body: unknown): Promise<RawResponse> => post(`http://${base}/event`, JSON.stringify(body), { 'content-type': 'application/json', 'x-api-key': API_KEY });
const connect = (): Promise<RealtimeClient> => RealtimeClient.open(`ws://${base}/event/realtime`, ['aws-appsync-event-ws', headerProtocol()]);
const jackson = (errorType: string, message: string): string => `{\n  "errors" : [ {\n    "errorType" : ${JSON.stringify(errorType)},\n    "message" : ${JSON.stringify(message)}\n  } ]\n}`;
const golden = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/events/appsync/${name}`, import.meta.url), 'utf8')) as unknown;

/** A client subscribed to `channel` (id `s`). */
async function subscriber(channel: string): Promise<RealtimeClient> {
  const client = await connect();
  client.send(subscribe('s', channel));
  expect(await client.next()).toBe('{"type":"subscribe_success","id":"s"}');
  return client;
}

/** The next `n` events delivered to subscription `s`, parsed. */
async function received(client: RealtimeClient, n: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const message = JSON.parse(await client.next()) as { type: string; id: string; event: string };
    expect([message.type, message.id]).toEqual(['data', 's']);
    out.push(JSON.parse(message.event));
  }
  return out;
}

describe('AppSync Events onPublish (direct Lambda)', () => {
  it('Events handler: onPublish over HTTP transforms payloads and filters events; a left-out event is still successful', async () => {
    eventIds = 0;
    const sub = await subscriber('/transform/*');
    const res = await publishHttp({ channel: '/transform/room', events: ['{"n":1}', '{"n":2,"drop":true}', '{"n":3}'] });
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0},{"identifier":"evt-2","index":1},{"identifier":"evt-3","index":2}]}');
    expect(await received(sub, 2)).toEqual([{ n: 1, seen: true }, { n: 3, seen: true }]);
    expect(trace.events('appsync.events-handler').at(-1)).toEqual(expect.objectContaining({ api: 'handlers', handler: 'onPublish', functionName: 'transform', invokeType: 'REQUEST_RESPONSE', channel: '/transform/room', outcome: 'success' }));
    sub.ws.close();
  });

  it('Events handler: onPublish over WebSocket transforms too, and publish_success follows the data', async () => {
    eventIds = 0;
    const sub = await subscriber('/transform/room');
    sub.send(publish('p1', '/transform/room', ['{"text":"hi"}', 'not json']));
    expect(await received(sub, 1)).toEqual([{ text: 'hi', seen: true }]);
    expect(await sub.next()).toBe('{"id":"p1","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[{"identifier":"evt-2","index":1,"code":400,"message":"The event is not valid JSON."}]}');
    expect(lambda.calls.at(-1)!.event).toMatchObject({ events: [{ id: 'evt-1', payload: { text: 'hi' } }] });
    expect(trace.events('appsync.events-handler').at(-1)).toMatchObject({ connectionId: 'conn-' + String(connections) });
    sub.ws.close();
  });

  it('Events handler: an event returned with an error is listed in failed with its text and not broadcast', async () => {
    eventIds = 0;
    const sub = await subscriber('/failing/a');
    const res = await publishHttp({ channel: '/failing/a', events: ['{"n":1}', '{"bad":true}'] });
    expect(res.body).toBe('{"failed":[{"identifier":"evt-2","index":1,"code":400,"message":"Rejected event evt-2"}],"successful":[{"identifier":"evt-1","index":0}]}');
    expect(await received(sub, 1)).toEqual([{ n: 1 }]);
    sub.send(publish('p', '/failing/a', ['{"bad":1}']));
    expect(await sub.next()).toBe('{"id":"p","type":"publish_success","successful":[],"failed":[{"identifier":"evt-3","index":0,"code":400,"message":"Rejected event evt-3"}]}');
    sub.ws.close();
  });

  it('Events handler: a returned {error} fails the whole publish: HTTP 400 HandlerExecutionError, publish_error on the socket, nothing broadcast', async () => {
    const sub = await subscriber('/closed/a');
    const res = await publishHttp({ channel: '/closed/a', events: ['{"n":1}'] });
    expect([res.status, res.headers['x-amzn-errortype'], res.body]).toEqual([400, 'HandlerExecutionError', jackson('HandlerExecutionError', 'Publishing is closed on this channel')]);
    sub.send(publish('p', '/closed/a', ['{"n":2}']));
    expect(await sub.next()).toBe('{"id":"p","type":"publish_error","errors":[{"errorType":"HandlerExecutionError","message":"Publishing is closed on this channel"}]}');
    expect(sub.unread()).toEqual([]);
    expect(trace.events('appsync.events-handler').at(-1)).toMatchObject({ functionName: 'closed', outcome: 'handler-error' });
    sub.ws.close();
  });

  it('Events handler: a thrown handler fails the publish with "Unable to process request"; UnauthorizedException gives 401; the server keeps serving', async () => {
    const res = await publishHttp({ channel: '/crashes/a', events: ['{"n":1}'] });
    expect([res.status, res.body]).toEqual([400, jackson('HandlerExecutionError', 'Unable to process request')]);
    expect(trace.events('appsync.events-handler').at(-1)).toMatchObject({ functionName: 'crashes', outcome: 'function-error' });
    const denied = await publishHttp({ channel: '/guarded/a', events: ['{"n":1}'] });
    expect([denied.status, denied.headers['x-amzn-errortype'], denied.body]).toEqual([401, 'UnauthorizedException', jackson('UnauthorizedException', 'You are not authorized to make this call.')]);
    const client = await connect();
    client.send(publish('p', '/crashes/a', ['{"n":1}']));
    expect(await client.next()).toBe('{"id":"p","type":"publish_error","errors":[{"errorType":"HandlerExecutionError","message":"Unable to process request"}]}');
    client.send(publish('q', '/plain/a', ['{"n":1}']));
    expect(JSON.parse(await client.next())).toMatchObject({ id: 'q', type: 'publish_success', failed: [] });
    expect((await publishHttp({ channel: '/plain/a', events: ['1'] })).status).toBe(200);
    client.ws.close();
  });

  it('Events handler: the handler receives AppSync\'s publish event (golden), payloads parsed, ids as the answer lists them', async () => {
    eventIds = 0;
    const sub = await subscriber('/echo/room/*');
    const res = await publishHttp({ channel: 'echo/room/42', events: ['{"text":"hello"}', '[1,2]', '"plain"'] });
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0},{"identifier":"evt-2","index":1},{"identifier":"evt-3","index":2}]}');
    const [event] = (await received(sub, 1)) as [{ request: { headers: Record<string, string> } }];
    expect(event.request.headers.host).toBe(base);
    event.request.headers.host = '127.0.0.1:4010';
    expect(event).toEqual(golden('events-publish-request.json'));
    expect(JSON.stringify(Object.keys(event))).toBe('["identity","result","error","prev","stash","outErrors","request","info","events"]');
    sub.ws.close();
  });

  it('Events handler: a returned event over the event size is dropped silently; the publish still succeeds', async () => {
    eventIds = 0;
    const sub = await subscriber('/echo/big');
    const big = JSON.stringify({ text: 'x'.repeat(1_800) });
    const res = await publishHttp({ channel: '/echo/big', events: [big] });
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0}]}');
    expect(trace.events('limit.hit').at(-1)).toMatchObject({ limit: 'appsyncEventBytes', api: 'handlers' });
    expect(trace.events('limit.hit').at(-1)!.detail).toMatch(/^onPublish returned an event of \d+ bytes; dropped$/);
    sub.send(publish('p', '/plain/big', ['{"n":1}']));
    expect(JSON.parse(await sub.next())).toMatchObject({ id: 'p', type: 'publish_success' });
    expect(sub.unread()).toEqual([]);
    sub.ws.close();
  });

  it('Events handler: EVENT invoke type broadcasts the events unchanged and the function runs on its own', async () => {
    eventIds = 0;
    const before = lambda.calls.length;
    const sub = await subscriber('/async/a');
    const res = await publishHttp({ channel: '/async/a', events: ['{"n":1}'] });
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0}]}');
    expect(await received(sub, 1)).toEqual([{ n: 1 }]);
    const calls = lambda.calls.slice(before);
    expect(calls.map((c) => c.functionName)).toEqual(['ignored', 'ignored']);
    await Promise.all(calls.map((c) => c.outcome));
    // The two detached invokes may end in either order.
    const ended = trace.events('appsync.events-handler').filter((e) => e.invokeType === 'EVENT');
    expect(ended.map((e) => `${e.handler} ${e.functionName} ${e.channel} ${e.outcome}`).sort()).toEqual(['onPublish ignored /async/a success', 'onSubscribe ignored /async/a success']);
    sub.ws.close();
  });
});

describe('AppSync Events onSubscribe (direct Lambda)', () => {
  it('Events handler: onSubscribe null accepts; {error} rejects with subscribe_error carrying its text', async () => {
    const client = await connect();
    client.send(subscribe('ok', '/gated/public'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"ok"}');
    client.send(subscribe('no', '/gated/private'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"no","errors":[{"errorType":"HandlerExecutionError","message":"No subscriptions on /gated/private"}]}');
    // The rejected id was never taken: it can subscribe elsewhere.
    client.send(subscribe('no', '/gated/public'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"no"}');
    client.send(publish('p', '/gated/public', ['{"n":1}']));
    expect(await client.next()).toMatch(/^\{"type":"data","id":"(ok|no)"/);
    expect(await client.next()).toMatch(/^\{"type":"data","id":"(ok|no)"/);
    expect(JSON.parse(await client.next())).toMatchObject({ id: 'p', type: 'publish_success' });
    client.ws.close();
  });

  it('Events handler: a thrown onSubscribe, or an answer that is not null or {error}, rejects with "Unable to process request"', async () => {
    const client = await connect();
    client.send(subscribe('a', '/crashes/x'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"a","errors":[{"errorType":"HandlerExecutionError","message":"Unable to process request"}]}');
    client.send(subscribe('b', '/odd/x'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"b","errors":[{"errorType":"HandlerExecutionError","message":"Unable to process request"}]}');
    expect(log.lines.some((e) => e.level === 'warn' && e.message.includes('Failed to use the onSubscribe answer of function "accepts"'))).toBe(true);
    client.send(subscribe('c', '/plain/x'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"c"}');
    client.ws.close();
  });

  it('Events handler: an id waiting for its onSubscribe is already taken: a second subscribe with it is a duplicate', async () => {
    const client = await connect();
    client.send(subscribe('w', '/gated/public'));
    client.send(subscribe('w', '/gated/public'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"w","errors":[{"errorType":"DuplicatedOperationError","message":"Duplicate subscription ID: w"}]}');
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"w"}');
    client.ws.close();
  });

  it('Events handler: the handler receives AppSync\'s subscribe event (golden): operation SUBSCRIBE, events null, the handshake headers', async () => {
    const client = await connect();
    client.send(subscribe('s', '/whoami/room/*'));
    const reply = JSON.parse(await client.next()) as { type: string; errors: Array<{ message: string }> };
    expect(reply.type).toBe('subscribe_error');
    const event = JSON.parse(reply.errors[0]!.message) as { request: { headers: Record<string, string> } };
    const headers = event.request.headers;
    expect(headers.host).toBe(base);
    expect(headers['sec-websocket-key']).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    headers.host = '127.0.0.1:4010';
    headers['sec-websocket-key'] = 'dGhlIHNhbXBsZSBub25jZQ==';
    expect(event).toEqual(golden('events-subscribe-request.json'));
    client.ws.close();
  });
});

describe('AppSync Events-only API and handler config', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator(
      {
        functions: { transform: { codeUri: 'appsync/events-handlers', handler: 'handlers.transform' } },
        bedrock: { enabled: false },
        appsyncApis: { live: { auth: [{ type: 'API_KEY' }], events: { namespaces: { default: { onPublish: { function: 'transform' } } } } } },
      },
      { port: 0, clock: new ManualClock(), log: silentLog, baseDir: FIXTURES },
    );
  });
  afterAll(() => emulator.close());

  it('Events-only: no schema; POST /event runs its handler, /graphql and /graphql/realtime are 404, the endpoints list the Events pair', async () => {
    const entry = emulator.endpoints.appsyncApis!.live!;
    const { eventsUrl, eventsRealtimeUrl, apiKey } = entry as { eventsUrl: string; eventsRealtimeUrl: string; apiKey: string };
    expect(eventsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/event$/);
    expect(eventsRealtimeUrl).toBe(eventsUrl.replace(/^http:(.*)$/, 'ws:$1/realtime'));
    expect(apiKey).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(entry.realtimeUrl).toBeUndefined();
    expect(emulator.appsyncApis.get('live')!.graphql).toBe(false);
    const sub = await RealtimeClient.open(eventsRealtimeUrl, ['aws-appsync-event-ws', headerProtocol(apiKey)]);
    sub.send(subscribe('s', '/default/a', apiKey));
    expect(await sub.next()).toBe('{"type":"subscribe_success","id":"s"}');
    const res = await post(eventsUrl, JSON.stringify({ channel: '/default/a', events: ['{"n":1}'] }), { 'content-type': 'application/json', 'x-api-key': apiKey });
    expect(res.status).toBe(200);
    expect(JSON.parse(JSON.parse(await sub.next()).event as string)).toEqual({ n: 1, seen: true });
    const graphql = await post(eventsUrl.replace(/\/event$/, '/graphql'), '{"query":"{ x }"}', { 'content-type': 'application/json', 'x-api-key': apiKey });
    expect([graphql.status, graphql.body]).toEqual([404, jackson('NotFoundException', 'Not Found')]);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(eventsRealtimeUrl.replace(/\/event\/realtime$/, '/graphql/realtime'), ['graphql-ws']);
      ws.on('error', () => undefined);
      ws.on('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
    });
    expect(refused).toBe(404);
    sub.ws.close();
  });

  it('Events config: neither schema nor events, resolvers without a schema, a bad invokeType and an unknown handler function are reported with their paths', () => {
    const problems = (config: unknown): string => {
      try {
        validateConfig(config);
      } catch (error) {
        expect((error as EmulatorError).code).toBe('ERR_CONFIG_VALIDATION');
        return (error as Error).message;
      }
      return '';
    };
    const shape = problems({
      functions: { f: { handler: 'handlers.transform' } },
      appsyncApis: {
        none: {},
        noSchema: { events: {}, resolvers: { 'Query.x': { function: 'f' } } },
        badType: { events: { namespaces: { default: { onSubscribe: { function: 'f', invokeType: 'SYNC' } } } } },
      },
    });
    expect(shape).toContain('  - appsyncApis.none.schema: set "schema" (a GraphQL API), "events" (an Events API), or both');
    expect(shape).toContain('  - appsyncApis.noSchema.resolvers: resolvers need a "schema"');
    expect(shape).toContain('  - appsyncApis.badType.events.namespaces.default.onSubscribe.invokeType: ');
    const unknown = problems({ functions: { f: { handler: 'handlers.transform' } }, appsyncApis: { a: { events: { namespaces: { default: { onPublish: { function: 'nope' } }, chat: { onSubscribe: { function: 'f' } } } } } } });
    expect(unknown).toContain('  - appsyncApis.a.events.namespaces.default.onPublish.function: unknown function "nope" (declare it under "functions")');
    expect(unknown).not.toContain('chat');
  });
});
