import { describe, expect, it } from 'vitest';
import { TooManyRequestsException } from '../../../emulator/services/lambda-runtime/errors.ts';
import { responseSizeTooLarge } from '../../../emulator/services/lambda-runtime/function-errors.ts';
import { allowAll, bodyBytes, bodyText, header, setup, UUID, type FakeFunction, type Harness } from './support.ts';
import type { HttpResponse } from '../../../emulator/core/http.ts';

/**
 * One test per row of the REST error catalogue (reference §2.6): exact status, exact body bytes (and
 * byte length where the reference gives it), `x-amzn-ErrorType`, and the request-id headers.
 */

function expectFault(res: HttpResponse, status: number, body: string, errorType: string | undefined, bytes?: number): void {
  expect(res.status).toBe(status);
  expect(bodyText(res)).toBe(body);
  if (bytes !== undefined) expect(bodyBytes(res)).toBe(bytes);
  expect(header(res, 'x-amzn-ErrorType')).toBe(errorType);
  if (errorType !== undefined) {
    expect(header(res, 'content-type')).toBe('application/json');
    expect(header(res, 'x-amzn-RequestId')).toMatch(UUID);
    expect(header(res, 'x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
  }
}

const ok = () => ({ statusCode: 200, body: 'ok' });

describe('REST error catalogue', () => {
  it('REST: integration timeout returns 504 after 29 s, 41-byte body, and the Lambda keeps running', async () => {
    const h = setup({ routes: { 'GET /slow': 'slow' } }, { slow: { hang: true } });
    let settled = false;
    const pending = h.send({ path: '/dev/slow' }).finally(() => (settled = true));
    await h.lambda.invoked('slow');
    await h.clock.advance(28_999);
    expect(settled).toBe(false);
    await h.clock.advance(1);
    const res = await pending;
    expectFault(res, 504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException', 41);
    expect(header(res, 'X-Amzn-Trace-Id')).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const timeout = h.trace.events('gateway.integration-timeout');
    expect(timeout).toHaveLength(1);
    expect(timeout[0]).toMatchObject({ api: 'shop', functionName: 'slow', timeoutMs: 29_000 });
    h.lambda.release('slow', ok()); // the invocation was not cancelled: it can still finish
  });

  it('REST: a route integrationTimeoutMs of 50 ms times out after 50 ms', async () => {
    const h = setup({ routes: { 'GET /slow': { function: 'slow', integrationTimeoutMs: 50 } } }, { slow: { hang: true } });
    const pending = h.send({ path: '/dev/slow' });
    await h.lambda.invoked('slow');
    await h.clock.advance(50);
    expectFault(await pending, 504, '{"message": "Endpoint request timed out"}', 'InternalServerErrorException', 41);
  });

  it('REST: a raised integration timeout quota allows waiting past 29 s', async () => {
    const h = setup({ integrationTimeoutQuotaMs: 120_000, routes: { 'GET /slow': { function: 'slow', integrationTimeoutMs: 90_000 } } }, { slow: { hang: true } });
    let settled = false;
    const pending = h.send({ path: '/dev/slow' }).finally(() => (settled = true));
    await h.lambda.invoked('slow');
    await h.clock.advance(60_000);
    expect(settled).toBe(false);
    h.lambda.release('slow', ok());
    expect((await pending).status).toBe(200);
  });

  it('REST: an integration timeout above 29 s without the raised quota is a configuration error', () => {
    expect(() => setup({ routes: { 'GET /slow': { function: 'slow', integrationTimeoutMs: 30_000 } } })).toThrow(
      'Failed to create REST API "shop": route "GET /slow" asks for a 30000 ms integration timeout, above the 29000 ms maximum. Set integrationTimeoutQuotaMs (the raised quota) or lower it.',
    );
    expect(() => setup({ integrationTimeoutQuotaMs: 400_000, routes: {} })).toThrow('integrationTimeoutQuotaMs 400000 is above the 300000 ms AWS grants');
  });

  it('REST: a malformed proxy response returns 502 with the 36-byte body', async () => {
    const h = setup({ routes: { 'GET /bad': 'bad' } }, { bad: () => ({ statusCode: 200, body: { not: 'a string' } }) });
    expectFault(await h.send({ path: '/dev/bad' }), 502, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it('REST: a function error (unhandled exception) returns 502', async () => {
    const h = setup({ routes: { 'GET /boom': 'boom' } }, { boom: () => { throw new Error('boom'); } });
    expectFault(await h.send({ path: '/dev/boom' }), 502, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it("REST: Lambda's own timeout (Sandbox.Timedout) returns 502", async () => {
    const h = setup({ routes: { 'GET /t': 't' } }, { t: { lambdaTimeout: true } });
    const res = await h.send({ path: '/dev/t' });
    expectFault(res, 502, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it('REST: a Lambda response over 6 MB (Function.ResponseSizeTooLarge) returns 502', async () => {
    const fault = responseSizeTooLarge(6_291_556);
    const h = setup({ routes: { 'GET /big': 'big' } }, {});
    h.lambda.invoke = async () => ({ kind: 'function-error', requestId: 'r', error: fault, payload: JSON.stringify(fault) });
    expectFault(await h.send({ path: '/dev/big' }), 502, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it('REST: Lambda rejecting the invoke (429 throttle) returns 500', async () => {
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: { reject: new TooManyRequestsException('ReservedFunctionConcurrentInvocationLimitExceeded') } });
    expectFault(await h.send({ path: '/dev/x' }), 500, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it('REST: Lambda rejecting the invoke because the function is missing returns 500', async () => {
    const h = setup({ routes: { 'GET /x': 'missing' } }, {});
    expectFault(await h.send({ path: '/dev/x' }), 500, '{"message": "Internal server error"}', 'InternalServerErrorException', 36);
  });

  it('REST: a request body over 6 MB to a Lambda integration returns 413 Request Too Long without invoking', async () => {
    const h = setup({ routes: { 'POST /upload': 'up' } }, { up: ok });
    const res = await h.send({ method: 'POST', path: '/dev/upload', body: Buffer.alloc(6_291_457, 97) });
    expectFault(res, 413, '{"message": "Request Too Long"}', 'BadRequestException', 31);
    expect(h.lambda.countOf('up')).toBe(0);
  });

  it('REST: the 6 MB check measures the whole event, so a base64-encoded 5 MB binary body is too long', async () => {
    const h = setup({ binaryMediaTypes: ['image/png'], routes: { 'POST /upload': 'up' } }, { up: ok });
    const res = await h.send({ method: 'POST', path: '/dev/upload', headers: { 'Content-Type': 'image/png' }, body: Buffer.alloc(5_000_000, 1) });
    expectFault(res, 413, '{"message": "Request Too Long"}', 'BadRequestException', 31);
  });

  it('REST: a request body over 10 MB returns 413 plain text without AWS headers', async () => {
    const h = setup({ routes: { 'POST /upload': 'up' } }, { up: ok });
    const res = await h.send({ method: 'POST', path: '/dev/upload', body: Buffer.alloc(10_485_761) });
    expect(res.status).toBe(413);
    expect(bodyText(res)).toBe('HTTP content length exceeded 10485760 bytes.');
    expect(bodyBytes(res)).toBe(44);
    expect(header(res, 'content-type')).toBe('text; charset=utf-8');
    expect(header(res, 'x-amzn-ErrorType')).toBeUndefined();
    expect(header(res, 'x-amzn-RequestId')).toBeUndefined();
  });

  describe('Missing Authentication Token (403, 42 bytes)', () => {
    const cases: Array<[string, string, string]> = [
      ['an unknown path', 'GET', '/dev/nope'],
      ['an unknown method on a known path', 'DELETE', '/dev/items'],
      ['an unknown stage', 'GET', '/prod/items'],
      ['a missing stage', 'GET', '/items'],
      ['the bare root without a stage', 'GET', '/'],
      ['HEAD on a GET-only resource', 'HEAD', '/dev/items'],
      ['a CORS preflight to a resource without an OPTIONS method', 'OPTIONS', '/dev/items'],
    ];
    for (const [what, method, path] of cases) {
      it(`REST: ${what} returns 403 Missing Authentication Token`, async () => {
        const h = setup({ routes: { 'GET /items': 'list' } }, { list: ok });
        const res = await h.send({ method, path });
        expectFault(res, 403, '{"message":"Missing Authentication Token"}', 'MissingAuthenticationTokenException', 42);
        expect(h.lambda.calls).toHaveLength(0);
      });
    }
  });

  it('REST: a missing API key returns 403 Forbidden', async () => {
    const h = setup({ apiKeys: { k: { value: 'k'.repeat(20) } }, usagePlans: { p: { apiKeys: ['k'] } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } }, { x: ok });
    expectFault(await h.send({ path: '/dev/x' }), 403, '{"message":"Forbidden"}', 'ForbiddenException', 23);
  });

  it('REST: an invalid API key returns 403 Forbidden', async () => {
    const h = setup({ apiKeys: { k: { value: 'k'.repeat(20) } }, usagePlans: { p: { apiKeys: ['k'] } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } }, { x: ok });
    expectFault(await h.send({ path: '/dev/x', headers: { 'x-api-key': 'wrong'.repeat(4) } }), 403, '{"message":"Forbidden"}', 'ForbiddenException');
  });

  it('REST: a throttled request returns 429 Too Many Requests', async () => {
    const h = setup({ throttle: { rateLimit: 1, burstLimit: 1 }, routes: { 'GET /x': 'x' } }, { x: ok });
    expect((await h.send({ path: '/dev/x' })).status).toBe(200);
    expectFault(await h.send({ path: '/dev/x' }), 429, '{"message":"Too Many Requests"}', 'TooManyRequestsException', 31);
  });

  it('REST: an exhausted usage-plan quota returns 429 Limit Exceeded', async () => {
    const key = 'q'.repeat(20);
    const h = setup(
      { apiKeys: { k: { value: key } }, usagePlans: { p: { apiKeys: ['k'], quota: { limit: 1, period: 'DAY' } } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } },
      { x: ok },
    );
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': key } })).status).toBe(200);
    expectFault(await h.send({ path: '/dev/x', headers: { 'x-api-key': key } }), 429, '{"message":"Limit Exceeded"}', 'LimitExceededException', 28);
  });

  describe('authorizer faults', () => {
    const withAuth = (fn: FakeFunction): Harness =>
      setup({ authorizers: { auth: { type: 'TOKEN', function: 'auth' } }, routes: { 'GET /x': { function: 'x', authorizer: 'auth' } } }, { auth: fn, x: ok });

    it('REST: an authorizer throwing "Unauthorized" returns 401 with the 26-byte body', async () => {
      const h = withAuth(() => { throw new Error('Unauthorized'); });
      expectFault(await h.send({ path: '/dev/x', headers: { Authorization: 't' } }), 401, '{"message":"Unauthorized"}', 'UnauthorizedException', 26);
    });

    it('REST: a missing identity source returns 401 without invoking the authorizer', async () => {
      const h = withAuth(() => allowAll());
      expectFault(await h.send({ path: '/dev/x' }), 401, '{"message":"Unauthorized"}', 'UnauthorizedException', 26);
      expect(h.lambda.countOf('auth')).toBe(0);
    });

    it('REST: an explicit Deny returns 403 with the 82-byte capital-M body', async () => {
      const h = withAuth(() => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: '*' }] } }));
      expectFault(
        await h.send({ path: '/dev/x', headers: { Authorization: 't' } }),
        403,
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
        'AccessDeniedException',
        82,
      );
    });

    it('REST: a policy that does not cover the method returns 403 implicit deny', async () => {
      const h = withAuth(() => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:other/*' }] } }));
      expectFault(await h.send({ path: '/dev/x', headers: { Authorization: 't' } }), 403, '{"Message":"User is not authorized to access this resource"}', 'AccessDeniedException', 60);
    });

    it('REST: an authorizer throwing anything else returns 500 {"message":null}', async () => {
      const h = withAuth(() => { throw new Error('database down'); });
      expectFault(await h.send({ path: '/dev/x', headers: { Authorization: 't' } }), 500, '{"message":null}', 'AuthorizerConfigurationException', 16);
    });

    it('REST: an authorizer returning malformed output returns 500 {"message":null}', async () => {
      const h = withAuth(() => ({ principalId: 'u' }));
      expectFault(await h.send({ path: '/dev/x', headers: { Authorization: 't' } }), 500, '{"message":null}', 'AuthorizerConfigurationException', 16);
    });

    it('REST: an authorizer that times out returns 500 {"message":null} after the 29 s integration limit', async () => {
      const h = withAuth({ hang: true });
      const pending = h.send({ path: '/dev/x', headers: { Authorization: 't' } });
      await h.lambda.invoked('auth');
      await h.clock.advance(29_000);
      expectFault(await pending, 500, '{"message":null}', 'AuthorizerConfigurationException', 16);
      expect(h.lambda.countOf('x')).toBe(0);
    });
  });

  describe('request validation (the rest is in request-validation.test.ts)', () => {
    const validated = () =>
      setup(
        {
          models: { Pet: { type: 'object', required: ['type'], properties: { type: { enum: ['dog', 'cat'] } } } },
          routes: {
            'POST /pets': { function: 'x', requestValidator: 'all', requestParameters: { 'method.request.querystring.q1': true }, requestModels: { 'application/json': 'Pet' } },
          },
        },
        { x: ok },
      );

    it('REST: a missing required request parameter returns 400 BadRequestException with the 56-byte body', async () => {
      const h = validated();
      const res = await h.send({ method: 'POST', path: '/dev/pets', body: '{"type":"dog"}' });
      expectFault(res, 400, '{"message": "Missing required request parameters: [q1]"}', 'BadRequestException', 56);
      expect(h.lambda.calls).toHaveLength(0);
    });

    it('REST: a body failing its model returns 400 BadRequestException with the 35-byte body', async () => {
      const h = validated();
      const res = await h.send({ method: 'POST', path: '/dev/pets?q1=a', headers: { 'Content-Type': 'application/json' }, body: '{"type":"bird"}' });
      expectFault(res, 400, '{"message": "Invalid request body"}', 'BadRequestException', 35);
      expect(h.lambda.calls).toHaveLength(0);
    });
  });
});
