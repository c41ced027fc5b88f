import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START } from '../../../emulator/core/clock.ts';
import { stableId } from '../../../emulator/core/ids.ts';
import type { HttpEventV1 } from '../../../emulator/services/apigw-http/event-v1.ts';
import type { HttpEventV2 } from '../../../emulator/services/apigw-http/event.ts';
import { golden } from './shape.ts';
import { header, headerValues, makeApi, text } from './support.ts';

const echo = (event: HttpEventV2) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ routeKey: event.routeKey, pathParameters: event.pathParameters ?? null }) });

describe('HTTP API routing and integration', () => {
  it('HTTP API: the most specific route wins, ANY and $default catch the rest', async () => {
    const t = makeApi(
      { routes: { 'GET /items/{id}': 'fn', 'GET /items/special': 'fn', 'ANY /items/{id}': 'fn', 'GET /files/{path+}': 'fn', $default: 'fn' } },
      { fn: echo },
    );
    const route = async (method: string, path: string) => JSON.parse(text(await t.send({ method, path }))) as { routeKey: string; pathParameters: unknown };
    expect(await route('GET', '/items/special')).toEqual({ routeKey: 'GET /items/special', pathParameters: null });
    expect(await route('GET', '/items/42')).toEqual({ routeKey: 'GET /items/{id}', pathParameters: { id: '42' } });
    expect(await route('DELETE', '/items/42')).toEqual({ routeKey: 'ANY /items/{id}', pathParameters: { id: '42' } });
    expect(await route('GET', '/files/a/b/c.txt')).toEqual({ routeKey: 'GET /files/{path+}', pathParameters: { path: 'a/b/c.txt' } });
    expect(await route('POST', '/elsewhere')).toEqual({ routeKey: '$default', pathParameters: null });
  });

  it('HTTP API: the response carries apigw-requestid equal to the event\'s requestId, and the function\'s headers', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: () => ({ statusCode: 202, headers: { 'x-custom': 'yes' }, body: 'accepted' }) });
    const response = await t.send({ path: '/x' });
    expect(response.status).toBe(202);
    expect(header(response, 'x-custom')).toBe('yes');
    expect(text(response)).toBe('accepted');
    const [event] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(header(response, 'apigw-requestid')).toBe(event!.requestContext.requestId);
  });

  it('HTTP API: a returned string reaches the client as JSON with its quotes (15 bytes)', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: () => 'Hello, world!' });
    const response = await t.send({ path: '/x' });
    expect(response.status).toBe(200);
    expect(text(response)).toBe('"Hello, world!"');
    expect(header(response, 'content-type')).toBe('application/json');
  });

  it('HTTP API: cookies returned by the function become separate set-cookie headers', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: () => ({ statusCode: 200, cookies: ['a=1', 'b=2'], body: '' }) });
    expect(headerValues(await t.send({ path: '/x' }), 'set-cookie')).toEqual(['a=1', 'b=2']);
  });

  it('HTTP API: timeEpoch and time come from the emulated clock', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: () => 'ok' });
    await t.clock.advance(90_000);
    await t.send({ path: '/x' });
    const [event] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(event!.requestContext.timeEpoch).toBe(MANUAL_CLOCK_START + 90_000);
    expect(event!.requestContext.time).toBe('01/Jan/2026:00:01:30 +0000');
  });

  it('HTTP API: a named stage prefixes the invoke URL and rawPath; the API id is stable', async () => {
    const t = makeApi({ stage: 'dev', stageVariables: { model: 'small' }, routes: { 'GET /items/{id}': 'fn' } }, { fn: () => 'ok' }, { name: 'chat' });
    expect(t.api.basePath).toBe('/dev');
    expect(t.api.apiId).toBe(stableId('chat', 10));
    await t.send({ path: '/dev/items/7?q=1' });
    const [event] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(event).toMatchObject({ rawPath: '/dev/items/7', rawQueryString: 'q=1', pathParameters: { id: '7' }, stageVariables: { model: 'small' } });
    expect(event!.requestContext).toMatchObject({ stage: 'dev', routeKey: 'GET /items/{id}', domainName: `${t.api.apiId}.execute-api.us-east-1.amazonaws.com` });
    expect(makeApi({ routes: { $default: 'fn' } }, { fn: () => 'ok' }).api.basePath).toBe('');
  });

  it('HTTP API: a route with payload format 1.0 gets the REST-like event and REST response rules', async () => {
    const t = makeApi({ routes: { 'POST /v1/{id}': { function: 'fn', payloadFormatVersion: '1.0' } } }, { fn: () => ({ statusCode: 200, multiValueHeaders: { 'x-m': ['1', '2'] }, body: 'v1' }) });
    const response = await t.send({ method: 'POST', path: '/v1/9?a=1&a=2', headers: { 'X-Case': 'Kept', Cookie: 'c=1' }, body: '{}' });
    expect(headerValues(response, 'x-m')).toEqual(['1', '2']);
    expect(header(response, 'content-type')).toBe('application/json');
    const [event] = t.lambda.eventsOf('fn') as HttpEventV1[];
    expect(event).toMatchObject({ version: '1.0', resource: '/v1/{id}', path: '/v1/9', httpMethod: 'POST', pathParameters: { id: '9' }, queryStringParameters: { a: '2' }, multiValueQueryStringParameters: { a: ['1', '2'] }, body: 'e30=', isBase64Encoded: true });
    expect(event!.headers['X-Case']).toBe('Kept');
    expect(event!.headers.Cookie).toBe('c=1');
    expect(event!.requestContext).toMatchObject({ authorizer: { claims: null, scopes: null }, resourcePath: '/v1/{id}', stage: '$default' });
  });

  it('HTTP API: the event a function receives through the whole API matches its golden', async () => {
    const t = makeApi(
      { stage: 'prod', stageVariables: { tier: 'gold' }, routes: { 'POST /chat/{session}': 'fn' } },
      { fn: () => ({ statusCode: 200, body: '' }) },
      { ids: { requestId: () => 'Mc7UVioPPHcEKPA=', traceId: () => 'Root=1-69557600-0123456789abcdef01234567' } },
    );
    await t.clock.advance(1_500);
    await t.send({ method: 'POST', path: '/prod/chat/s1?stream=true', headers: { 'Content-Type': 'application/json', 'User-Agent': 'vitest', Cookie: 'session=abc' }, body: '{"prompt":"hi"}', sourceIp: '203.0.113.9' });
    const [event] = t.lambda.eventsOf('fn');
    expect(event).toEqual(golden('through-api-request.json', event));
  });
});
