import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach, describe, expect, it } from 'vitest';
import { asEvent, closeAll, makeWsApi, type WsTestApi, type WsEvent } from './support.ts';

afterEach(closeAll);

const ALLOW = (context: Record<string, unknown>) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:*/dev/$connect' }] },
  context,
});

describe('WebSocket API: $connect', () => {
  it('WebSocket: $connect gets the query string, headers, identity and AWS-shaped ids', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 200 }) });
    const client = await t.connect('?token=abc&room=1&room=2', { 'X-Custom': 'v', 'User-Agent': 'test-agent' });
    const event = t.lambda.eventsOf('onConnect')[0] as WsEvent;
    expect(event.queryStringParameters).toEqual({ token: 'abc', room: '2' });
    expect(event.multiValueQueryStringParameters).toEqual({ token: ['abc'], room: ['1', '2'] });
    expect(event.headers['X-Custom']).toBe('v');
    expect(event.headers['Sec-WebSocket-Version']).toBe('13');
    expect(event.headers['X-Forwarded-Proto']).toBe('https');
    expect(event.multiValueHeaders['X-Custom']).toEqual(['v']);
    const rc = event.requestContext;
    expect(rc).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT', messageDirection: 'IN', stage: 'dev', apiId: t.api.apiId, identity: { userAgent: 'test-agent', sourceIp: '127.0.0.1' } });
    expect(rc.domainName).toBe(`${t.api.apiId}.execute-api.us-east-1.amazonaws.com`);
    expect(rc.connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(rc.requestId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(rc.extendedRequestId).toBe(rc.requestId);
    expect(rc.connectedAt).toBe(t.clock.now());
    expect(rc.requestTimeEpoch).toBe(t.clock.now());
    expect(rc.requestTime).toBe('01/Jan/2026:00:00:00 +0000');
    expect(t.api.connections().map((c) => c.connectionId)).toEqual([rc.connectionId]);
    client.ws.close(1000);
  });

  it('WebSocket: domainName comes from the configured option', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 200 }) }, { extra: { domainName: 'localhost:9999' } });
    await t.connect();
    expect(asEvent(t.lambda.eventsOf('onConnect')[0]).requestContext.domainName).toBe('localhost:9999');
  });

  it('WebSocket: $connect returning a non-2xx statusCode refuses the upgrade with that status', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 401, body: 'no' }) });
    expect(await t.refused()).toEqual({ status: 401, body: '' });
    expect(t.api.connections()).toEqual([]);
    expect(t.trace.events('ws.connect').map((e) => e.status)).toEqual([401]);
  });

  it('WebSocket: $connect throwing refuses the upgrade with 502', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => { throw new Error('boom'); } });
    expect(await t.refused()).toEqual({ status: 502, body: '{"message": "Internal server error"}' });
  });

  it('WebSocket: a $connect past its integration timeout refuses the upgrade with 504 (our choice)', async () => {
    const t = await makeWsApi({ routes: { $connect: { function: 'onConnect', integrationTimeoutMs: 1_000 } } }, { onConnect: { hang: true } });
    const refused = t.refused();
    await t.lambda.invoked('onConnect');
    await t.clock.advance(1_000);
    expect(await refused).toEqual({ status: 504, body: '{"message": "Endpoint request timed out"}' });
    expect(t.api.connections()).toEqual([]);
  });

  it('WebSocket: a $connect statusCode no HTTP response can carry is a 502', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 101 }) });
    expect((await t.refused()).status).toBe(502);
  });

  it('WebSocket: without $connect every upgrade is accepted; returning nothing from $connect accepts too', async () => {
    const a = await makeWsApi({ routes: { $default: 'echo' } }, { echo: () => undefined });
    await a.connect();
    const b = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => undefined });
    await b.connect();
    expect(a.api.connections()).toHaveLength(1);
    expect(b.api.connections()).toHaveLength(1);
  });

  it('WebSocket: PostToConnection from inside $connect fails with GoneException', async () => {
    let seen: unknown;
    const t: WsTestApi = await makeWsApi({ routes: { $connect: 'onConnect' } }, {
      onConnect: async (event) => {
        try {
          await t.management.send(new PostToConnectionCommand({ ConnectionId: event.requestContext.connectionId, Data: 'too early' }));
        } catch (error) {
          seen = error;
        }
        return { statusCode: 200 };
      },
    });
    const client = await t.connect();
    expect(seen).toBeInstanceOf(GoneException);
    expect((seen as GoneException).$metadata.httpStatusCode).toBe(410);
    expect(client.messages).toEqual([]);
  });

  it('WebSocket: a path outside the stage is refused with 403', async () => {
    const t = await makeWsApi({ routes: { $default: 'echo' } }, { echo: () => undefined });
    const status = await new Promise<number>((resolve) => {
      void import('ws').then(({ default: WebSocket }) => {
        const ws = new WebSocket(`ws://127.0.0.1:${t.listener.port}/prod`);
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    });
    expect(status).toBe(403);
  });

  it('WebSocket: the Sec-WebSocket-Protocol $connect returns is the one accepted', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat.v2' } }) });
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(t.url, ['chat.v1', 'chat.v2']);
    await new Promise((resolve) => ws.on('open', resolve));
    expect(ws.protocol).toBe('chat.v2');
    ws.close();
  });

  it('WebSocket: new connections over the per-second rate are refused with 429', async () => {
    const t = await makeWsApi({ newConnectionsPerSecond: 2, routes: { $default: 'echo' } }, { echo: () => undefined });
    await t.connect();
    await t.connect();
    expect(await t.refused()).toEqual({ status: 429, body: '{"message":"Too Many Requests"}' });
    expect(t.trace.events('limit.hit').map((e) => e.limit)).toEqual(['websocketNewConnectionsPerSecond']);
    await t.clock.advance(1000);
    await t.connect();
    expect(t.api.connections()).toHaveLength(3);
  });
});

describe('WebSocket API: $connect authorizer', () => {
  const options = {
    authorizers: { auth: { type: 'REQUEST' as const, function: 'authorizer', identitySource: ['route.request.querystring.token', 'route.request.header.Auth'] } },
    routes: { $connect: { function: 'onConnect', authorizer: 'auth' }, $default: 'echo', $disconnect: 'onDisconnect' },
  };
  const functions = (decide: (event: WsEvent) => unknown) => ({
    authorizer: decide,
    onConnect: () => ({ statusCode: 200 }),
    echo: () => undefined,
    onDisconnect: () => undefined,
  });

  it('WebSocket: an Allow policy lets the upgrade through and its context rides on every later event', async () => {
    const t = await makeWsApi(options, functions(() => ALLOW({ tenant: 't1', level: 3 })));
    const client = await t.connect('?token=good', { Auth: 'secret' });
    const authEvent = t.lambda.eventsOf('authorizer')[0] as WsEvent;
    expect(authEvent).toMatchObject({ type: 'REQUEST', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${t.api.apiId}/dev/$connect`, queryStringParameters: { token: 'good' } });
    expect(authEvent.headers.Auth).toBe('secret');
    expect(authEvent.requestContext).toMatchObject({ routeKey: '$connect', eventType: 'CONNECT' });
    const expected = { tenant: 't1', level: 3, principalId: 'user-1', integrationLatency: 0 };
    expect(asEvent(t.lambda.eventsOf('onConnect')[0]).requestContext.authorizer).toEqual(expected);
    client.send('hello');
    await t.lambda.invoked('echo');
    expect(asEvent(t.lambda.eventsOf('echo')[0]).requestContext.authorizer).toEqual(expected);
    client.ws.close(1000, 'bye');
    await t.lambda.invoked('onDisconnect');
    expect(asEvent(t.lambda.eventsOf('onDisconnect')[0]).requestContext.authorizer).toEqual(expected);
  });

  it('WebSocket: a Deny policy refuses the upgrade with 403 and $connect never runs', async () => {
    const t = await makeWsApi(options, functions(() => ({ principalId: 'x', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: '*' }] } })));
    expect(await t.refused('?token=bad', { Auth: 'x' })).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    expect(t.lambda.countOf('onConnect')).toBe(0);
  });

  it('WebSocket: a missing identity source refuses with 401 without invoking the authorizer', async () => {
    const t = await makeWsApi(options, functions(() => ALLOW({})));
    expect(await t.refused('?token=only-query')).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(t.lambda.countOf('authorizer')).toBe(0);
  });

  it('WebSocket: an authorizer error "Unauthorized" is a 401; any other error a 500', async () => {
    const t = await makeWsApi(options, functions((event) => { throw new Error(event.queryStringParameters?.token === 'u' ? 'Unauthorized' : 'bug'); }));
    expect((await t.refused('?token=u', { Auth: 'x' })).status).toBe(401);
    expect(await t.refused('?token=other', { Auth: 'x' })).toEqual({ status: 500, body: '{"message": "Internal server error"}' });
  });
});
