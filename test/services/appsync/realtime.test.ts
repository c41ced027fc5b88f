import { afterEach, describe, expect, it } from 'vitest';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { API_KEY, closeAll, HOST, headerProtocol, headerQuery, makeRealtimeApi, startMessage } from './realtime-support.ts';

afterEach(closeAll);

const ACK = '{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}';
const KA = '{"type":"ka"}';
const SUB = 'subscription S { onChunk { conversationId seq } }';

describe('AppSync real-time: handshake and connection', () => {
  it('AppSync real-time: header query parameter, graphql-ws echoed, connection_ack then ka', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect();
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe(ACK);
    expect(await client.next()).toBe(KA);
    expect(t.trace.events('appsync.connect')).toMatchObject([{ api: 'chat', connectionId: 'conn-1' }]);
  });

  it('AppSync real-time: header- subprotocol (base64url, no padding) authorises; only graphql-ws is echoed', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect({ query: '', protocols: ['graphql-ws', headerProtocol()] });
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe(ACK);
  });

  it('AppSync real-time: a wrong key in the header gets connection_error 401, then the server closes', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect({ query: headerQuery('da2-wrong') });
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_error","payload":{"errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call.","errorCode":401}]}}');
    expect(await client.closed).toEqual({ code: 1000, reason: '' });
    expect(t.trace.events('appsync.disconnect')).toMatchObject([{ connectionId: 'conn-1', by: 'auth' }]);
    // The server keeps serving.
    expect(await (await t.ready()).start('1', SUB)).toBe('{"type":"start_ack","id":"1"}');
  });

  it('AppSync real-time: a header that is not base64 JSON gets connection_error 400', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect({ query: '?header=bm90IGpzb24=&payload=e30=' });
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_error","payload":{"errors":[{"errorType":"BadRequestException","message":"Unable to parse the authorization header object.","errorCode":400}]}}');
    expect((await client.closed).code).toBe(1000);
  });

  it('AppSync real-time: plain x-api-key upgrade headers authorise (method 3)', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect({ query: '', headers: { host: HOST, 'x-api-key': API_KEY } });
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe(ACK);
  });

  it('AppSync real-time: a header query value sent without URL-encoding still decodes', async () => {
    const t = await makeRealtimeApi();
    // This JSON's base64 holds `+` and `/`, which an unencoded query string carries as-is.
    const raw = Buffer.from(JSON.stringify({ host: '>>>?', 'x-api-key': API_KEY })).toString('base64');
    expect(raw).toMatch(/[+/]/);
    const client = await t.connect({ query: `?header=${raw}&payload=e30=` });
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe(ACK);
  });

  it('AppSync real-time: no header object and no x-api-key is unauthorised', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect({ query: '' });
    client.send('{"type":"connection_init"}');
    expect(JSON.parse(await client.next())).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorCode: 401 }] } });
  });

  it('AppSync real-time: an upgrade without graphql-ws is 400, another path 404', async () => {
    const t = await makeRealtimeApi();
    expect(await t.refused(`/graphql/realtime${headerQuery()}`, ['graphql-transport-ws'])).toEqual({
      status: 400,
      body: '{\n  "errors" : [ {\n    "errorType" : "BadRequestException",\n    "message" : "Missing the graphql-ws subprotocol."\n  } ]\n}',
    });
    expect((await t.refused(`/graphql${headerQuery()}`, ['graphql-ws'])).status).toBe(404);
  });

  it('AppSync real-time: messages before connection_init are ignored', async () => {
    const t = await makeRealtimeApi();
    const client = await t.connect();
    client.send(startMessage('early', SUB));
    client.send('not json');
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe(ACK);
    expect(await client.next()).toBe(KA);
    expect(t.trace.events('appsync.subscribe')).toEqual([]);
  });

  it('AppSync real-time: ka every 60 s of emulated time, none without advancing', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    await t.clock.advance(59_999);
    expect(await client.start('probe', SUB)).toBe('{"type":"start_ack","id":"probe"}');
    await t.clock.advance(1);
    expect(await client.next()).toBe(KA);
    await t.clock.advance(120_000);
    expect(await client.next()).toBe(KA);
    expect(await client.next()).toBe(KA);
  });

  it('AppSync real-time: appsyncKeepAliveMs 0 sends the first ka only', async () => {
    const t = await makeRealtimeApi({ appsyncKeepAliveMs: 0, appsyncConnectionTimeoutMs: 5_000 });
    const client = await t.connect();
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_ack","payload":{"connectionTimeoutMs":5000}}');
    expect(await client.next()).toBe(KA);
    await t.clock.advance(600_000);
    expect(await client.start('1', SUB)).toBe('{"type":"start_ack","id":"1"}');
  });

  it('AppSync real-time: an API\'s own limits (appsyncApis.<name>.limits) override the config\'s', async () => {
    const t = await makeRealtimeApi({ appsyncConnectionTimeoutMs: 5_000 }, { appsyncKeepAliveMs: 0, appsyncSubscriptionsPerConnection: 1 });
    const client = await t.connect();
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_ack","payload":{"connectionTimeoutMs":5000}}');
    expect(await client.next()).toBe(KA);
    await t.clock.advance(600_000);
    expect(await client.start('1', SUB)).toBe('{"type":"start_ack","id":"1"}');
    expect(await client.start('2', SUB)).toBe('{"type":"error","id":"2","payload":{"errors":[{"errorType":"MaxSubscriptionsReachedError","message":"Max number of 1 subscriptions reached"}]}}');
  });

  it('AppSync real-time: an API\'s limits take only AppSync\'s names', () => {
    const parsed = appsyncApiOptionsSchema.safeParse({ schema: 'x.graphql', limits: { restIntegrationTimeoutMs: 1 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['restIntegrationTimeoutMs'], path: ['limits'] });
  });

  it('AppSync real-time: the server closes a connection after 24 hours', async () => {
    const t = await makeRealtimeApi({ appsyncKeepAliveMs: 0 });
    const client = await t.ready();
    await t.clock.advance(86_399_999);
    expect(await client.start('1', SUB)).toBe('{"type":"start_ack","id":"1"}');
    await t.clock.advance(1);
    expect(await client.closed).toEqual({ code: 1000, reason: 'Connection duration exceeded' });
    expect(t.trace.events('appsync.disconnect')).toMatchObject([{ by: 'duration', code: 1000 }]);
    expect(t.trace.events('appsync.unsubscribe')).toMatchObject([{ subscriptionId: '1', by: 'close' }]);
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncRealtimeConnectionMs' }]);
  });
});

describe('AppSync real-time: start, stop', () => {
  it('AppSync real-time: start -> start_ack, stop -> complete, exact JSON', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send('{"id":"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69","type":"start","payload":{"data":"{\\"query\\":\\"subscription onChunk { onChunk { __typename seq } }\\",\\"variables\\":{}}","extensions":{"authorization":{"x-api-key":"da2-realtimetestkey0000000000","host":"example1234567890000.appsync-api.us-east-1.amazonaws.com"}}}}');
    expect(await client.next()).toBe('{"type":"start_ack","id":"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69"}');
    client.send('{"type":"stop","id":"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69"}');
    expect(await client.next()).toBe('{"type":"complete","id":"ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69"}');
    expect(t.trace.events('appsync.subscribe')).toMatchObject([{ connectionId: 'conn-1', subscriptionId: 'ee849ef0-cf23-4cb8-9fcb-152ae4fd1e69', field: 'onChunk' }]);
    expect(t.trace.events('appsync.unsubscribe')).toMatchObject([{ by: 'stop' }]);
  });

  it('AppSync real-time: stop of an unknown id is still answered with complete', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send('{"type":"stop","id":"nope"}');
    expect(await client.next()).toBe('{"type":"complete","id":"nope"}');
  });

  it('AppSync real-time: the id of a stopped subscription can be used again', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    await client.start('a', SUB);
    client.send('{"type":"stop","id":"a"}');
    await client.next();
    expect(await client.start('a', SUB)).toBe('{"type":"start_ack","id":"a"}');
  });
});
