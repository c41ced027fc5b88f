import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, closeAllEvents, headerProtocol, HOST, makeEventsApi, publish, subscribe } from './events-support.ts';

afterEach(closeAllEvents);

const UNAUTHORIZED = '[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]';

describe('AppSync Events WebSocket: connection', () => {
  it('Events WS: the 101 selects aws-appsync-event-ws; connection_init gets the top-level ack, then ka every 60 s of emulated time', async () => {
    const t = await makeEventsApi();
    const client = await t.connect();
    expect(client.ws.protocol).toBe('aws-appsync-event-ws');
    client.send('{"type":"connection_init"}');
    expect(await client.next()).toBe('{"type":"connection_ack","connectionTimeoutMs":300000}');
    expect(await client.next()).toBe('{"type":"ka"}');
    t.clock.advance(59_999);
    client.send(subscribe('s1', '/default/a'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"s1"}');
    t.clock.advance(1);
    expect(await client.next()).toBe('{"type":"ka"}');
    client.send('{"type":"connection_init"}');
    t.clock.advance(60_000);
    expect(await client.next()).toBe('{"type":"ka"}');
    expect(client.unread()).toEqual([]);
  });

  it('Events WS: connection_init is optional; subscribe and publish work without it', async () => {
    const t = await makeEventsApi();
    const client = await t.connect();
    client.send(subscribe('s', '/default/a'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"s"}');
    client.send(publish('p', '/default/a', ['{"n":1}']));
    expect(await client.next()).toBe('{"type":"data","id":"s","event":"{\\"n\\":1}"}');
    expect(await client.next()).toBe('{"id":"p","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[]}');
  });

  it('Events WS: the key may also come in the header query parameter or as x-api-key on the upgrade', async () => {
    const t = await makeEventsApi();
    const header = encodeURIComponent(Buffer.from(JSON.stringify({ host: HOST, 'x-api-key': API_KEY })).toString('base64'));
    const viaQuery = await t.connect({ protocols: ['aws-appsync-event-ws'], query: `?header=${header}&payload=e30=` });
    viaQuery.send(subscribe('q', '/default/a'));
    expect(await viaQuery.next()).toBe('{"type":"subscribe_success","id":"q"}');
  });

  it('Events WS: a wrong key in the handshake gets connection_error with top-level errors, then close 1000', async () => {
    const t = await makeEventsApi();
    const client = await t.connect({ protocols: ['aws-appsync-event-ws', headerProtocol('da2-wrong')] });
    expect(await client.next()).toBe(`{"type":"connection_error","errors":${UNAUTHORIZED}}`);
    expect((await client.closed).code).toBe(1000);
    const none = await t.connect({ protocols: ['aws-appsync-event-ws'] });
    expect(await none.next()).toBe(`{"type":"connection_error","errors":${UNAUTHORIZED}}`);
    const garbled = await t.connect({ protocols: ['aws-appsync-event-ws', 'header-%%%'] });
    expect(await garbled.next()).toBe('{"type":"connection_error","errors":[{"errorType":"BadRequestException","message":"Unable to parse the authorization header object."}]}');
    expect(t.trace.events('appsync.disconnect').map((e) => e.by)).toEqual(['auth', 'auth', 'auth']);
  });

  it('Events WS: an upgrade without the subprotocol is refused with 400', async () => {
    const t = await makeEventsApi();
    const { status } = await new Promise<{ status: number }>((resolve) => {
      void import('ws').then(({ default: WebSocket }) => {
        const ws = new WebSocket(t.url, ['graphql-ws']);
        ws.on('error', () => undefined);
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      });
    });
    expect(status).toBe(400);
  });

  it('Events WS: the connection closes after 24 hours of emulated time', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    t.clock.advance(86_400_000);
    expect(await client.closed).toEqual({ code: 1000, reason: 'Connection duration exceeded' });
  });
});

describe('AppSync Events WebSocket: subscribe, publish, unsubscribe', () => {
  it('Events WS: subscribe_error for a bad id, a duplicate id, a wrong key, a bad channel and a missing namespace', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    const cases: Array<[string, string]> = [
      [subscribe('bad id!', '/default/a'), '{"type":"subscribe_error","id":"bad id!","errors":[{"errorType":"BadRequestException","message":"The id must be 1-128 characters of letters, digits, \\"-\\", \\"_\\" and \\"+\\"."}]}'],
      ['{"type":"subscribe","channel":"/default/a"}', '{"type":"subscribe_error","errors":[{"errorType":"BadRequestException","message":"The id must be 1-128 characters of letters, digits, \\"-\\", \\"_\\" and \\"+\\"."}]}'],
      [subscribe('k', '/default/a', 'da2-wrong'), `{"type":"subscribe_error","id":"k","errors":${UNAUTHORIZED}}`],
      [JSON.stringify({ type: 'subscribe', id: 'k2', channel: '/default/a' }), `{"type":"subscribe_error","id":"k2","errors":${UNAUTHORIZED}}`],
      [subscribe('c', '/default/*/a'), '{"type":"subscribe_error","id":"c","errors":[{"errorType":"BadRequestException","message":"Invalid channel: 1-5 segments of 1-50 letters, digits and \\"-\\", a trailing \\"/*\\" for subscriptions only."}]}'],
      [subscribe('n', '/nope/a'), '{"type":"subscribe_error","id":"n","errors":[{"errorType":"NotFoundException","message":"Namespace not found: nope"}]}'],
      [subscribe('ok', '/default/a'), '{"type":"subscribe_success","id":"ok"}'],
      [subscribe('ok', '/default/b'), '{"type":"subscribe_error","id":"ok","errors":[{"errorType":"DuplicatedOperationError","message":"Duplicate subscription ID: ok"}]}'],
    ];
    for (const [sent, answer] of cases) {
      client.send(sent);
      expect(await client.next()).toBe(answer);
    }
    expect(t.trace.events('appsync.events-subscribe')).toMatchObject([{ subscriptionId: 'ok', channel: '/default/a' }]);
  });

  it('Events WS: Amplify\'s shape (authorization under payload.extensions) is accepted', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send(JSON.stringify({ type: 'subscribe', id: 'a', channel: '/default/a', payload: { channel: '/default/a', extensions: { authorization: { 'x-api-key': API_KEY, host: HOST } } } }));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"a"}');
  });

  it('Events WS: the subscription limit answers MaxSubscriptionsReachedError', async () => {
    const t = await makeEventsApi({ appsyncEventsSubscriptionsPerConnection: 1 });
    const client = await t.ready();
    client.send(subscribe('one', '/default/a'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"one"}');
    client.send(subscribe('two', '/default/b'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"two","errors":[{"errorType":"MaxSubscriptionsReachedError","message":"Max number of 1 subscriptions reached"}]}');
  });

  it('Events WS: unsubscribe_success, then unsubscribe_error UnknownOperationError for the same id; no more data after it', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    client.send(subscribe('s', '/default/a'));
    await client.next();
    client.send('{"type":"unsubscribe","id":"s"}');
    expect(await client.next()).toBe('{"type":"unsubscribe_success","id":"s"}');
    client.send('{"type":"unsubscribe","id":"s"}');
    expect(await client.next()).toBe('{"type":"unsubscribe_error","id":"s","errors":[{"errorType":"UnknownOperationError","message":"Unknown operation id s"}]}');
    client.send('{"type":"unsubscribe"}');
    expect(await client.next()).toBe('{"type":"unsubscribe_error","errors":[{"errorType":"BadRequestException","message":"The id must be 1-128 characters of letters, digits, \\"-\\", \\"_\\" and \\"+\\"."}]}');
    client.send(publish('p', '/default/a', ['1']));
    expect(await client.next()).toBe('{"id":"p","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[]}');
    expect(t.trace.events('appsync.events-unsubscribe')).toMatchObject([{ subscriptionId: 's', by: 'unsubscribe' }]);
  });

  it('Events WS: publish_error for more than 5 events, a wildcard channel, a missing namespace, a wrong key and no events', async () => {
    const t = await makeEventsApi();
    const client = await t.ready();
    const cases: Array<[string, string]> = [
      [publish('p1', '/default/a', ['1', '2', '3', '4', '5', '6']), '{"id":"p1","type":"publish_error","errors":[{"errorType":"BadRequestException","message":"A publish carries at most 5 events; this one has 6."}]}'],
      [publish('p2', '/default/*', ['1']), '{"id":"p2","type":"publish_error","errors":[{"errorType":"BadRequestException","message":"Invalid channel: 1-5 segments of 1-50 letters, digits and \\"-\\", a trailing \\"/*\\" for subscriptions only."}]}'],
      [publish('p3', '/nope', ['1']), '{"id":"p3","type":"publish_error","errors":[{"errorType":"NotFoundException","message":"Namespace not found: nope"}]}'],
      [publish('p4', '/default/a', ['1'], 'da2-wrong'), `{"id":"p4","type":"publish_error","errors":${UNAUTHORIZED}}`],
      [publish('p5', '/default/a', []), '{"id":"p5","type":"publish_error","errors":[{"errorType":"BadRequestException","message":"The events must be a non-empty list of JSON strings."}]}'],
      [JSON.stringify({ type: 'publish', channel: '/default/a', events: ['1'] }), '{"type":"publish_error","errors":[{"errorType":"BadRequestException","message":"The id must be 1-128 characters of letters, digits, \\"-\\", \\"_\\" and \\"+\\"."}]}'],
      [publish('p6', '/default/a', ['1', 'nope']), '{"id":"p6","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[{"identifier":"evt-2","index":1,"code":400,"message":"The event is not valid JSON."}]}'],
    ];
    for (const [sent, answer] of cases) {
      client.send(sent);
      expect(await client.next()).toBe(answer);
    }
  });
});

describe('AppSync Events: fan-out', () => {
  it('Events fan-out: an HTTP publish reaches exact and wildcard subscribers on other connections, one data message per event', async () => {
    const t = await makeEventsApi();
    const exact = await t.ready();
    const wild = await t.ready();
    const other = await t.ready();
    exact.send(subscribe('e', '/default/room/1'));
    wild.send(subscribe('w', 'default/*'));
    other.send(subscribe('o', '/chat/*'));
    await Promise.all([exact.next(), wild.next(), other.next()]);
    const res = await t.publishHttp({ channel: '/default/room/1', events: ['{"a":1}', '"two"'] });
    expect(res.status).toBe(200);
    expect([await exact.next(), await exact.next()]).toEqual(['{"type":"data","id":"e","event":"{\\"a\\":1}"}', '{"type":"data","id":"e","event":"\\"two\\""}']);
    expect([await wild.next(), await wild.next()]).toEqual(['{"type":"data","id":"w","event":"{\\"a\\":1}"}', '{"type":"data","id":"w","event":"\\"two\\""}']);
    // A publish to /default alone matches neither /default/room/1 nor /default/*.
    await t.publishHttp({ channel: '/default', events: ['3'] });
    other.send(publish('p', '/chat/x', ['4']));
    expect(await other.next()).toBe('{"type":"data","id":"o","event":"4"}');
    expect(await other.next()).toBe('{"id":"p","type":"publish_success","successful":[{"identifier":"evt-4","index":0}],"failed":[]}');
    expect([exact.unread(), wild.unread()]).toEqual([[], []]);
    expect(t.trace.events('appsync.events-deliver')).toHaveLength(5);
  });

  it('Events fan-out: a WebSocket publish reaches another connection; a closed connection\'s subscriptions are gone', async () => {
    const t = await makeEventsApi();
    const subscriber = await t.ready();
    const publisher = await t.ready();
    subscriber.send(subscribe('s', '/chat/general'));
    await subscriber.next();
    publisher.send(publish('p', '/chat/general', ['{"msg":"Hello World!"}']));
    expect(await publisher.next()).toBe('{"id":"p","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[]}');
    expect(await subscriber.next()).toBe('{"type":"data","id":"s","event":"{\\"msg\\":\\"Hello World!\\"}"}');
    subscriber.ws.close();
    await subscriber.closed;
    await t.trace.waitFor('appsync.disconnect');
    publisher.send(publish('p2', '/chat/general', ['1']));
    expect(await publisher.next()).toBe('{"id":"p2","type":"publish_success","successful":[{"identifier":"evt-2","index":0}],"failed":[]}');
    expect(t.trace.events('appsync.events-unsubscribe')).toMatchObject([{ subscriptionId: 's', by: 'close' }]);
    expect(t.trace.events('appsync.events-deliver')).toHaveLength(1);
  });
});
