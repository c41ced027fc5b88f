import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START } from '../../../emulator/core/clock.ts';
import { stableId } from '../../../emulator/core/ids.ts';
import { lastEvent, setup, UUID, header } from './support.ts';

const echo = () => ({ statusCode: 200, body: 'ok' });

describe('REST proxy event (payload 1.0)', () => {
  it('REST: every top-level field is present, absent values null', async () => {
    const h = setup({ routes: { 'GET /items': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/items' });
    const e = lastEvent(h, 'fn');
    expect(Object.keys(e).sort()).toEqual(
      ['body', 'headers', 'httpMethod', 'isBase64Encoded', 'multiValueHeaders', 'multiValueQueryStringParameters', 'path', 'pathParameters', 'queryStringParameters', 'requestContext', 'resource', 'stageVariables'].sort(),
    );
    expect(e).toMatchObject({ resource: '/items', path: '/items', httpMethod: 'GET', queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false });
  });

  it('REST: path has no stage, requestContext.path has it, resource is the template', async () => {
    const h = setup({ routes: { 'ANY /{proxy+}': 'fn' } }, { fn: echo });
    await h.send({ method: 'POST', path: '/dev/hello/world/' });
    const e = lastEvent(h, 'fn');
    expect(e.path).toBe('/hello/world/');
    expect(e.requestContext.path).toBe('/dev/hello/world/');
    expect(e.resource).toBe('/{proxy+}');
    expect(e.requestContext.resourcePath).toBe('/{proxy+}');
    expect(e.pathParameters).toEqual({ proxy: 'hello/world' });
    expect(e.httpMethod).toBe('POST');
  });

  it('REST: path and path parameters keep the client percent-encoding', async () => {
    const h = setup({ routes: { 'GET /users/{id}/{rest+}': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/users/test%2Balias@x.com/a%20b/c' });
    const e = lastEvent(h, 'fn');
    expect(e.path).toBe('/users/test%2Balias@x.com/a%20b/c');
    expect(e.pathParameters).toEqual({ id: 'test%2Balias@x.com', rest: 'a%20b/c' });
  });

  it('REST: query strings are decoded, + is a space, and the last repeated value wins in the single map', async () => {
    const h = setup({ routes: { 'GET /q': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/q?name=me&multi=you&multi=me&plus=a+b&email=a%2Bb%40c.com&empty' });
    const e = lastEvent(h, 'fn');
    expect(e.queryStringParameters).toEqual({ name: 'me', multi: 'me', plus: 'a b', email: 'a+b@c.com', empty: '' });
    expect(e.multiValueQueryStringParameters).toEqual({ name: ['me'], multi: ['you', 'me'], plus: ['a b'], email: ['a+b@c.com'], empty: [''] });
  });

  it('REST: headers keep the client casing, the last value wins in headers, all values in multiValueHeaders', async () => {
    const h = setup({ routes: { 'GET /h': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/h', headers: { 'tEsT-HEADeR': 'aValUE', 'X-Multi': ['one', 'two'] } });
    const e = lastEvent(h, 'fn');
    expect(e.headers['tEsT-HEADeR']).toBe('aValUE');
    expect(e.headers['X-Multi']).toBe('two');
    expect(e.multiValueHeaders['X-Multi']).toEqual(['one', 'two']);
  });

  it('REST: API Gateway adds X-Forwarded-* and X-Amzn-Trace-Id and drops Content-Length and Connection', async () => {
    const h = setup({ routes: { 'POST /h': 'fn' } }, { fn: echo });
    await h.send({ method: 'POST', path: '/dev/h', sourceIp: '203.0.113.9', headers: { 'Content-Length': '2', Connection: 'keep-alive', 'X-Forwarded-For': '198.51.100.1' }, body: '{}' });
    const e = lastEvent(h, 'fn');
    expect(e.headers['Content-Length']).toBeUndefined();
    expect(e.headers.Connection).toBeUndefined();
    expect(e.headers['X-Forwarded-For']).toBe('198.51.100.1, 203.0.113.9');
    expect(e.headers['X-Forwarded-Port']).toBe('443');
    expect(e.headers['X-Forwarded-Proto']).toBe('https');
    expect(e.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(e.multiValueHeaders['X-Forwarded-For']).toEqual(['198.51.100.1, 203.0.113.9']);
  });

  it('REST: a client X-Amzn-Trace-Id is passed on and echoed on the response', async () => {
    const h = setup({ routes: { 'GET /h': 'fn' } }, { fn: echo });
    const res = await h.send({ path: '/dev/h', headers: { 'x-amzn-trace-id': 'Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2b5' } });
    expect(lastEvent(h, 'fn').headers['x-amzn-trace-id']).toBe('Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2b5');
    expect(header(res, 'X-Amzn-Trace-Id')).toBe('Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2b5');
  });

  it('REST: edge-optimized APIs add the CloudFront headers and capitalise Authorization and User-Agent', async () => {
    const h = setup({ endpointType: 'EDGE', routes: { 'GET /h': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/h', sourceIp: '203.0.113.9', headers: { authorization: 'tok', 'user-agent': 'curl/8' } });
    const e = lastEvent(h, 'fn');
    expect(e.headers.Authorization).toBe('tok');
    expect(e.headers['User-Agent']).toBe('curl/8');
    expect(e.headers['CloudFront-Forwarded-Proto']).toBe('https');
    expect(e.headers.Via).toMatch(/^2\.0 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$/);
    expect(e.headers['X-Amz-Cf-Id']).toMatch(/^[A-Za-z0-9_-]{54}==$/);
    expect(e.headers['X-Forwarded-For']).toMatch(/^203\.0\.113\.9, \d+\.\d+\.\d+\.\d+$/);
  });

  it('REST: stage variables reach the event', async () => {
    const h = setup({ stageVariables: { table: 'orders' }, routes: { 'GET /s': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/s' });
    expect(lastEvent(h, 'fn').stageVariables).toEqual({ table: 'orders' });
  });

  it('REST: a text body is passed as a string, not base64', async () => {
    const h = setup({ routes: { 'POST /b': 'fn' } }, { fn: echo });
    await h.send({ method: 'POST', path: '/dev/b', headers: { 'Content-Type': 'application/json' }, body: '{\r\n\t"a": 1\r\n}' });
    const e = lastEvent(h, 'fn');
    expect(e.body).toBe('{\r\n\t"a": 1\r\n}');
    expect(e.isBase64Encoded).toBe(false);
  });

  it('REST: requestContext carries the ids, the emulated time and the API identity', async () => {
    const h = setup({ stage: 'test', routes: { 'GET /items/{id}': 'fn' } }, { fn: echo });
    await h.clock.advance(1234);
    const res = await h.send({ path: '/test/items/7', sourceIp: '192.0.2.10', headers: { 'User-Agent': 'PostmanRuntime/2.4.5' } });
    const c = lastEvent(h, 'fn').requestContext;
    const apiId = stableId('shop', 10);
    expect(c.requestId).toMatch(UUID);
    expect(c.requestId).toBe(header(res, 'x-amzn-RequestId'));
    expect(c.extendedRequestId).toBe(header(res, 'x-amz-apigw-id'));
    expect(c.requestTimeEpoch).toBe(MANUAL_CLOCK_START + 1234);
    expect(c.requestTime).toBe('01/Jan/2026:00:00:01 +0000');
    expect(c).toMatchObject({
      accountId: '123456789012',
      apiId,
      domainName: `${apiId}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: apiId,
      stage: 'test',
      protocol: 'HTTP/1.1',
      httpMethod: 'GET',
      resourcePath: '/items/{id}',
      path: '/test/items/7',
    });
    expect(c.resourceId).toMatch(/^[a-z0-9]{6}$/);
    expect(c.deploymentId).toMatch(/^[a-z0-9]{6}$/);
    expect(c.authorizer).toBeUndefined();
    expect(c.identity).toEqual({
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: '192.0.2.10',
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: 'PostmanRuntime/2.4.5',
      user: null,
    });
  });

  it('REST: the resourceId is stable per resource and differs between resources', async () => {
    const h = setup({ routes: { 'GET /a': 'fn', 'POST /a': 'fn', 'GET /b': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/a' });
    await h.send({ method: 'POST', path: '/dev/a' });
    await h.send({ path: '/dev/b' });
    const ids = h.lambda.eventsOf('fn').map((e) => (e as { requestContext: { resourceId: string } }).requestContext.resourceId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('REST: a missing User-Agent is null in identity', async () => {
    const h = setup({ routes: { 'GET /a': 'fn' } }, { fn: echo });
    await h.send({ path: '/dev/a' });
    expect(lastEvent(h, 'fn').requestContext.identity.userAgent).toBeNull();
  });

  it('REST: the most specific route wins: static over parameter over greedy, exact method over ANY', async () => {
    const h = setup({ routes: { 'ANY /{proxy+}': 'greedy', 'GET /items/{id}': 'param', 'GET /items/special': 'static', 'ANY /items/{id}': 'any' } }, { greedy: echo, param: echo, static: echo, any: echo });
    await h.send({ path: '/dev/items/special' });
    await h.send({ path: '/dev/items/9' });
    await h.send({ method: 'PUT', path: '/dev/items/9' });
    await h.send({ path: '/dev/other/deep' });
    expect(h.lambda.calls.map((c) => c.functionName)).toEqual(['static', 'param', 'any', 'greedy']);
  });
});
