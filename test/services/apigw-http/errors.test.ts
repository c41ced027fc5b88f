import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { HttpResponse } from '../../../emulator/core/http.ts';
import { createLocalIssuer, type LocalIssuer } from '../../../emulator/core/local-issuer.ts';
import { TooManyRequestsException } from '../../../emulator/services/lambda-runtime/errors.ts';
import { byteLength, header, makeApi, text } from './support.ts';

/** Reference §3.4, one test per row: exact status, body bytes, length and headers. */
function expectAwsError(response: HttpResponse, status: number, body: string, length: number): void {
  expect(response.status).toBe(status);
  expect(text(response)).toBe(body);
  expect(byteLength(response)).toBe(length);
  expect(header(response, 'content-type')).toBe('application/json');
  expect(header(response, 'apigw-requestid')).toMatch(/^[A-Za-z0-9_-]{15}=$/);
  expect(header(response, 'x-amzn-ErrorType')).toBeUndefined();
  expect(header(response, 'x-amzn-RequestId')).toBeUndefined();
}

const INTERNAL = '{"message":"Internal Server Error"}';
const ok = () => ({ statusCode: 200, body: 'ok' });

let issuerClock: ManualClock;
let issuer: LocalIssuer;
beforeAll(async () => {
  issuerClock = new ManualClock();
  issuer = await createLocalIssuer(issuerClock);
});

describe('HTTP API error responses', () => {
  it('HTTP API: a function error returns 500 Internal Server Error (35 bytes)', async () => {
    const t = makeApi({ routes: { 'GET /x': 'boom' } }, { boom: () => { throw new TypeError('nope'); } });
    expectAwsError(await t.send({ path: '/x' }), 500, INTERNAL, 35);
  });

  it('HTTP API: a malformed function response returns 500', async () => {
    const t = makeApi({ routes: { 'GET /x': 'bad' } }, { bad: () => ({ statusCode: 200, body: { not: 'a string' } }) });
    expectAwsError(await t.send({ path: '/x' }), 500, INTERNAL, 35);
  });

  it('HTTP API: Lambda refusing the invoke (its 429) returns 500', async () => {
    const t = makeApi({ routes: { 'GET /x': 'busy' } }, { busy: { reject: new TooManyRequestsException('ReservedFunctionConcurrentInvocationLimitExceeded') } });
    expectAwsError(await t.send({ path: '/x' }), 500, INTERNAL, 35);
  });

  it("HTTP API: the function's own timeout (shorter than 30 s) returns 500", async () => {
    const t = makeApi({ routes: { 'GET /x': 'short' } }, { short: { handler: ok, delayMs: 60_000, lambdaTimeoutMs: 5_000 } });
    const pending = t.send({ path: '/x' });
    await t.clock.advance(5_000);
    expectAwsError(await pending, 500, INTERNAL, 35);
  });

  it('HTTP API: integration timeout returns 503 after 30 s, and the function keeps running', async () => {
    const t = makeApi({ routes: { 'GET /x': 'slow' } }, { slow: { handler: ok, delayMs: 45_000 } });
    let settled = false;
    const pending = t.send({ path: '/x' }).finally(() => (settled = true));
    await t.clock.advance(29_999);
    expect(settled).toBe(false);
    await t.clock.advance(1);
    expectAwsError(await pending, 503, '{"message":"Service Unavailable"}', 33);
    expect(t.trace.events('gateway.integration-timeout')).toHaveLength(1);
    expect(t.lambda.finished).toHaveLength(0);
    await t.clock.advance(15_000);
    expect(t.lambda.finished.map((f) => f.outcome.kind)).toEqual(['success']);
  });

  it('HTTP API: a route integrationTimeoutMs shortens the 503', async () => {
    const t = makeApi({ routes: { 'GET /x': { function: 'slow', integrationTimeoutMs: 50 } } }, { slow: { hang: true } });
    const pending = t.send({ path: '/x' });
    await t.clock.advance(50);
    expectAwsError(await pending, 503, '{"message":"Service Unavailable"}', 33);
  });

  it('HTTP API: no matching route returns 404 Not Found', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: ok });
    expectAwsError(await t.send({ path: '/y' }), 404, '{"message":"Not Found"}', 23);
    expectAwsError(await t.send({ method: 'POST', path: '/x' }), 404, '{"message":"Not Found"}', 23);
  });

  it('HTTP API: a path outside the named stage returns 404', async () => {
    const t = makeApi({ stage: 'dev', routes: { 'GET /x': 'fn' } }, { fn: ok });
    expectAwsError(await t.send({ path: '/prod/x' }), 404, '{"message":"Not Found"}', 23);
    expectAwsError(await t.send({ path: '/x' }), 404, '{"message":"Not Found"}', 23);
    expect((await t.send({ path: '/dev/x' })).status).toBe(200);
  });

  it('HTTP API: throttling returns 429 Too Many Requests', async () => {
    const t = makeApi({ routes: { 'GET /x': { function: 'fn', throttle: { rateLimit: 1, burstLimit: 1 } } } }, { fn: ok });
    expect((await t.send({ path: '/x' })).status).toBe(200);
    expectAwsError(await t.send({ path: '/x' }), 429, '{"message":"Too Many Requests"}', 31);
    expect(header(await t.send({ path: '/x' }), 'retry-after')).toBeUndefined();
  });

  it('HTTP API: a missing JWT returns 401 with a bare Bearer challenge', async () => {
    const t = makeApi(
      { authorizers: { jwt: { type: 'JWT', issuer: issuer.issuer, audience: ['app'] } }, routes: { 'GET /x': { function: 'fn', authorizer: 'jwt' } } },
      { fn: ok },
      { issuer },
    );
    const response = await t.send({ path: '/x' });
    expectAwsError(response, 401, '{"message":"Unauthorized"}', 26);
    expect(header(response, 'www-authenticate')).toBe('Bearer');
    expect(t.lambda.calls).toHaveLength(0);
  });

  it('HTTP API: a JWT for another audience returns 401 with the documented challenge', async () => {
    const t = makeApi(
      { authorizers: { jwt: { type: 'JWT', issuer: issuer.issuer, audience: ['app'] } }, routes: { 'GET /x': { function: 'fn', authorizer: 'jwt' } } },
      { fn: ok },
      { issuer },
    );
    const token = await issuer.sign({ aud: 'other' });
    const response = await t.send({ path: '/x', headers: { Authorization: `Bearer ${token}` } });
    expectAwsError(response, 401, '{"message":"Unauthorized"}', 26);
    expect(header(response, 'www-authenticate')).toBe('Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');
  });

  it('HTTP API: a valid JWT without a required scope returns 403 Forbidden', async () => {
    const t = makeApi(
      { authorizers: { jwt: { type: 'JWT', issuer: issuer.issuer, audience: ['app'] } }, routes: { 'GET /x': { function: 'fn', authorizer: 'jwt', authorizationScopes: ['chat:write'] } } },
      { fn: ok },
      { issuer },
    );
    const token = await issuer.sign({ aud: 'app', scope: 'chat:read' });
    expectAwsError(await t.send({ path: '/x', headers: { Authorization: token } }), 403, '{"message":"Forbidden"}', 23);
  });

  it('HTTP API: a Lambda authorizer answering isAuthorized false returns 403', async () => {
    const t = makeApi(
      { authorizers: { simple: { type: 'REQUEST', function: 'auth', enableSimpleResponses: true } }, routes: { 'GET /x': { function: 'fn', authorizer: 'simple' } } },
      { fn: ok, auth: () => ({ isAuthorized: false }) },
    );
    expectAwsError(await t.send({ path: '/x', headers: { Authorization: 'x' } }), 403, '{"message":"Forbidden"}', 23);
  });

  it('HTTP API: a missing identity source returns 401 without invoking the authorizer', async () => {
    const t = makeApi(
      { authorizers: { simple: { type: 'REQUEST', function: 'auth', enableSimpleResponses: true } }, routes: { 'GET /x': { function: 'fn', authorizer: 'simple' } } },
      { fn: ok, auth: () => ({ isAuthorized: true }) },
    );
    const response = await t.send({ path: '/x' });
    expectAwsError(response, 401, '{"message":"Unauthorized"}', 26);
    expect(header(response, 'www-authenticate')).toBeUndefined();
    expect(t.lambda.calls).toHaveLength(0);
  });

  it('HTTP API: a failing Lambda authorizer returns 500', async () => {
    const t = makeApi(
      { authorizers: { simple: { type: 'REQUEST', function: 'auth', enableSimpleResponses: true } }, routes: { 'GET /x': { function: 'fn', authorizer: 'simple' } } },
      { fn: ok, auth: () => { throw new Error('Unauthorized'); } },
    );
    expectAwsError(await t.send({ path: '/x', headers: { Authorization: 'x' } }), 500, INTERNAL, 35);
  });

  it('HTTP API: a request body over 10 MB returns 413', async () => {
    const t = makeApi({ routes: { 'POST /x': 'fn' } }, { fn: ok });
    const response = await t.send({ method: 'POST', path: '/x', body: Buffer.alloc(10_485_761) });
    expectAwsError(response, 413, '{"message":"Request Entity Too Large"}', 38);
    expect(t.lambda.calls).toHaveLength(0);
    expect(t.trace.events('limit.hit')[0]).toMatchObject({ limit: 'httpPayloadBytes', api: 'chat' });
  });

  it('HTTP API: the trace names the error type the wire does not carry', async () => {
    const t = makeApi({ routes: { 'GET /x': 'fn' } }, { fn: ok });
    const response = await t.send({ path: '/nowhere' });
    const [request] = t.trace.events('http.request');
    const [answer] = t.trace.events('http.response');
    expect(request).toMatchObject({ api: 'chat', method: 'GET', path: '/nowhere', requestId: header(response, 'apigw-requestid') });
    expect(answer).toMatchObject({ api: 'chat', status: 404, errorType: 'NotFound', requestId: request!.requestId });
  });
});
