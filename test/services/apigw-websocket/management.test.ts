import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  LimitExceededException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach, describe, expect, it } from 'vitest';
import { asEvent, closeAll, makeWsApi, type WsTestApi, type WsEvent } from './support.ts';

afterEach(closeAll);

async function api(): Promise<WsTestApi> {
  return makeWsApi({ routes: { $default: 'echo', $disconnect: 'bye' } }, { echo: () => undefined, bye: () => undefined });
}

describe('WebSocket API: @connections through the unmodified AWS SDK', () => {
  it('WebSocket: PostToConnection delivers the exact bytes as one text frame', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    const out = await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: '{"token":"héllo"}' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(await client.frame(1)).toBe('{"token":"héllo"}');
    expect(t.trace.events('ws.management')).toMatchObject([{ connectionId: id, method: 'POST', status: 200 }]);
  });

  it('WebSocket: GetConnection returns connectedAt, lastActiveAt and identity', async () => {
    const t = await api();
    await t.connect('', { 'User-Agent': 'sdk-test' });
    const id = t.api.connections()[0]!.connectionId;
    const connectedAt = t.clock.now();
    await t.clock.advance(90_000);
    await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x' }));
    await t.clock.advance(1_000);
    const out = await t.management.send(new GetConnectionCommand({ ConnectionId: id }));
    expect(out.ConnectedAt).toEqual(new Date(connectedAt));
    expect(out.LastActiveAt).toEqual(new Date(connectedAt + 90_000));
    expect(out.Identity).toEqual({ SourceIp: '127.0.0.1', UserAgent: 'sdk-test' });
  });

  it('WebSocket: DeleteConnection closes with 1000 and $disconnect reports "Connection Closed Normally"', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    const out = await t.management.send(new DeleteConnectionCommand({ ConnectionId: id }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect(await client.closed).toEqual({ code: 1000, reason: 'Connection Closed Normally' });
    const event = (await t.lambda.invoked('bye')).event as WsEvent;
    expect(event.requestContext).toMatchObject({ disconnectStatusCode: 1000, disconnectReason: 'Connection Closed Normally' });
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ by: 'management' }]);
  });

  it('WebSocket: unknown and closed connections raise GoneException (410) for every operation', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    client.ws.close(1000);
    await client.closed;
    await t.lambda.invoked('bye');
    for (const connectionId of [id, 'AAAAAAAAAAAAAAA=']) {
      for (const command of [new PostToConnectionCommand({ ConnectionId: connectionId, Data: 'x' }), new GetConnectionCommand({ ConnectionId: connectionId }), new DeleteConnectionCommand({ ConnectionId: connectionId })]) {
        const error = await t.management.send(command as PostToConnectionCommand).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(GoneException);
        expect((error as GoneException).$metadata.httpStatusCode).toBe(410);
      }
    }
  });

  it('WebSocket: PostToConnection over 128 KB raises PayloadTooLargeException (413); exactly 128 KB is delivered', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    const error = await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x'.repeat(131_073) })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeException);
    expect((error as PayloadTooLargeException).$metadata.httpStatusCode).toBe(413);
    await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'y'.repeat(131_072) }));
    expect(await client.frame(1)).toHaveLength(131_072);
  });

  it('WebSocket: the raw 410 carries x-amzn-ErrorType and a JSON message', async () => {
    const t = await api();
    const res = await fetch(`${t.http}/dev/@connections/${encodeURIComponent('AAAAAAAAAAAAAAA=')}`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(410);
    expect(res.headers.get('x-amzn-errortype')).toBe('GoneException');
    expect(await res.text()).toBe('{"message":"GoneException"}');
  });
});

describe('WebSocket API: control API', () => {
  it('WebSocket: GET /@control/connections lists live connections; DELETE closes one with the given code and reason', async () => {
    const t = await api();
    const a = await t.connect('', { 'User-Agent': 'a' });
    await t.connect('', { 'User-Agent': 'b' });
    const list = (await (await fetch(`${t.http}/@control/connections`)).json()) as { connections: Array<Record<string, unknown>> };
    expect(list.connections.map((c) => c.identity)).toEqual([{ sourceIp: '127.0.0.1', userAgent: 'a' }, { sourceIp: '127.0.0.1', userAgent: 'b' }]);
    expect(list.connections[0]).toMatchObject({ state: 'open', connectedAt: t.clock.now(), lastActiveAt: t.clock.now() });
    const id = list.connections[0]!.connectionId as string;
    const res = await fetch(`${t.http}/@control/connections/${encodeURIComponent(id)}?code=4000&reason=kicked`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await a.closed).toEqual({ code: 4000, reason: 'kicked' });
    expect(asEvent((await t.lambda.invoked('bye')).event).requestContext).toMatchObject({ disconnectStatusCode: 4000, disconnectReason: 'kicked' });
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ by: 'control', code: 4000 }]);
    expect((await fetch(`${t.http}/@control/connections/${encodeURIComponent(id)}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${t.http}/@control/connections/x?code=1005`, { method: 'DELETE' })).status).toBe(400);
  });

  it('WebSocket: the programmatic close defaults to DeleteConnection\'s 1000 "Connection Closed Normally"', async () => {
    const t = await api();
    const client = await t.connect();
    const [c] = t.api.connections();
    expect(t.api.close(c!.connectionId)).toBe(true);
    expect(await client.closed).toEqual({ code: 1000, reason: 'Connection Closed Normally' });
    expect(t.api.close(c!.connectionId)).toBe(false);
    expect(() => t.api.close('x', { code: 1006 })).toThrow(RangeError);
  });
});

describe('WebSocket API: @connections throttling', () => {
  it('WebSocket: @connections calls over the account throttle raise LimitExceededException (429)', async () => {
    const t = await makeWsApi({ routes: { $default: 'echo' } }, { echo: () => undefined }, { limits: { accountThrottleRate: 1, accountThrottleBurst: 1 } });
    await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    // One attempt: the SDK would otherwise retry a throttle with real back-off.
    const client = new ApiGatewayManagementApiClient({ endpoint: `${t.http}/dev`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'a' }));
    const error = await client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'b' })).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(LimitExceededException);
    expect((error as LimitExceededException).$metadata.httpStatusCode).toBe(429);
  });
});
