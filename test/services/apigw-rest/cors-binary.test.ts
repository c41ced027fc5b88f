import { describe, expect, it } from 'vitest';
import { bodyText, header, headerNames, lastEvent, setup, UUID } from './support.ts';

/** CORS (reference §2.9), binary media types (§2.10) and the headers on every response (§1.2). */

const ok = () => ({ statusCode: 200, body: 'ok' });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

describe('REST CORS', () => {
  it('REST: with cors set, OPTIONS on a configured resource answers 200 from the mock integration', async () => {
    const h = setup({ cors: {}, routes: { 'GET /items': 'x', 'POST /items': 'x' } }, { x: ok });
    const res = await h.send({ method: 'OPTIONS', path: '/dev/items', headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(200);
    expect(bodyText(res)).toBe('');
    expect(res.headers.slice(0, 4)).toEqual([
      ['Content-Type', 'application/json'],
      ['Access-Control-Allow-Headers', 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'],
      ['Access-Control-Allow-Methods', 'GET,OPTIONS,POST'],
      ['Access-Control-Allow-Origin', '*'],
    ]);
    expect(header(res, 'x-amzn-RequestId')).toMatch(UUID);
    expect(h.lambda.calls).toHaveLength(0);
  });

  it('REST: an ANY resource lists every method, and configured origin/methods/headers are used as given', async () => {
    const h = setup({ cors: { allowOrigin: 'https://app.example', allowHeaders: ['Content-Type'] }, routes: { 'ANY /{proxy+}': 'x' } }, { x: ok });
    const res = await h.send({ method: 'OPTIONS', path: '/dev/a/b' });
    expect(header(res, 'Access-Control-Allow-Methods')).toBe('DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT');
    expect(header(res, 'Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(header(res, 'Access-Control-Allow-Headers')).toBe('Content-Type');
    const custom = setup({ cors: { allowMethods: ['GET'] }, routes: { 'GET /x': 'x' } }, { x: ok });
    expect(header(await custom.send({ method: 'OPTIONS', path: '/dev/x' }), 'Access-Control-Allow-Methods')).toBe('GET');
  });

  it('REST: an explicit OPTIONS route is kept instead of the mock', async () => {
    const h = setup({ cors: {}, routes: { 'GET /x': 'x', 'OPTIONS /x': 'pre' } }, { x: ok, pre: () => ({ statusCode: 204 }) });
    expect((await h.send({ method: 'OPTIONS', path: '/dev/x' })).status).toBe(204);
    expect(h.lambda.countOf('pre')).toBe(1);
  });

  it('REST: without cors, OPTIONS on an ANY resource reaches the function', async () => {
    const h = setup({ routes: { 'ANY /x': 'x' } }, { x: ok });
    expect((await h.send({ method: 'OPTIONS', path: '/dev/x' })).status).toBe(200);
    expect(h.lambda.countOf('x')).toBe(1);
  });

  it('REST: proxy responses carry only the CORS headers the function returns', async () => {
    const h = setup({ cors: {}, routes: { 'GET /plain': 'plain', 'GET /cors': 'withCors' } }, { plain: ok, withCors: () => ({ statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*' } }) });
    expect(header(await h.send({ path: '/dev/plain', headers: { Origin: 'https://a.example' } }), 'Access-Control-Allow-Origin')).toBeUndefined();
    expect(header(await h.send({ path: '/dev/cors' }), 'Access-Control-Allow-Origin')).toBe('*');
  });

  it('REST: gateway error responses carry no CORS headers', async () => {
    const h = setup({ cors: {}, throttle: { rateLimit: 0, burstLimit: 0 }, routes: { 'GET /x': 'x' } }, { x: ok });
    for (const res of [await h.send({ path: '/dev/nope', headers: { Origin: 'https://a.example' } }), await h.send({ path: '/dev/x' })]) {
      expect(headerNames(res).filter((n) => n.toLowerCase().startsWith('access-control'))).toEqual([]);
    }
  });
});

describe('REST binary media types', () => {
  it('REST: a request body whose Content-Type matches binaryMediaTypes arrives base64-encoded', async () => {
    const h = setup({ binaryMediaTypes: ['image/*'], routes: { 'POST /up': 'x' } }, { x: ok });
    await h.send({ method: 'POST', path: '/dev/up', headers: { 'Content-Type': 'image/png' }, body: PNG });
    const e = lastEvent(h, 'x');
    expect(e.isBase64Encoded).toBe(true);
    expect(e.body).toBe(PNG.toString('base64'));
  });

  it('REST: a text Content-Type stays text when it does not match', async () => {
    const h = setup({ binaryMediaTypes: ['image/png'], routes: { 'POST /up': 'x' } }, { x: ok });
    await h.send({ method: 'POST', path: '/dev/up', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'héllo' });
    expect(lastEvent(h, 'x')).toMatchObject({ body: 'héllo', isBase64Encoded: false });
  });

  it('REST: */* makes every request body binary, an empty body stays null', async () => {
    const h = setup({ binaryMediaTypes: ['*/*'], routes: { 'POST /up': 'x' } }, { x: ok });
    await h.send({ method: 'POST', path: '/dev/up', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(lastEvent(h, 'x')).toMatchObject({ body: 'e30=', isBase64Encoded: true });
    await h.send({ method: 'POST', path: '/dev/up' });
    expect(lastEvent(h, 'x')).toMatchObject({ body: null, isBase64Encoded: false });
  });

  const image = () => ({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: PNG.toString('base64'), isBase64Encoded: true });

  it('REST: an isBase64Encoded response is decoded to bytes when the first Accept type is binary', async () => {
    const h = setup({ binaryMediaTypes: ['image/png'], routes: { 'GET /img': 'x' } }, { x: image });
    const res = await h.send({ path: '/dev/img', headers: { Accept: 'image/png, */*' } });
    expect(Buffer.isBuffer(res.body)).toBe(true);
    expect(Buffer.compare(res.body as Buffer, PNG)).toBe(0);
    expect(header(res, 'Content-Type')).toBe('image/png');
  });

  it('REST: only the first Accept type counts: a later binary type leaves the base64 text', async () => {
    const h = setup({ binaryMediaTypes: ['image/png'], routes: { 'GET /img': 'x' } }, { x: image });
    const res = await h.send({ path: '/dev/img', headers: { Accept: 'text/html, image/png' } });
    expect(res.body).toBe(PNG.toString('base64'));
  });

  it('REST: without a matching binary media type the client gets the base64 text', async () => {
    const h = setup({ routes: { 'GET /img': 'x' } }, { x: image });
    expect((await h.send({ path: '/dev/img', headers: { Accept: 'image/png' } })).body).toBe(PNG.toString('base64'));
  });

  it('REST: a body not flagged isBase64Encoded is never decoded', async () => {
    const h = setup({ binaryMediaTypes: ['*/*'], routes: { 'GET /t': 'x' } }, { x: () => ({ statusCode: 200, body: 'dGVzdA==' }) });
    expect((await h.send({ path: '/dev/t', headers: { Accept: '*/*' } })).body).toBe('dGVzdA==');
  });
});

describe('REST response headers', () => {
  it('REST: every response carries x-amzn-RequestId (a UUID) and x-amz-apigw-id, unique per request', async () => {
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: ok });
    const a = await h.send({ path: '/dev/x' });
    const b = await h.send({ path: '/dev/nope' });
    for (const res of [a, b]) {
      expect(header(res, 'x-amzn-RequestId')).toMatch(UUID);
      expect(header(res, 'x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/=]{16}$/);
    }
    expect(header(a, 'x-amzn-RequestId')).not.toBe(header(b, 'x-amzn-RequestId'));
  });

  it('REST: gateway errors before the integration have no X-Amzn-Trace-Id; integration answers do', async () => {
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: ok });
    expect(headerNames(await h.send({ path: '/dev/nope' }))).toEqual(['content-type', 'x-amzn-RequestId', 'x-amzn-ErrorType', 'x-amz-apigw-id']);
    expect(header(await h.send({ path: '/dev/x' }), 'X-Amzn-Trace-Id')).toMatch(/^Root=1-/);
  });

  it('REST: the trace records http.request and http.response with the error type', async () => {
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: ok });
    await h.send({ path: '/dev/x?q=1' });
    await h.send({ path: '/dev/nope' });
    const requests = h.trace.events('http.request');
    const responses = h.trace.events('http.response');
    expect(requests.map((e) => [e.api, e.method, e.path])).toEqual([['shop', 'GET', '/dev/x'], ['shop', 'GET', '/dev/nope']]);
    expect(responses.map((e) => [e.status, e.errorType])).toEqual([[200, undefined], [403, 'MissingAuthenticationTokenException']]);
    expect(requests[0]!.requestId).toBe(responses[0]!.requestId);
  });

  it('REST: handle never rejects: an emulator failure becomes a 500 and an error log line', async () => {
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: ok });
    h.lambda.invoke = () => {
      throw new Error('invoker bug');
    };
    const res = await h.send({ path: '/dev/x' });
    expect(res.status).toBe(500);
    expect(bodyText(res)).toBe('{"message": "Internal server error"}');
    expect(h.log.lines.map((l) => l.level)).toEqual(['error']);
    expect(h.log.lines[0]!.message).toMatch(/^Failed to handle GET \/dev\/x on REST API "shop": Error: invoker bug/);
  });

  it('REST: the service reports its base path and a stable API id', () => {
    const h = setup({ stage: 'prod', routes: {} });
    expect(h.api.basePath).toBe('/prod');
    expect(h.api.apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(setup({ routes: {} }).api.apiId).toBe(h.api.apiId);
  });
});
