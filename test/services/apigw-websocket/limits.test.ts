import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { afterEach, describe, expect, it } from 'vitest';
import { asEvent, closeAll, makeWsApi, until, type TestClient, type WsTestApi, type WsEvent } from './support.ts';

afterEach(closeAll);

const MINUTE = 60_000;

async function api(): Promise<WsTestApi> {
  return makeWsApi({ routes: { $default: 'echo', $disconnect: 'bye' } }, { echo: () => undefined, bye: () => undefined });
}

/** The `$disconnect` event's status fields and when it ran, relative to `connectedAt`. */
async function disconnect(t: WsTestApi): Promise<{ disconnectStatusCode: number; disconnectReason: string; after: number }> {
  const event = (await t.lambda.invoked('bye')).event as WsEvent;
  const rc = event.requestContext;
  return { disconnectStatusCode: rc.disconnectStatusCode!, disconnectReason: rc.disconnectReason!, after: rc.requestTimeEpoch - rc.connectedAt };
}

async function isOpen(client: TestClient): Promise<boolean> {
  await new Promise((resolve) => setImmediate(resolve));
  return client.ws.readyState === client.ws.OPEN;
}

describe('WebSocket API: lifetime limits on the emulated clock', () => {
  it('WebSocket: 10 minutes idle closes with 1001 "Going away" and $disconnect reports 1001 "Going away"', async () => {
    const t = await api();
    const client = await t.connect();
    await t.clock.advance(10 * MINUTE - 1);
    expect(await isOpen(client)).toBe(true);
    await t.clock.advance(1);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(await disconnect(t)).toEqual({ disconnectStatusCode: 1001, disconnectReason: 'Going away', after: 10 * MINUTE });
    expect(client.messages).toEqual([]);
    expect(t.trace.events('limit.hit').map((e) => e.limit)).toEqual(['websocketIdleTimeoutMs']);
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ code: 1001, reason: 'Going away', by: 'idle' }]);
  });

  it('WebSocket: client messages reset the idle timer', async () => {
    const t = await api();
    const client = await t.connect();
    await t.clock.advance(9 * MINUTE);
    client.send('keep-alive');
    await t.lambda.invoked('echo');
    await t.clock.advance(9 * MINUTE);
    expect(await isOpen(client)).toBe(true);
    await t.clock.advance(1 * MINUTE);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect((await disconnect(t)).after).toBe(19 * MINUTE);
  });

  it('WebSocket: @connections posts reset the idle timer, and the client receives them', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    await t.clock.advance(9 * MINUTE);
    await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'ping from backend' }));
    await t.clock.advance(9 * MINUTE);
    expect(await isOpen(client)).toBe(true);
    await t.clock.advance(1 * MINUTE);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(client.messages).toEqual(['ping from backend']);
    expect((await disconnect(t)).after).toBe(19 * MINUTE);
  });

  it('WebSocket: ping/pong control frames do not reset the idle timer', async () => {
    const t = await api();
    const client = await t.connect();
    await t.clock.advance(9 * MINUTE);
    client.ws.ping();
    await until(() => client.pongs === 1);
    await t.clock.advance(1 * MINUTE);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect((await disconnect(t)).after).toBe(10 * MINUTE);
  });

  it('WebSocket: 2 hours closes an active connection with 1001 "Going away"', async () => {
    const t = await api();
    const client = await t.connect();
    const id = t.api.connections()[0]!.connectionId;
    for (let i = 0; i < 13; i++) {
      await t.clock.advance(9 * MINUTE);
      await t.management.send(new PostToConnectionCommand({ ConnectionId: id, Data: `keep ${i}` }));
    }
    // 117 minutes in, active 0 minutes ago.
    await t.clock.advance(3 * MINUTE);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    expect(await disconnect(t)).toEqual({ disconnectStatusCode: 1001, disconnectReason: 'Going away', after: 120 * MINUTE });
    expect(client.messages).toHaveLength(13);
    expect(t.trace.events('limit.hit').map((e) => e.limit)).toEqual(['websocketMaxConnectionMs']);
    expect(t.trace.events('ws.disconnect')).toMatchObject([{ by: 'duration' }]);
  });
});

describe('WebSocket API: frame and message limits', () => {
  it('WebSocket: a frame of exactly 32 KB passes; one byte more closes with 1009 before it is routed', async () => {
    const t = await api();
    const client = await t.connect();
    client.send('a'.repeat(32_768));
    await t.lambda.invoked('echo');
    client.send('b'.repeat(32_769));
    expect(await client.closed).toEqual({ code: 1009, reason: '' });
    expect(await disconnect(t)).toEqual({ disconnectStatusCode: 1009, disconnectReason: '', after: 0 });
    expect(t.lambda.countOf('echo')).toBe(1);
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'websocketFrameBytes', detail: expect.stringContaining('frame of 32769 bytes') }]);
  });

  it('WebSocket: a 128 KB message in 32 KB frames passes; one byte more closes with 1009', async () => {
    const t = await api();
    const client = await t.connect();
    const sendFragmented = (total: number) => {
      for (let sent = 0; sent < total; sent += 32_768) {
        const size = Math.min(32_768, total - sent);
        client.ws.send('m'.repeat(size), { fin: sent + size >= total });
      }
    };
    sendFragmented(131_072);
    const call = await t.lambda.invoked('echo');
    expect(asEvent(call.event).body).toHaveLength(131_072);
    sendFragmented(131_073);
    expect(await client.closed).toEqual({ code: 1009, reason: '' });
    expect(await disconnect(t)).toMatchObject({ disconnectStatusCode: 1009, disconnectReason: '' });
    expect(t.lambda.countOf('echo')).toBe(1);
    expect(t.trace.events('limit.hit').map((e) => e.limit)).toEqual(['websocketMessageBytes']);
  });

  it('WebSocket: a binary frame closes with 1003', async () => {
    const t = await api();
    const client = await t.connect();
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.closed).toEqual({ code: 1003, reason: '' });
    expect(await disconnect(t)).toMatchObject({ disconnectStatusCode: 1003, disconnectReason: '' });
    expect(t.lambda.countOf('echo')).toBe(0);
    expect(client.messages).toEqual([]);
  });
});
