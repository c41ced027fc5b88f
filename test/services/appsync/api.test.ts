import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { readEndpointsFile, writeEndpointsFile } from '../../../emulator/core/endpoints.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { headerProtocol, RealtimeClient } from './realtime-support.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

// Real sockets and real Lambda workers; time moves only when a test advances the manual clock.
const clock = new ManualClock();
let emulator: RunningEmulator;
let url: string;
let apiKey: string;

const fn = (name: string, timeout?: number) => ({ handler: `handlers/appsync.${name}`, ...(timeout ? { timeout } : {}) });

beforeAll(async () => {
  emulator = await startEmulator(
    {
      functions: { sendMessage: fn('sendMessage'), fails: fn('fails'), slow: fn('slow', 120), badDate: fn('badDate'), missingId: fn('missingId') },
      bedrock: { enabled: false },
      appsyncApis: {
        chat: {
          schema: 'appsync/chat.graphql',
          auth: [{ type: 'API_KEY' }],
          events: { namespaces: { default: {} } },
          resolvers: {
            'Mutation.sendMessage': { function: 'sendMessage' },
            'Mutation.publishChunk': { dataSource: 'NONE' },
            'Query.echo': { dataSource: 'NONE' },
            'Query.fails': { function: 'fails' },
            'Query.slow': { function: 'slow' },
            'Query.badDate': { function: 'badDate' },
            'Query.missingId': { function: 'missingId' },
          },
        },
      },
    },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  ({ graphqlUrl: url, apiKey } = emulator.endpoints.appsyncApis!.chat! as { graphqlUrl: string; apiKey: string });
});
afterAll(() => emulator.close());

const gql = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = { 'x-api-key': apiKey }): Promise<RawResponse> =>
  post(url, JSON.stringify(variables ? { query, variables } : { query, variables: null }), { 'content-type': 'application/json', ...headers });

const UNAUTHORIZED = '{\n  "errors" : [ {\n    "errorType" : "UnauthorizedException",\n    "message" : "You are not authorized to make this call."\n  } ]\n}';

describe('AppSync GraphQL over HTTP', () => {
  it('AppSync: the endpoints file lists /graphql on its own port and a da2- API key', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(apiKey).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(emulator.appsyncApis.get('chat')!.apiKey).toBe(apiKey);
    const file = join(mkdtempSync(join(tmpdir(), 'appsync-endpoints-')), 'endpoints.json');
    await writeEndpointsFile(file, emulator.endpoints);
    expect((await readEndpointsFile(file)).appsyncApis).toEqual({
      chat: {
        graphqlUrl: url,
        realtimeUrl: url.replace(/^http:(.*)\/graphql$/, 'ws:$1/graphql/realtime'),
        apiKey,
        eventsUrl: url.replace(/\/graphql$/, '/event'),
        eventsRealtimeUrl: url.replace(/^http:(.*)\/graphql$/, 'ws:$1/event/realtime'),
      },
    });
  });

  it('AppSync: a query on a NONE resolver answers its arguments, AWSJSON as a string, with x-amzn-requestid', async () => {
    const res = await gql('{ echo(text: "hi", meta: "{\\"a\\":1}") { text meta } }');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"data":{"echo":{"text":"hi","meta":"{\\"a\\":1}"}}}');
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('AppSync: a publish mutation on a NONE resolver returns its input without any Lambda', async () => {
    const invokes = emulator.trace.events('lambda.invoke.start').length;
    const res = await gql('mutation P($c: ID!) { publishChunk(conversationId: $c, seq: 3, text: "lo") { conversationId seq text } }', { c: 'c1' });
    expect(res.body).toBe('{"data":{"publishChunk":{"conversationId":"c1","seq":3,"text":"lo"}}}');
    expect(emulator.trace.events('lambda.invoke.start').length).toBe(invokes);
  });

  it('AppSync: a direct Lambda resolver gets the golden event (arguments, identity, source, request, info, stash)', async () => {
    const query = 'mutation Send($conversationId: ID!, $text: String!) {\n  sendMessage(conversationId: $conversationId, text: $text, sentAt: "2026-01-01T00:00:00.000Z") {\n    id\n    body: text\n    author {\n      name\n    }\n    ...Meta\n    event\n  }\n}\n\nfragment Meta on Message {\n  sentAt\n}\n';
    const res = await post(url, JSON.stringify({ query, variables: { conversationId: 'c-42', text: 'Hello' } }), { 'content-type': 'application/json', 'x-api-key': apiKey, 'user-agent': 'aws-amplify/6.0.0 api/1 framework/1' });
    expect(res.status).toBe(200);
    const { data } = JSON.parse(res.body) as { data: { sendMessage: Record<string, unknown> & { event: string } } };
    expect(data.sendMessage).toMatchObject({ id: 'msg-1', body: 'Hello', author: { name: 'ada' }, sentAt: '2026-01-01T00:00:00.000Z' });
    const event = JSON.parse(data.sendMessage.event) as { request: { headers: Record<string, string> } };
    expect(event.request.headers.host).toBe(new URL(url).host);
    event.request.headers.host = '127.0.0.1:4010';
    const golden = JSON.parse(readFileSync(new URL('../../../fixtures/events/appsync/direct-lambda-request.json', import.meta.url), 'utf8')) as unknown;
    expect(event).toEqual(golden);
    expect(JSON.stringify(Object.keys(event))).toBe('["arguments","identity","source","request","prev","info","stash"]');
  });

  it('AppSync: a Lambda that throws gives Lambda:Unhandled with the thrown message, field null', async () => {
    const res = await gql('query {\n  fails\n}');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"data":{"fails":null},"errors":[{"path":["fails"],"data":null,"errorType":"Lambda:Unhandled","errorInfo":null,"locations":[{"line":2,"column":3,"sourceName":null}],"message":"Parameter cannot be empty"}]}');
  });

  it('AppSync: a resolver past 30 s gives ExecutionTimeout with the field null, and its Lambda finishes later', async () => {
    let answered = false;
    const pending = gql('{ slow(ms: 45000) echo(text: "fast") { text } }').finally(() => (answered = true));
    const start = await emulator.trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'slow');
    await clock.advance(29_999);
    expect(answered).toBe(false);
    expect(emulator.trace.events('appsync.execution-timeout')).toEqual([]);
    await clock.advance(1);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"data":{"slow":null,"echo":{"text":"fast"}},"errors":[{"path":["slow"],"data":null,"errorType":"ExecutionTimeout","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Execution timed out."}]}');
    const timeout = emulator.trace.events('appsync.execution-timeout')[0]!;
    expect(timeout).toMatchObject({ api: 'chat', fields: ['Query.slow'], timeoutMs: 30_000 });
    expect(timeout.at - start.at).toBe(30_000);
    await clock.advance(15_000);
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'slow');
    expect(end.outcome).toBe('success');
    expect(end.at - start.at).toBe(45_000);
    expect(end.seq).toBeGreaterThan(timeout.seq);
  });

  it('AppSync: a missing or wrong API key is 401 UnauthorizedException, pretty-printed as AppSync does', async () => {
    for (const headers of [{}, { 'x-api-key': 'da2-wrong' }, { authorization: `Bearer ${apiKey}` }] as Array<Record<string, string>>) {
      const res = await gql('{ echo(text: "x") { text } }', undefined, headers);
      expect(res.status).toBe(401);
      expect(res.body).toBe(UNAUTHORIZED);
      expect(res.headers['x-amzn-errortype']).toBe('UnauthorizedException');
      expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('AppSync: the API key header is case-insensitive (Amplify sends X-Api-Key)', async () => {
    const res = await gql('{ echo(text: "x") { text } }', undefined, { 'X-Api-Key': apiKey });
    expect(res.body).toBe('{"data":{"echo":{"text":"x"}}}');
  });

  it('AppSync: a syntax error is a 200 with data null and graphql-java\'s Invalid Syntax message', async () => {
    const res = await gql('{ echo( }');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"data":null,"errors":[{"path":null,"locations":[{"line":1,"column":9,"sourceName":null}],"message":"Invalid Syntax : offending token \'}\' at line 1 column 9"}]}');
  });

  it('AppSync: an unknown field is Validation error of type FieldUndefined, as captured', async () => {
    const res = await gql('{badfield}');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"data":null,"errors":[{"path":null,"locations":[{"line":1,"column":2,"sourceName":null}],"message":"Validation error of type FieldUndefined: Field \'badfield\' in type \'Query\' is undefined @ \'badfield\'"}]}');
    const nested = await gql('{ echo(text: "x") { nope } }');
    expect(JSON.parse(nested.body)).toEqual({ data: null, errors: [{ path: null, locations: [{ line: 1, column: 21, sourceName: null }], message: "Validation error of type FieldUndefined: Field 'nope' in type 'Echo' is undefined @ 'echo/nope'" }] });
  });

  it('AppSync: a non-JSON, empty or query-less body is 400 MalformedHttpRequestException', async () => {
    const malformed = (message: string) => `{\n  "errors" : [ {\n    "message" : "${message}",\n    "errorType" : "MalformedHttpRequestException"\n  } ]\n}`;
    for (const body of ['meow', '{}', '{}}', '[]']) {
      const res = await post(url, body, { 'content-type': 'application/json', 'x-api-key': apiKey });
      expect([res.status, res.body, res.headers['x-amzn-errortype']]).toEqual([400, malformed('Unable to parse GraphQL query.'), 'MalformedHttpRequestException']);
    }
    const empty = await post(url, '', { 'content-type': 'application/json', 'x-api-key': apiKey });
    expect([empty.status, empty.body]).toEqual([400, malformed('Request body is empty.')]);
  });

  it('AppSync: a bad AWSDateTime literal is a WrongType validation error', async () => {
    const res = await gql('{ echo(at: "yesterday") { at } }');
    expect(res.body).toBe('{"data":null,"errors":[{"path":null,"locations":[{"line":1,"column":12,"sourceName":null}],"message":"Validation error of type WrongType: argument \'at\' with value \'StringValue{value=\'yesterday\'}\' is not a valid \'AWSDateTime\' @ \'echo\'"}]}');
  });

  it('AppSync: a bad AWSDateTime variable names the variable; a good one passes', async () => {
    const query = 'query Q($at: AWSDateTime) { echo(at: $at) { at } }';
    const bad = await gql(query, { at: '2026-01-01' });
    expect(bad.body).toBe('{"data":null,"errors":[{"path":null,"locations":[{"line":1,"column":9,"sourceName":null}],"message":"Variable \'at\' has an invalid value. Unable to parse `2026-01-01` as a valid DateTime Object."}]}');
    const good = await gql(query, { at: '2026-01-01T10:00:00.5+02:00' });
    expect(good.body).toBe('{"data":{"echo":{"at":"2026-01-01T10:00:00.5+02:00"}}}');
  });

  it('AppSync: a resolver result that is not a valid AWSDateTime cannot be serialised; field null', async () => {
    const res = await gql('{ badDate }');
    expect(res.body).toBe('{"data":{"badDate":null},"errors":[{"path":["badDate"],"locations":null,"message":"Can\'t serialize value (/badDate) : Unable to serialize `yesterday` as a valid DateTime Object."}]}');
  });

  it('AppSync: null in a non-null field nulls its parent with graphql-java\'s message', async () => {
    const res = await gql('{ missingId { id text } }');
    expect(res.body).toBe('{"data":{"missingId":null},"errors":[{"path":["missingId","id"],"locations":null,"message":"Cannot return null for non-nullable type: \'ID\' within parent \'Message\' (/missingId/id)"}]}');
  });

  it('AppSync: other paths and methods are 404', async () => {
    const res = await post(url.replace('/graphql', '/other'), '{}', { 'x-api-key': apiKey });
    expect(res.status).toBe(404);
    expect((await post(url, '', { 'x-api-key': apiKey }, 'PUT')).status).toBe(404);
  });

  it('AppSync: realtimeUrl serves the real-time protocol on the same port; an HTTP mutation reaches the subscriber', async () => {
    const { realtimeUrl } = emulator.endpoints.appsyncApis!.chat! as { realtimeUrl: string };
    const client = await RealtimeClient.open(realtimeUrl, ['graphql-ws', headerProtocol(apiKey)]);
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
    expect(await client.next()).toBe('{"type":"ka"}');
    client.send(JSON.stringify({ id: 's1', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onChunk(conversationId: "rt") { seq text } }', variables: {} }), extensions: { authorization: { 'x-api-key': apiKey, host: new URL(url).host } } } }));
    expect(await client.next()).toBe('{"type":"start_ack","id":"s1"}');
    await gql('mutation { publishChunk(conversationId: "rt", seq: 9, text: "live") { conversationId seq text } }');
    expect(await client.next()).toBe('{"type":"data","id":"s1","payload":{"data":{"onChunk":{"seq":9,"text":"live"}}}}');
    client.ws.close();
    await client.closed;
  });

  it('AppSync Events: eventsUrl and eventsRealtimeUrl serve the Events API on the same port; an HTTP publish reaches the subscriber', async () => {
    const { eventsUrl, eventsRealtimeUrl } = emulator.endpoints.appsyncApis!.chat! as { eventsUrl: string; eventsRealtimeUrl: string };
    const client = await RealtimeClient.open(eventsRealtimeUrl, ['aws-appsync-event-ws', headerProtocol(apiKey)]);
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_ack","connectionTimeoutMs":300000}');
    expect(await client.next()).toBe('{"type":"ka"}');
    client.send(JSON.stringify({ type: 'subscribe', id: 'e1', channel: '/default/*', authorization: { 'x-api-key': apiKey, host: new URL(url).host } }));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"e1"}');
    const res = await post(eventsUrl, JSON.stringify({ channel: 'default/room', events: ['{"hi":1}'] }), { 'content-type': 'application/json', 'x-api-key': apiKey });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ failed: [], successful: [{ identifier: expect.stringMatching(/^[0-9a-f-]{36}$/) as string, index: 0 }] });
    expect(await client.next()).toBe('{"type":"data","id":"e1","event":"{\\"hi\\":1}"}');
    client.ws.close();
    await client.closed;
  });

  it('AppSync: the same port speaks TLS with the local CA: https:// /graphql and wss:// real-time (Amplify forces wss:// for hosts not AWS\'s)', async () => {
    const ca = emulator.localCa!.caPem;
    const secureUrl = new URL(url.replace(/^http:/, 'https:'));
    const body = '{"query":"{ echo(text: \\"tls\\") { text } }"}';
    const answer = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(secureUrl, { method: 'POST', ca, headers: { 'x-api-key': apiKey, 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(answer).toBe('200 {"data":{"echo":{"text":"tls"}}}');
    const { realtimeUrl } = emulator.endpoints.appsyncApis!.chat! as { realtimeUrl: string };
    const socket = new WebSocket(realtimeUrl.replace(/^ws:/, 'wss:'), ['graphql-ws', headerProtocol(apiKey)], { ca });
    await once(socket, 'open');
    socket.send('{"type":"connection_init"}');
    const [ack] = (await once(socket, 'message')) as [Buffer];
    expect(ack.toString()).toBe('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
    socket.close();
    await once(socket, 'close');
  });

  it('AppSync: dispatch sends a request in-process', async () => {
    const { buildRequest } = await import('../../../emulator/core/http.ts');
    const res = await emulator.dispatch('appsyncApis', 'chat', buildRequest({ method: 'POST', path: '/graphql', headers: { 'x-api-key': apiKey }, body: '{"query":"{ echo(text: \\"in\\") { text } }"}' }));
    expect([res.status, res.body]).toEqual([200, '{"data":{"echo":{"text":"in"}}}']);
  });
});
