import { afterEach, describe, expect, it } from 'vitest';
import type { RealtimeClient } from './realtime-support.ts';
import { closeAllEvents, makeEventsApi, publish, subscribe, type EventsTestApi } from './events-support.ts';

afterEach(closeAllEvents);

const UNSUPPORTED = '{"type":"error","errors":[{"errorType":"UnsupportedOperation","message":"unknown not supported through the realtime channel"}]}';

/** The connection still subscribes and receives, and a new connection is still accepted. */
async function stillServes(t: EventsTestApi, client: RealtimeClient): Promise<void> {
  client.send(subscribe('after', '/default/still'));
  expect(await client.next()).toBe('{"type":"subscribe_success","id":"after"}');
  const fresh = await t.ready();
  fresh.send(publish('fresh', '/default/still', ['"alive"']));
  expect(await client.next()).toBe('{"type":"data","id":"after","event":"\\"alive\\""}');
  expect(JSON.parse(await fresh.next())).toMatchObject({ id: 'fresh', type: 'publish_success' });
}

describe('AppSync Events WebSocket: no frame can break the server', () => {
  it('Events WS: a non-JSON frame, a JSON array, a bare string and a binary frame get UnsupportedOperation', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    for (const frame of ['{"type":', '[1,2]', '"subscribe"', 'null']) {
      client.send(frame);
      expect(await client.next()).toBe(UNSUPPORTED);
    }
    client.send(Buffer.from([1, 2, 3]));
    expect(await client.next()).toBe(UNSUPPORTED);
    await stillServes(t, client);
  });

  it('Events WS: an unknown type, or GraphQL real-time\'s start, gets UnsupportedOperation naming it, with the id', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send('{"type":"start","id":"x","payload":{}}');
    expect(await client.next()).toBe('{"type":"error","id":"x","errors":[{"errorType":"UnsupportedOperation","message":"start not supported through the realtime channel"}]}');
    client.send('{"id":"y"}');
    expect(await client.next()).toBe('{"type":"error","id":"y","errors":[{"errorType":"UnsupportedOperation","message":"unknown not supported through the realtime channel"}]}');
    await stillServes(t, client);
  });

  it('Events WS: wrong field types (channel a number, id an object, events an object) get their errors', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send(JSON.stringify({ type: 'subscribe', id: 's', channel: 42, authorization: { 'x-api-key': 'da2-eventstestkey00000000000' } }));
    expect(JSON.parse(await client.next())).toEqual({ type: 'subscribe_error', id: 's', errors: [{ errorType: 'BadRequestException', message: expect.stringContaining('Invalid channel') as string }] });
    client.send(JSON.stringify({ type: 'subscribe', id: { a: 1 }, channel: '/default/a' }));
    expect(JSON.parse(await client.next())).toMatchObject({ type: 'subscribe_error', errors: [{ errorType: 'BadRequestException' }] });
    client.send(publish('p', '/default/a', { a: 1 }));
    expect(await client.next()).toBe('{"id":"p","type":"publish_error","errors":[{"errorType":"BadRequestException","message":"The events must be a non-empty list of JSON strings."}]}');
    client.send(subscribe('x'.repeat(129), '/default/a'));
    expect(JSON.parse(await client.next())).toMatchObject({ type: 'subscribe_error', errors: [{ errorType: 'BadRequestException' }] });
    await stillServes(t, client);
  });

  it('Events WS: an oversized message gets LimitExceededError and the socket stays open', async () => {
    const t = await makeEventsApi({ appsyncEventsMessageBytes: 400 });
    const client = await t.ready();
    const big = publish('big', '/default/a', [JSON.stringify('x'.repeat(500))]);
    client.send(big);
    expect(await client.next()).toBe(`{"type":"error","errors":[{"errorType":"LimitExceededError","message":"Message of ${Buffer.byteLength(big)} bytes exceeds the 400 bytes limit"}]}`);
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncEventsMessageBytes' }]);
    await stillServes(t, client);
  });

  it('Events WS: a duplicate subscription id is refused and the first subscription keeps receiving', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send(subscribe('dup', '/default/a'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"dup"}');
    client.send(subscribe('dup', '/default/a'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"dup","errors":[{"errorType":"DuplicatedOperationError","message":"Duplicate subscription ID: dup"}]}');
    await t.publishHttp({ channel: '/default/a', events: ['1'] });
    expect(await client.next()).toBe('{"type":"data","id":"dup","event":"1"}');
    expect(client.unread()).toEqual([]);
    await stillServes(t, client);
  });

  it('Events WS: a frame with a wrong key is refused per message; the connection carries on', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send(subscribe('w', '/default/a', 'da2-nope'));
    expect(JSON.parse(await client.next())).toMatchObject({ type: 'subscribe_error', id: 'w', errors: [{ errorType: 'UnauthorizedException' }] });
    client.send(JSON.stringify({ type: 'subscribe', id: 'w2', channel: '/default/a', authorization: 'da2-eventstestkey00000000000' }));
    expect(JSON.parse(await client.next())).toMatchObject({ type: 'subscribe_error', id: 'w2', errors: [{ errorType: 'UnauthorizedException' }] });
    await stillServes(t, client);
  });
});
