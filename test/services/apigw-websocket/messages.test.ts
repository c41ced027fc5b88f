import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { asEvent, closeAll, makeWsApi, until, type WsTestApi, type WsEvent } from './support.ts';

afterEach(closeAll);

const frame = (message: string, connectionId: string, requestId: string) => `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`;

describe('WebSocket API: messages and routes', () => {
  it('WebSocket: route selection picks the custom route, nested paths too, else $default; non-JSON goes to $default', async () => {
    const t = await makeWsApi(
      { routeSelectionExpression: '$request.body.meta.action', routes: { sendmessage: 'send', $default: 'fallback' } },
      { send: () => undefined, fallback: () => undefined },
    );
    const client = await t.connect();
    client.send('{"meta":{"action":"sendmessage"},"data":"hi"}');
    await t.lambda.invoked('send');
    client.send('{"meta":{"action":"other"}}');
    await t.lambda.invoked('fallback', 1);
    client.send('not json');
    await t.lambda.invoked('fallback', 2);
    const send = t.lambda.eventsOf('send')[0] as WsEvent;
    expect(send.body).toBe('{"meta":{"action":"sendmessage"},"data":"hi"}');
    expect(send.isBase64Encoded).toBe(false);
    expect(send.requestContext).toMatchObject({ routeKey: 'sendmessage', eventType: 'MESSAGE', messageDirection: 'IN', stage: 'dev' });
    expect(send.requestContext.messageId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    expect(send).not.toHaveProperty('headers');
    expect(t.lambda.eventsOf('fallback').map((e) => [asEvent(e).requestContext.routeKey, asEvent(e).body])).toEqual([['$default', '{"meta":{"action":"other"}}'], ['$default', 'not json']]);
  });

  it('WebSocket: no matching route and no $default answers the exact Forbidden frame and keeps the connection', async () => {
    const t = await makeWsApi({ routes: { sendmessage: 'send' } }, { send: () => undefined });
    const client = await t.connect();
    client.send('{"action":"nope"}');
    const text = await client.frame(1);
    const [connection] = t.api.connections();
    const requestId = t.trace.events('ws.message')[0]!.requestId;
    expect(text).toBe(frame('Forbidden', connection!.connectionId, requestId));
    expect(t.trace.events('ws.message')[0]!.routeKey).toBeNull();
    client.send('{"action":"sendmessage"}');
    await t.lambda.invoked('send');
    expect(connection!.state).toBe('open');
  });

  it('WebSocket: a two-way route sends the proxy result body back as a frame; a one-way route sends nothing', async () => {
    const t = await makeWsApi(
      { routes: { ask: { function: 'ask', routeResponse: true }, tell: 'tell' } },
      { ask: (e) => ({ statusCode: 200, body: `echo:${JSON.parse(e.body).q}` }), tell: () => ({ statusCode: 200, body: 'dropped' }) },
    );
    const client = await t.connect();
    client.send('{"action":"tell"}');
    await t.lambda.invoked('tell');
    client.send('{"action":"ask","q":"hi"}');
    expect(await client.frame(1)).toBe('echo:hi');
    expect(client.messages).toEqual(['echo:hi']);
  });

  it('WebSocket: a Lambda error answers the exact Internal server error frame and the connection stays open', async () => {
    const t = await makeWsApi({ routes: { $default: { function: 'bad', routeResponse: true } } }, { bad: () => { throw new Error('boom'); } });
    const client = await t.connect();
    client.send('x');
    const text = await client.frame(1);
    expect(text).toBe(frame('Internal server error', t.api.connections()[0]!.connectionId, t.trace.events('ws.message')[0]!.requestId));
    expect(t.api.connections()[0]!.state).toBe('open');
  });

  it('WebSocket: after 29 s the client gets the timed-out frame, stays connected, and the Lambda still posts its result', async () => {
    const t: WsTestApi = await makeWsApi({ routes: { $default: 'stream' } }, { stream: { hang: true } });
    const client = await t.connect();
    client.send('{"prompt":"long"}');
    const call = await t.lambda.invoked('stream');
    await t.clock.advance(28_999);
    expect(client.messages).toEqual([]);
    await t.clock.advance(1);
    const connectionId = asEvent(call.event).requestContext.connectionId as string;
    const requestId = asEvent(call.event).requestContext.requestId as string;
    expect(await client.frame(1)).toBe(frame('Endpoint request timed out', connectionId, requestId));
    expect(t.trace.events('gateway.integration-timeout')).toMatchObject([{ api: 'chat', requestId, functionName: 'stream', timeoutMs: 29_000 }]);
    // The Lambda runs on after the gateway gave up, and pushes its tokens through @connections.
    await t.clock.advance(30_000);
    await t.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'token-1' }));
    t.lambda.release('stream', { statusCode: 200 });
    expect(await client.frame(2)).toBe('token-1');
    expect(client.messages).toHaveLength(2);
  });

  it('WebSocket: integrationTimeoutMs shortens the timeout per route', async () => {
    const t = await makeWsApi({ integrationTimeoutMs: 5_000, routes: { $default: 'slow', fast: { function: 'slow', integrationTimeoutMs: 50 } } }, { slow: { hang: true } });
    const client = await t.connect();
    client.send('{"action":"fast"}');
    await t.lambda.invoked('slow');
    await t.clock.advance(50);
    expect(await client.frame(1)).toContain('Endpoint request timed out');
    client.send('{}');
    await t.lambda.invoked('slow', 2);
    await t.clock.advance(4_999);
    expect(client.messages).toHaveLength(1);
    await t.clock.advance(1);
    expect(await client.frame(2)).toContain('Endpoint request timed out');
  });
});

describe('WebSocket API: $disconnect', () => {
  it('WebSocket: a client close runs $disconnect with the client\'s code and reason and the AWS header set', async () => {
    const t = await makeWsApi({ routes: { $default: 'echo', $disconnect: 'bye' } }, { echo: () => undefined, bye: () => undefined });
    const client = await t.connect();
    const connectionId = t.api.connections()[0]!.connectionId;
    await t.clock.advance(5_000);
    client.ws.close(1001, '');
    const call = await t.lambda.invoked('bye');
    const event = call.event as WsEvent;
    expect(event.headers).toEqual({ Host: `${t.api.apiId}.execute-api.us-east-1.amazonaws.com`, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' });
    expect(event.requestContext).toMatchObject({ routeKey: '$disconnect', eventType: 'DISCONNECT', disconnectStatusCode: 1001, disconnectReason: '', connectionId });
    expect(event.requestContext.requestTimeEpoch - event.requestContext.connectedAt).toBe(5_000);
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ connectionId, code: 1001, reason: '', by: 'client' }]);
    await until(() => t.api.connections().length === 0);
  });

  it('WebSocket: a dropped TCP connection runs $disconnect with 1006 and an empty reason', async () => {
    const t = await makeWsApi({ routes: { $default: 'echo', $disconnect: 'bye' } }, { echo: () => undefined, bye: () => undefined });
    const client = await t.connect();
    client.ws.terminate();
    const event = asEvent((await t.lambda.invoked('bye')).event);
    expect(event.requestContext).toMatchObject({ disconnectStatusCode: 1006, disconnectReason: '' });
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ code: 1006, by: 'network' }]);
  });

  it('WebSocket: a malformed handshake is refused with 400 before $connect runs', async () => {
    const t = await makeWsApi({ routes: { $connect: 'onConnect' } }, { onConnect: () => ({ statusCode: 200 }) });
    // No Sec-WebSocket-Key.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${t.http}/dev`, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13' } });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(t.lambda.countOf('onConnect')).toBe(0);
  });
});
