import { afterEach, describe, expect, it } from 'vitest';
import { closeAllEvents, makeEventsApi } from './events-support.ts';
import { post } from './support.ts';

afterEach(closeAllEvents);

const UNAUTHORIZED = '{\n  "errors" : [ {\n    "errorType" : "UnauthorizedException",\n    "message" : "You are not authorized to make this call."\n  } ]\n}';
const jackson = (errorType: string, message: string): string => `{\n  "errors" : [ {\n    "errorType" : ${JSON.stringify(errorType)},\n    "message" : ${JSON.stringify(message)}\n  } ]\n}`;

describe('AppSync Events: POST /event', () => {
  it('Events HTTP: a publish answers {failed, successful} with an identifier and index per event', async () => {
    const t = await makeEventsApi();
    const res = await t.publishHttp({ channel: 'default/channel', events: ['{"event_1":"data_1"}', '{"event_2":"data_2"}'] });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(typeof res.headers['x-amzn-requestid']).toBe('string');
    expect(res.body).toBe('{"failed":[],"successful":[{"identifier":"evt-1","index":0},{"identifier":"evt-2","index":1}]}');
    expect(t.trace.events('appsync.events-publish')).toMatchObject([{ api: 'events', channel: '/default/channel', via: 'http', successful: 2, failed: 0 }]);
  });

  it('Events HTTP: events that are not JSON strings, or over 240 KB, are listed in failed; the others succeed', async () => {
    const t = await makeEventsApi({ appsyncEventBytes: 20 });
    const res = await t.publishHttp({ channel: '/chat/room', events: ['"ok"', 'not json', { obj: 1 }, JSON.stringify('x'.repeat(30))] });
    expect(res.status).toBe(200);
    expect(res.body).toBe(
      '{"failed":[{"identifier":"evt-2","index":1,"code":400,"message":"The event is not valid JSON."},{"identifier":"evt-3","index":2,"code":400,"message":"The event must be a JSON string."},{"identifier":"evt-4","index":3,"code":400,"message":"Event of 32 bytes exceeds the 20 bytes limit."}],"successful":[{"identifier":"evt-1","index":0}]}',
    );
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncEventBytes' }]);
  });

  it('Events HTTP: more than 5 events is a 400 BadRequestException and nothing is published', async () => {
    const t = await makeEventsApi();
    const res = await t.publishHttp({ channel: '/default/a', events: ['1', '2', '3', '4', '5', '6'] });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(res.body).toBe(jackson('BadRequestException', 'A publish carries at most 5 events; this one has 6.'));
    expect(t.trace.events('appsync.events-publish')).toEqual([]);
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncEventsPerPublish' }]);
    expect((await t.publishHttp({ channel: '/default/a', events: ['1', '2', '3', '4', '5'] })).status).toBe(200);
  });

  it('Events HTTP: a missing or wrong API key is 401 UnauthorizedException, as on /graphql', async () => {
    const t = await makeEventsApi();
    const none = await t.publishHttp({ channel: '/default/a', events: ['1'] }, { 'content-type': 'application/json' });
    expect([none.status, none.headers['x-amzn-errortype'], none.body]).toEqual([401, 'UnauthorizedException', UNAUTHORIZED]);
    const wrong = await t.publishHttp({ channel: '/default/a', events: ['1'] }, { 'content-type': 'application/json', 'x-api-key': 'da2-wrong' });
    expect([wrong.status, wrong.body]).toEqual([401, UNAUTHORIZED]);
  });

  it('Events HTTP: a bad body, channel, namespace or events list gets its error', async () => {
    const t = await makeEventsApi();
    const cases: Array<[unknown, number, string, string]> = [
      ['not json', 400, 'BadRequestException', 'The body must be a JSON object {"channel", "events"}.'],
      [[1], 400, 'BadRequestException', 'The body must be a JSON object {"channel", "events"}.'],
      [{ channel: '/default/*', events: ['1'] }, 400, 'BadRequestException', 'Invalid channel: 1-5 segments of 1-50 letters, digits and "-", a trailing "/*" for subscriptions only.'],
      [{ channel: '/a/b/c/d/e/f', events: ['1'] }, 400, 'BadRequestException', 'Invalid channel: 1-5 segments of 1-50 letters, digits and "-", a trailing "/*" for subscriptions only.'],
      [{ channel: '/nope/a', events: ['1'] }, 404, 'NotFoundException', 'Namespace not found: nope'],
      [{ channel: '/default/a', events: [] }, 400, 'BadRequestException', 'The events must be a non-empty list of JSON strings.'],
      [{ channel: '/default/a', events: '1' }, 400, 'BadRequestException', 'The events must be a non-empty list of JSON strings.'],
    ];
    for (const [body, status, errorType, message] of cases) {
      const res = await t.publishHttp(body);
      expect([res.status, res.headers['x-amzn-errortype'], res.body]).toEqual([status, errorType, jackson(errorType, message)]);
    }
  });

  it('Events HTTP: GET /event and POST /event on an API without events are 404', async () => {
    const t = await makeEventsApi();
    expect((await post(`http://${t.base}/event`, '', {}, 'GET')).status).toBe(404);
    const plain = await makeEventsApi({}, null);
    expect(plain.api.events).toBe(false);
    expect((await plain.publishHttp({ channel: '/default/a', events: ['1'] })).status).toBe(404);
  });
});
