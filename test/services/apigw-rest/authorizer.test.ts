import { describe, expect, it } from 'vitest';
import { stableId } from '../../../emulator/core/ids.ts';
import { TooManyRequestsException } from '../../../emulator/services/lambda-runtime/errors.ts';
import { allowAll, lastEvent, setup } from './support.ts';

/** Lambda authorizers, TOKEN and REQUEST (reference §2.11). */

const ok = () => ({ statusCode: 200, body: 'ok' });
const apiId = stableId('shop', 10);
const arn = (method: string, path: string) => `arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/${method}/${path}`;
const policy = (effect: 'Allow' | 'Deny', resource: string | string[], action: string | string[] = 'execute-api:Invoke') => ({
  principalId: 'user-1',
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: action, Effect: effect, Resource: resource }] },
});

const tokenApi = (authorizer: object = {}) => ({
  authorizers: { auth: { type: 'TOKEN' as const, function: 'auth', ...authorizer } },
  routes: { 'GET /items': { function: 'x', authorizer: 'auth' }, 'GET /items/{id}': { function: 'x', authorizer: 'auth' }, 'POST /items': { function: 'x', authorizer: 'auth' } },
});

describe('REST TOKEN authorizer', () => {
  it('REST: the TOKEN authorizer gets the Authorization header and the method ARN', async () => {
    const h = setup(tokenApi(), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items/42', headers: { authorization: 'Bearer abc' } })).status).toBe(200);
    expect(lastEvent(h, 'auth')).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: arn('GET', 'items/42') });
  });

  it('REST: a custom TOKEN identity source reads that header', async () => {
    const h = setup(tokenApi({ identitySource: 'method.request.header.X-Token' }), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items', headers: { Authorization: 'ignored' } })).status).toBe(401);
    expect((await h.send({ path: '/dev/items', headers: { 'x-token': 'tok' } })).status).toBe(200);
    expect(lastEvent(h, 'auth').authorizationToken).toBe('tok');
  });

  it('REST: an empty token returns 401 without invoking the authorizer', async () => {
    const h = setup(tokenApi(), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items', headers: { Authorization: '' } })).status).toBe(401);
    expect(h.lambda.countOf('auth')).toBe(0);
  });

  it('REST: a token failing identityValidationExpression returns 401 without invoking; the whole token must match', async () => {
    const h = setup(tokenApi({ identityValidationExpression: 'Bearer [a-z]+' }), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items', headers: { Authorization: 'Basic abc' } })).status).toBe(401);
    expect((await h.send({ path: '/dev/items', headers: { Authorization: 'Bearer abc123' } })).status).toBe(401);
    expect(h.lambda.countOf('auth')).toBe(0);
    expect((await h.send({ path: '/dev/items', headers: { Authorization: 'Bearer abc' } })).status).toBe(200);
  });

  it('REST: principalId and stringified context reach requestContext.authorizer with integrationLatency', async () => {
    const h = setup(tokenApi({ resultTtlInSeconds: 0 }), { auth: () => allowAll('alice', { str: 'hello', num: 123, bool: true, nothing: null }), x: ok });
    await h.send({ path: '/dev/items', headers: { Authorization: 't' } });
    expect(lastEvent(h, 'x').requestContext.authorizer).toEqual({ str: 'hello', num: '123', bool: 'true', nothing: null, principalId: 'alice', integrationLatency: 0 });
  });

  it('REST: integrationLatency is the emulated time the authorizer took, and 0 from the cache', async () => {
    const h = setup(tokenApi(), { auth: { hang: true }, x: ok });
    const first = h.send({ path: '/dev/items', headers: { Authorization: 't' } });
    await h.lambda.invoked('auth');
    await h.clock.advance(120);
    h.lambda.release('auth', allowAll());
    expect((await first).status).toBe(200);
    expect(lastEvent(h, 'x').requestContext.authorizer.integrationLatency).toBe(120);
    await h.send({ path: '/dev/items', headers: { Authorization: 't' } });
    expect(lastEvent(h, 'x').requestContext.authorizer.integrationLatency).toBe(0);
  });

  it("REST: the emulator's own environment start-up counts neither toward integrationLatency nor the timeout", async () => {
    const h = setup(tokenApi(), { auth: { hang: true }, x: ok });
    const inner = h.lambda.invoke.bind(h.lambda);
    let initDone!: () => void;
    const init = new Promise<void>((resolve) => (initDone = resolve));
    h.lambda.invoke = async (name, event, options) => {
      if (name !== 'auth') return inner(name, event, options);
      options?.onInitStart?.();
      await init;
      options?.onInitEnd?.();
      return inner(name, event, options);
    };
    const pending = h.send({ path: '/dev/items', headers: { Authorization: 't' } });
    await h.clock.advance(40_000); // longer than the 29 s limit, but it is start-up
    initDone();
    await h.lambda.invoked('auth');
    await h.clock.advance(250);
    h.lambda.release('auth', allowAll());
    expect((await pending).status).toBe(200);
    expect(lastEvent(h, 'x').requestContext.authorizer.integrationLatency).toBe(250);
  });

  it('REST: a context value that is an object or array returns 500', async () => {
    for (const bad of [{ nested: { a: 1 } }, { list: [1] }]) {
      const h = setup(tokenApi(), { auth: () => allowAll('u', bad), x: ok });
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(500);
    }
  });

  it('REST: a missing principalId or policyDocument, or an invalid Effect, returns 500', async () => {
    const outputs = [
      { policyDocument: policy('Allow', '*').policyDocument },
      { principalId: 'u' },
      { principalId: 'u', policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'allow', Resource: '*' }] } },
      'Allow',
    ];
    for (const out of outputs) {
      const h = setup(tokenApi(), { auth: () => out, x: ok });
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(500);
    }
  });

  it('REST: Lambda refusing the authorizer invoke returns 500', async () => {
    const h = setup(tokenApi(), { auth: { reject: new TooManyRequestsException('ConcurrentInvocationLimitExceeded') }, x: ok });
    expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(500);
  });

  describe('policy evaluation', () => {
    const cases: Array<[string, ReturnType<typeof policy>, number]> = [
      ['an Allow on the exact method ARN', policy('Allow', arn('GET', 'items')), 200],
      ['an Allow with * wildcards', policy('Allow', `arn:aws:execute-api:us-east-1:123456789012:${apiId}/*/GET/*`), 200],
      ['an Allow with ? wildcards', policy('Allow', `arn:aws:execute-api:us-east-1:123456789012:${apiId}/de?/GET/item?`), 200],
      ['an Allow with Action execute-api:*', policy('Allow', '*', 'execute-api:*'), 200],
      ['an Allow with Action *', policy('Allow', '*', '*'), 200],
      ['an Allow with a list of resources', policy('Allow', [arn('POST', 'items'), arn('GET', 'items')]), 200],
      ['an Allow for another method', policy('Allow', arn('POST', 'items')), 403],
      ['an Allow for another action', policy('Allow', '*', 's3:GetObject'), 403],
      ['a Deny on the method', policy('Deny', arn('GET', 'items')), 403],
    ];
    for (const [what, output, status] of cases) {
      it(`REST: ${what} gives ${status}`, async () => {
        const h = setup(tokenApi(), { auth: () => output, x: ok });
        expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(status);
      });
    }

    it('REST: an explicit Deny wins over an Allow', async () => {
      const out = {
        principalId: 'u',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
            { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: arn('GET', 'items') },
          ],
        },
      };
      const h = setup(tokenApi(), { auth: () => out, x: ok });
      const res = await h.send({ path: '/dev/items', headers: { Authorization: 't' } });
      expect(res.status).toBe(403);
      expect(res.body).toBe('{"Message":"User is not authorized to access this resource with an explicit deny"}');
    });
  });

  describe('result caching', () => {
    it('REST: a cached policy for the first method denies other methods until the TTL ends (AWS caching gotcha)', async () => {
      const h = setup(tokenApi({ resultTtlInSeconds: 300 }), { auth: (e: { methodArn: string }) => policy('Allow', e.methodArn), x: ok });
      const auth = { Authorization: 'same-token' };
      expect((await h.send({ path: '/dev/items', headers: auth })).status).toBe(200);
      const denied = await h.send({ path: '/dev/items/1', headers: auth });
      expect(denied.status).toBe(403);
      expect(denied.body).toBe('{"Message":"User is not authorized to access this resource"}');
      expect(h.lambda.countOf('auth')).toBe(1);
      await h.clock.advance(299_999);
      expect((await h.send({ path: '/dev/items/1', headers: auth })).status).toBe(403);
      await h.clock.advance(1);
      expect((await h.send({ path: '/dev/items/1', headers: auth })).status).toBe(200);
      expect(h.lambda.countOf('auth')).toBe(2);
    });

    it('REST: a wildcard policy avoids the gotcha and is reused across methods', async () => {
      const h = setup(tokenApi(), { auth: () => policy('Allow', `arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/*/*`), x: ok });
      const auth = { Authorization: 'tok' };
      for (const [method, path] of [['GET', '/dev/items'], ['GET', '/dev/items/1'], ['POST', '/dev/items']] as const) {
        expect((await h.send({ method, path, headers: auth })).status).toBe(200);
      }
      expect(h.lambda.countOf('auth')).toBe(1);
    });

    it('REST: the cache is keyed by the token: another token invokes the authorizer again', async () => {
      const h = setup(tokenApi(), { auth: () => allowAll(), x: ok });
      await h.send({ path: '/dev/items', headers: { Authorization: 'a' } });
      await h.send({ path: '/dev/items', headers: { Authorization: 'b' } });
      await h.send({ path: '/dev/items', headers: { Authorization: 'a' } });
      expect(h.lambda.countOf('auth')).toBe(2);
    });

    it('REST: a cached Deny keeps denying until it expires', async () => {
      let effect: 'Allow' | 'Deny' = 'Deny';
      const h = setup(tokenApi({ resultTtlInSeconds: 10 }), { auth: () => policy(effect, '*'), x: ok });
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(403);
      effect = 'Allow';
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(403);
      await h.clock.advance(10_000);
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(200);
    });

    it('REST: resultTtlInSeconds 0 invokes the authorizer on every request', async () => {
      const h = setup(tokenApi({ resultTtlInSeconds: 0 }), { auth: () => allowAll(), x: ok });
      await h.send({ path: '/dev/items', headers: { Authorization: 't' } });
      await h.send({ path: '/dev/items', headers: { Authorization: 't' } });
      expect(h.lambda.countOf('auth')).toBe(2);
    });

    it('REST: an Unauthorized answer is not cached', async () => {
      let calls = 0;
      const h = setup(tokenApi(), {
        auth: () => {
          calls++;
          if (calls === 1) throw new Error('Unauthorized');
          return allowAll();
        },
        x: ok,
      });
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(401);
      expect((await h.send({ path: '/dev/items', headers: { Authorization: 't' } })).status).toBe(200);
    });
  });
});

describe('REST REQUEST authorizer', () => {
  const requestApi = (identitySource?: string | string[], ttl = 300) => ({
    stageVariables: { env: 'test' },
    authorizers: { req: { type: 'REQUEST' as const, function: 'auth', identitySource, resultTtlInSeconds: ttl } },
    routes: { 'GET /items/{id}': { function: 'x', authorizer: 'req' } },
  });

  it('REST: the REQUEST event carries the request without body, with empty maps for absent parts', async () => {
    const h = setup(requestApi('method.request.header.X-User'), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items/7', headers: { 'X-User': 'u1' } })).status).toBe(200);
    const e = lastEvent(h, 'auth');
    expect(e).toMatchObject({
      type: 'REQUEST',
      methodArn: arn('GET', 'items/7'),
      resource: '/items/{id}',
      path: '/items/7',
      httpMethod: 'GET',
      queryStringParameters: {},
      multiValueQueryStringParameters: {},
      pathParameters: { id: '7' },
      stageVariables: { env: 'test' },
    });
    expect(e.headers['X-User']).toBe('u1');
    expect(e).not.toHaveProperty('body');
    expect(e.requestContext.path).toBe('/dev/items/7');
    expect(e.requestContext).not.toHaveProperty('authorizer');
  });

  it('REST: each identity source kind is read, and a missing one returns 401 without invoking', async () => {
    const sources = ['method.request.header.X-User', 'method.request.querystring.tenant', 'stageVariables.env', 'context.identity.sourceIp'];
    const h = setup(requestApi(sources), { auth: () => allowAll(), x: ok });
    expect((await h.send({ path: '/dev/items/1?tenant=acme', headers: { 'x-user': 'u1' } })).status).toBe(200);
    expect((await h.send({ path: '/dev/items/1', headers: { 'x-user': 'u1' } })).status).toBe(401);
    expect((await h.send({ path: '/dev/items/1?tenant=acme' })).status).toBe(401);
    expect(h.lambda.countOf('auth')).toBe(1);
  });

  it('REST: the REQUEST cache key is all identity values together', async () => {
    const h = setup(requestApi(['method.request.header.X-User', 'method.request.querystring.tenant']), { auth: () => allowAll(), x: ok });
    await h.send({ path: '/dev/items/1?tenant=a', headers: { 'x-user': 'u1' } });
    await h.send({ path: '/dev/items/2?tenant=a', headers: { 'x-user': 'u1' } });
    await h.send({ path: '/dev/items/1?tenant=b', headers: { 'x-user': 'u1' } });
    expect(h.lambda.countOf('auth')).toBe(2);
  });

  it('REST: a REQUEST authorizer without identity sources and without caching is invoked every time', async () => {
    const h = setup(requestApi(undefined, 0), { auth: () => allowAll(), x: ok });
    await h.send({ path: '/dev/items/1' });
    await h.send({ path: '/dev/items/1' });
    expect(h.lambda.countOf('auth')).toBe(2);
  });

  it('REST: a route naming an unknown authorizer is a configuration error', () => {
    expect(() => setup({ routes: { 'GET /x': { function: 'x', authorizer: 'ghost' } } })).toThrow(
      'Failed to create REST API "shop": route "GET /x" names unknown authorizer "ghost". Declare it under "authorizers".',
    );
  });

  it('REST: an unknown identity source form is a configuration error', () => {
    expect(() => setup(requestApi('header.X-User'))).toThrow(
      'Failed to create REST API "shop": authorizer "req" has identity source "header.X-User"; use method.request.header.X, method.request.querystring.X, stageVariables.X or context.X.',
    );
  });
});
