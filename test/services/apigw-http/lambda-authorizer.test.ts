import { describe, expect, it } from 'vitest';
import type { AuthorizerEventV1, AuthorizerEventV2 } from '../../../emulator/services/apigw-http/authorizer-event.ts';
import type { HttpEventV1 } from '../../../emulator/services/apigw-http/event-v1.ts';
import type { HttpEventV2 } from '../../../emulator/services/apigw-http/event.ts';
import type { HttpApiOptionsInput } from '../../../emulator/services/apigw-http/options.ts';
import { makeApi, until, type FakeFunction } from './support.ts';

const ok = () => ({ statusCode: 200, body: 'ok' });
const policy = (effect: 'Allow' | 'Deny', resource: string | string[], extra: Record<string, unknown> = {}) => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  ...extra,
});

function authApi(authorizer: Record<string, unknown>, auth: FakeFunction, routes: Record<string, unknown> = { 'GET /x': { function: 'fn', authorizer: 'auth' } }) {
  const options = { authorizers: { auth: { type: 'REQUEST', function: 'auth', ...authorizer } }, routes } as HttpApiOptionsInput;
  return makeApi(options, { fn: ok, auth });
}

describe('HTTP API Lambda authorizer', () => {
  it('HTTP API: a simple response lets the request through with its context under authorizer.lambda', async () => {
    const context = { user: 'ada', n: 1, ok: true, list: ['a'], map: { k: 'v' } };
    const t = authApi({ enableSimpleResponses: true }, () => ({ isAuthorized: true, context }));
    const response = await t.send({ path: '/x?q=1', headers: { Authorization: 'token-1' } });
    expect(response.status).toBe(200);
    const [event] = t.lambda.eventsOf('fn') as HttpEventV2[];
    expect(event!.requestContext.authorizer).toEqual({ lambda: context });
    const [authEvent] = t.lambda.eventsOf('auth') as AuthorizerEventV2[];
    expect(authEvent).toMatchObject({ version: '2.0', type: 'REQUEST', identitySource: ['token-1'], routeKey: 'GET /x', rawPath: '/x', rawQueryString: 'q=1' });
    expect(authEvent!.routeArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${t.api.apiId}/$default/GET/x`);
    expect(authEvent).not.toHaveProperty('body');
  });

  it('HTTP API: a 1.0 authorizer gets the REST-like event, and its policy decides', async () => {
    const t = authApi({ payloadFormatVersion: '1.0', identitySource: ['$request.header.Authorization', '$request.querystring.tenant'] }, (event: AuthorizerEventV1) =>
      policy('Allow', event.methodArn, { context: { tenant: 'acme' } }),
    { 'GET /x': { function: 'fn', authorizer: 'auth', payloadFormatVersion: '1.0' } });
    expect((await t.send({ path: '/x?tenant=acme', headers: { Authorization: 'tok' } })).status).toBe(200);
    const [authEvent] = t.lambda.eventsOf('auth') as AuthorizerEventV1[];
    expect(authEvent).toMatchObject({ version: '1.0', type: 'REQUEST', identitySource: 'tok,acme', authorizationToken: 'tok,acme', resource: '/x', path: '/x', httpMethod: 'GET' });
    const [event] = t.lambda.eventsOf('fn') as HttpEventV1[];
    expect(event!.requestContext.authorizer).toEqual({ tenant: 'acme', principalId: 'user-1' });
  });

  it('HTTP API: an explicit Deny or a policy that does not name the route returns 403', async () => {
    const deny = authApi({}, () => policy('Deny', '*'));
    expect((await deny.send({ path: '/x', headers: { Authorization: 't' } })).status).toBe(403);
    const elsewhere = authApi({}, () => policy('Allow', 'arn:aws:execute-api:us-east-1:123456789012:*/*/POST/*'));
    expect((await elsewhere.send({ path: '/x', headers: { Authorization: 't' } })).status).toBe(403);
    expect(deny.lambda.eventsOf('fn')).toHaveLength(0);
  });

  it('HTTP API: results are cached per identity value for resultTtlInSeconds on the emulated clock', async () => {
    const t = authApi({ enableSimpleResponses: true, resultTtlInSeconds: 300 }, () => ({ isAuthorized: true }));
    const send = (token: string) => t.send({ path: '/x', headers: { Authorization: token } });
    await send('a');
    await send('a');
    await send('b');
    expect(t.lambda.eventsOf('auth')).toHaveLength(2);
    await t.clock.advance(299_999);
    await send('a');
    expect(t.lambda.eventsOf('auth')).toHaveLength(2);
    await t.clock.advance(1);
    await send('a');
    expect(t.lambda.eventsOf('auth')).toHaveLength(3);
  });

  it('HTTP API: without a TTL the authorizer runs for every request', async () => {
    const t = authApi({ enableSimpleResponses: true }, () => ({ isAuthorized: true }));
    await t.send({ path: '/x', headers: { Authorization: 'a' } });
    await t.send({ path: '/x', headers: { Authorization: 'a' } });
    expect(t.lambda.eventsOf('auth')).toHaveLength(2);
  });

  it('HTTP API: a cached policy naming only the first route denies the others until it expires', async () => {
    const routes = { 'GET /a': { function: 'fn', authorizer: 'auth' }, 'GET /b': { function: 'fn', authorizer: 'auth' } };
    const t = authApi({ resultTtlInSeconds: 60 }, (event: AuthorizerEventV2) => policy('Allow', event.routeArn), routes);
    const send = (path: string) => t.send({ path, headers: { Authorization: 'same' } });
    expect((await send('/a')).status).toBe(200);
    expect((await send('/b')).status).toBe(403);
    await t.clock.advance(60_000);
    expect((await send('/b')).status).toBe(200);
  });

  it('HTTP API: $context.routeKey in the identity sources caches per route', async () => {
    const routes = { 'GET /a': { function: 'fn', authorizer: 'auth' }, 'GET /b': { function: 'fn', authorizer: 'auth' } };
    const t = authApi({ resultTtlInSeconds: 60, identitySource: ['$request.header.Authorization', '$context.routeKey'] }, (event: AuthorizerEventV2) => policy('Allow', event.routeArn), routes);
    expect((await t.send({ path: '/a', headers: { Authorization: 'same' } })).status).toBe(200);
    expect((await t.send({ path: '/b', headers: { Authorization: 'same' } })).status).toBe(200);
    expect((t.lambda.eventsOf('auth') as AuthorizerEventV2[]).map((e) => e.identitySource)).toEqual([['same', 'GET /a'], ['same', 'GET /b']]);
  });

  it('HTTP API: an authorizer that does not answer within 10 s returns 500', async () => {
    const t = authApi({ enableSimpleResponses: true }, { hang: true });
    let status: number | undefined;
    const pending = t.send({ path: '/x', headers: { Authorization: 't' } }).then((r) => (status = r.status));
    await until(() => t.lambda.calls.length === 1);
    await t.clock.advance(9_999);
    expect(status).toBeUndefined();
    await t.clock.advance(1);
    await pending;
    expect(status).toBe(500);
    expect(t.trace.events('gateway.integration-timeout')[0]).toMatchObject({ functionName: 'auth', timeoutMs: 10_000 });
  });

  it('HTTP API: an unusable authorizer response returns 500 and is not cached', async () => {
    for (const answer of [{ isAuthorized: 'yes' }, 'true', { principalId: 'x' }, { policyDocument: { Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] } }]) {
      const simple = typeof answer === 'object' && 'isAuthorized' in answer;
      const t = authApi({ enableSimpleResponses: simple, resultTtlInSeconds: 60 }, () => answer);
      expect((await t.send({ path: '/x', headers: { Authorization: 't' } })).status, JSON.stringify(answer)).toBe(500);
      await t.send({ path: '/x', headers: { Authorization: 't' } });
      expect(t.lambda.eventsOf('auth')).toHaveLength(2);
    }
  });

  it('HTTP API: identity sources may be query strings, stage variables or context variables', async () => {
    const options = {
      stageVariables: { key: 'k1' },
      authorizers: { auth: { type: 'REQUEST', function: 'auth', enableSimpleResponses: true, identitySource: ['$request.querystring.api', '$stageVariables.key', '$context.identity.sourceIp'] } },
      routes: { 'GET /x': { function: 'fn', authorizer: 'auth' } },
    } as HttpApiOptionsInput;
    const t = makeApi(options, { fn: ok, auth: () => ({ isAuthorized: true }) });
    expect((await t.send({ path: '/x' })).status).toBe(401);
    expect((await t.send({ path: '/x?api=' })).status).toBe(401);
    expect((await t.send({ path: '/x?api=1', sourceIp: '198.51.100.7' })).status).toBe(200);
    expect((t.lambda.eventsOf('auth')[0] as AuthorizerEventV2).identitySource).toEqual(['1', 'k1', '198.51.100.7']);
  });

  it('HTTP API: unsupported authorizer settings fail at startup with the config path', () => {
    expect(() => authApi({ identitySource: ['$request.body.token'] }, ok)).toThrow(/Failed to read identity source "\$request\.body\.token" at httpApis\.chat\.authorizers\.auth\.identitySource\[0\]/);
    expect(() => authApi({ payloadFormatVersion: '1.0', enableSimpleResponses: true }, ok)).toThrow(/simple responses need payloadFormatVersion "2.0"/);
    expect(() => authApi({ identitySource: [], resultTtlInSeconds: 10 }, ok)).toThrow(/needs at least one identity source/);
  });
});
