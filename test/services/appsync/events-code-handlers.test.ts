import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorError } from '../../../emulator/core/errors.ts';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { API_KEY, closeAllEvents, makeEventsApi, publish, subscribe, type EventsTestApi } from './events-support.ts';
import type { RealtimeClient } from './realtime-support.ts';
import { FIXTURES } from './support.ts';

// Namespace handlers written in APPSYNC_JS, loaded from test/fixtures/appsync/events-code; time stands still (manual clock).
afterEach(closeAllEvents);

const code = (file: string): string => `appsync/events-code/${file}`;
const NAMESPACES = {
  default: {},
  room: { code: code('room.js') },
  gate: { code: code('gate.mjs') },
  echo: { code: code('echo.js') },
  spin: { code: code('spin.js') },
  throws: { code: code('throws.js') },
  quiet: { code: code('none.js') },
};
const start = (): Promise<EventsTestApi> => makeEventsApi({}, { namespaces: NAMESPACES });
const jackson = (errorType: string, message: string): string => `{\n  "errors" : [ {\n    "errorType" : ${JSON.stringify(errorType)},\n    "message" : ${JSON.stringify(message)}\n  } ]\n}`;
const data = (event: unknown): string => JSON.stringify({ type: 'data', id: 's', event: JSON.stringify(event) });

/** A client subscribed to `channel` (id `s`). */
async function subscriber(t: EventsTestApi, channel: string): Promise<RealtimeClient> {
  const client = await t.connect();
  client.send(subscribe('s', channel));
  expect(await client.next()).toBe('{"type":"subscribe_success","id":"s"}');
  return client;
}

describe('AppSync Events code handlers: onPublish', () => {
  it('Events code: onPublish over HTTP transforms payloads and filters events; a left-out event is still successful', async () => {
    const t = await start();
    const sub = await subscriber(t, '/room/*');
    const res = await t.publishHttp({ channel: '/room/a', events: ['{"n":1}', '{"n":2,"drop":true}', '{"n":3}'] });
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0},{"identifier":"evt-2","index":1},{"identifier":"evt-3","index":2}]}');
    expect(await sub.next()).toBe(data({ n: 1, room: 'a', seen: true }));
    expect(await sub.next()).toBe(data({ n: 3, room: 'a', seen: true }));
    expect(t.trace.events('appsync.events-code').at(-1)).toEqual(expect.objectContaining({ api: 'events', handler: 'onPublish', file: join(FIXTURES, code('room.js')), channel: '/room/a', outcome: 'success' }));
  });

  it('Events code: onPublish over WebSocket transforms too; an event returned with an error and an invalid one are failed, and the data comes before publish_success', async () => {
    const t = await start();
    const sub = await subscriber(t, '/room/a');
    sub.send(publish('p1', '/room/a', ['{"text":"hi"}', '{"bad":true}', 'not json']));
    expect(await sub.next()).toBe(data({ text: 'hi', room: 'a', seen: true }));
    expect(await sub.next()).toBe('{"id":"p1","type":"publish_success","successful":[{"identifier":"evt-1","index":0}],"failed":[{"identifier":"evt-2","index":1,"code":400,"message":"Rejected evt-2"},{"identifier":"evt-3","index":2,"code":400,"message":"The event is not valid JSON."}]}');
    expect(t.trace.events('appsync.events-code').at(-1)).toMatchObject({ handler: 'onPublish', outcome: 'success', connectionId: 'conn-1' });
  });

  it('Events code: an event returned with an error is listed in failed over HTTP and not broadcast', async () => {
    const t = await start();
    const sub = await subscriber(t, '/room/a');
    const res = await t.publishHttp({ channel: '/room/a', events: ['{"bad":1}', '{"n":2}'] });
    expect(res.body).toBe('{"failed":[{"identifier":"evt-1","index":0,"code":400,"message":"Rejected evt-1"}],"successful":[{"identifier":"evt-2","index":1}]}');
    expect(await sub.next()).toBe(data({ n: 2, room: 'a', seen: true }));
  });

  it('Events code: util.error fails the whole publish: HTTP 400 HandlerExecutionError with its message (or its errorType), publish_error on the socket, nothing broadcast', async () => {
    const t = await start();
    const sub = await subscriber(t, '/room/a');
    const res = await t.publishHttp({ channel: '/room/a', events: ['{"n":1}', '{"fatal":true}'] });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('HandlerExecutionError');
    expect(res.body).toBe(jackson('HandlerExecutionError', 'Room is read-only'));
    sub.send(publish('p', '/room/a', ['{"fatal":1}']));
    expect(await sub.next()).toBe('{"id":"p","type":"publish_error","errors":[{"errorType":"HandlerExecutionError","message":"Room is read-only"}]}');
    // util.error's errorType, when given, replaces HandlerExecutionError (AWS documents none for handlers: our choice).
    sub.send(publish('b', '/room/a', ['{"banned":1}']));
    expect(await sub.next()).toBe('{"id":"b","type":"publish_error","errors":[{"errorType":"ForbiddenException","message":"Banned word"}]}');
    // The next delivery is the next good publish: the failed ones broadcast nothing.
    sub.send(publish('q', '/room/a', ['{"n":9}']));
    expect(await sub.next()).toBe(data({ n: 9, room: 'a', seen: true }));
    expect(t.trace.events('appsync.events-code').map((e) => [e.handler, e.outcome])).toEqual([['onSubscribe', 'success'], ['onPublish', 'handler-error'], ['onPublish', 'handler-error'], ['onPublish', 'handler-error'], ['onPublish', 'success']]);
  });

  it('Events code: a handler that throws fails the publish with HandlerExecutionError "Unable to process request"', async () => {
    const t = await start();
    const res = await t.publishHttp({ channel: '/throws/a', events: ['{"n":1}'] });
    expect([res.status, res.body]).toEqual([400, jackson('HandlerExecutionError', 'Unable to process request')]);
    expect(t.trace.events('appsync.events-code').at(-1)).toMatchObject({ handler: 'onPublish', outcome: 'code-error' });
  });

  it('Events code: without an onPublish export events are forwarded unchanged; an onPublish that returns nothing broadcasts nothing', async () => {
    const t = await start();
    const sub = await subscriber(t, '/gate/a');
    const res = await t.publishHttp({ channel: '/gate/a', events: ['{"a":1}'] });
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0}]}');
    expect(await sub.next()).toBe('{"type":"data","id":"s","event":"{\\"a\\":1}"}');
    const quiet = await subscriber(t, '/quiet/a');
    expect((await t.publishHttp({ channel: '/quiet/a', events: ['{"b":2}'] })).body).toBe('{"failed":[],"successful":[{"identifier":"evt-2","index":0}]}');
    quiet.send(publish('p', '/quiet/a', ['{"b":3}']));
    expect(await quiet.next()).toBe('{"id":"p","type":"publish_success","successful":[{"identifier":"evt-3","index":0}],"failed":[]}');
    // gate.mjs ran only its onSubscribe; none.js ran for both publishes.
    expect(t.trace.events('appsync.events-code').map((e) => [e.handler, e.channel])).toEqual([['onSubscribe', '/gate/a'], ['onPublish', '/quiet/a'], ['onPublish', '/quiet/a']]);
  });

  it('Events code: ctx carries events, info, identity (null under API_KEY), stash and the request', async () => {
    const t = await start();
    const sub = await subscriber(t, '/echo/*');
    await t.publishHttp({ channel: '/echo/a/b', events: ['{"k":"v"}', '{"k":"w"}'] });
    expect(JSON.parse((JSON.parse(await sub.next()) as { event: string }).event)).toEqual({
      events: [{ id: 'evt-1', payload: { k: 'v' } }, { id: 'evt-2', payload: { k: 'w' } }],
      info: { channel: { path: '/echo/a/b', segments: ['echo', 'a', 'b'] }, channelNamespace: { name: 'echo' }, operation: 'PUBLISH' },
      identity: null,
      stash: {},
      domainName: null,
      apiKey: API_KEY,
    });
  });

  it('Events code: an onPublish that loops forever is stopped by the CPU guard; the server keeps serving', async () => {
    const t = await start();
    const sub = await subscriber(t, '/room/a');
    const res = await t.publishHttp({ channel: '/spin/a', events: ['{"n":1}'] });
    expect([res.status, res.body]).toEqual([400, jackson('HandlerExecutionError', 'Unable to process request')]);
    expect(t.trace.events('appsync.events-code').at(-1)).toMatchObject({ handler: 'onPublish', channel: '/spin/a', outcome: 'timeout' });
    sub.send(publish('p', '/room/a', ['{"n":2}']));
    expect(await sub.next()).toBe(data({ n: 2, room: 'a', seen: true }));
    expect(JSON.parse(await sub.next())).toMatchObject({ id: 'p', type: 'publish_success' });
  });
});

describe('AppSync Events code handlers: onSubscribe', () => {
  it('Events code: util.unauthorized() answers subscribe_error UnauthorizedException; util.error answers its message; a normal return accepts', async () => {
    const t = await start();
    const client = await t.connect();
    client.send(subscribe('s1', '/room/private'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s1","errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}');
    client.send(subscribe('s2', '/room/closed'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s2","errors":[{"errorType":"HandlerExecutionError","message":"Room is closed"}]}');
    client.send(subscribe('s3', '/gate/secret/*'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s3","errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}');
    client.send(subscribe('s4', '/throws/a'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s4","errors":[{"errorType":"HandlerExecutionError","message":"Unable to process request"}]}');
    // A refused id is free again, and an accepted subscription receives.
    client.send(subscribe('s1', '/room/open'));
    expect(await client.next()).toBe('{"type":"subscribe_success","id":"s1"}');
    client.send(publish('p', '/room/open', ['{"n":1}']));
    expect(await client.next()).toBe('{"type":"data","id":"s1","event":"{\\"n\\":1,\\"room\\":\\"open\\",\\"seen\\":true}"}');
    expect(t.trace.events('appsync.events-code').filter((e) => e.handler === 'onSubscribe').map((e) => [e.channel, e.outcome])).toEqual([
      ['/room/private', 'unauthorized'],
      ['/room/closed', 'handler-error'],
      ['/gate/secret/*', 'unauthorized'],
      ['/throws/a', 'code-error'],
      ['/room/open', 'success'],
    ]);
  });
});

describe('AppSync Events code handlers: beside a Lambda handler', () => {
  it('Events code: a namespace may take onSubscribe from its code and onPublish from a Lambda', async () => {
    // The fake runtime has no function "publisher": the Lambda side answers as a refused invoke, which proves where the publish went.
    const t = await makeEventsApi({}, { namespaces: { mixed: { code: code('gate.mjs'), onPublish: { function: 'publisher' } } } });
    const client = await t.connect();
    client.send(subscribe('s', '/mixed/secret'));
    expect(await client.next()).toBe('{"type":"subscribe_error","id":"s","errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}');
    const res = await t.publishHttp({ channel: '/mixed/a', events: ['{"n":1}'] });
    expect([res.status, res.body]).toEqual([400, jackson('HandlerExecutionError', 'Unable to process request')]);
    expect(t.trace.events('appsync.events-code').map((e) => [e.handler, e.outcome])).toEqual([['onSubscribe', 'unauthorized']]);
    expect(t.trace.events('appsync.events-handler').map((e) => [e.handler, e.functionName, e.outcome])).toEqual([['onPublish', 'publisher', 'invoke-rejected']]);
  });
});

describe('AppSync Events code handlers: configuration', () => {
  it('Events code: code with both Lambda handlers, or a file that is not .js/.mjs/.ts, is a config error with its path', () => {
    const result = appsyncApiOptionsSchema.safeParse({
      auth: [{ type: 'API_KEY', apiKey: API_KEY }],
      events: { namespaces: { both: { code: 'h.js', onPublish: { function: 'f' }, onSubscribe: { function: 'g' } }, text: { code: 'h.txt' } } },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['events.namespaces.both.code', 'code handlers and Lambda onPublish and onSubscribe cannot all be set: each handler comes from the code or from a Lambda; remove code or one Lambda handler'],
      ['events.namespaces.text.code', 'code is a .js, .mjs or .ts file'],
    ]);
  });

  it('Events code: a file that exports neither handler, does not parse, is missing, or exports a handler also given a Lambda stops the start with every path', async () => {
    const path = (file: string): string => join(FIXTURES, code(file));
    // Written at run time, so the linter never parses it.
    const broken = join(mkdtempSync(join(tmpdir(), 'appsync-events-code-')), 'broken.js');
    writeFileSync(broken, 'export function onPublish(ctx) {\n  return ctx.events.map((e) => ({ id: e.id, payload: e.payload );\n}\n');
    const failure = await makeEventsApi({}, {
      namespaces: {
        nothing: { code: code('nothing.js') },
        broken: { code: broken },
        missing: { code: code('missing.js') },
        twice: { code: code('room.js'), onPublish: { function: 'publisher' } },
        mixed: { code: code('gate.mjs'), onPublish: { function: 'publisher' } },
      },
    }).then(() => undefined, (error: unknown) => error as EmulatorError);
    expect(failure?.code).toBe('ERR_CONFIG_VALIDATION');
    expect(failure?.message).toBe(
      'Failed to load the namespace code of AppSync Events API "events": ' +
        [
          `appsyncApis.events.events.namespaces.nothing.code: ${path('nothing.js')}: it exports no onPublish or onSubscribe function (a namespace's code needs onPublish or onSubscribe)`,
          `appsyncApis.events.events.namespaces.broken.code: ${broken}: line 2:63: Expected "}" but found ")"`,
          `appsyncApis.events.events.namespaces.missing.code: ${path('missing.js')}: Could not resolve "${path('missing.js')}"`,
          `appsyncApis.events.events.namespaces.twice.onPublish: ${path('room.js')} exports onPublish too; a handler comes from the code or from a Lambda, not both`,
        ].join('; ') +
        '. Fix the paths named.',
    );
  });
});
