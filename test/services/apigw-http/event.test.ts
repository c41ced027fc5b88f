import { describe, expect, it } from 'vitest';
import { buildRequest, type RequestInit } from '../../../emulator/core/http.ts';
import { buildAuthorizerEventV1, buildAuthorizerEventV2 } from '../../../emulator/services/apigw-http/authorizer-event.ts';
import { buildEventV1 } from '../../../emulator/services/apigw-http/event-v1.ts';
import { buildEventV2, type EventContext } from '../../../emulator/services/apigw-http/event.ts';
import { decodeRequest, type IncomingRequest } from '../../../emulator/services/apigw-http/request.ts';
import { at, awsFixture, golden, shapeDifferences } from './shape.ts';

/**
 * Each AWS sample is rebuilt from the request it describes and compared field by field: same keys at
 * every level, same types, equal request-derived values. The differences are listed with their reason.
 */

function incoming(init: RequestInit & { protocol?: string }, domainName: string, basePath = ''): IncomingRequest {
  const request = { ...buildRequest(init), protocol: init.protocol ?? 'HTTP/1.1' };
  const decoded = decodeRequest(request, { basePath, domainName, traceId: () => 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c' });
  if (!decoded) throw new Error('outside the stage');
  return decoded;
}

/** Why our events differ from the aws-lambda-go samples. */
const NO_MTLS = 'mutual TLS (custom domains) is not emulated, so requestContext.authentication is never present';
const SYNTHETIC_HEADERS = 'the sample\'s headers are hand-written (mixed case, no host/x-forwarded-*); HTTP APIs lower-case names and add content-length, host, x-amzn-trace-id and x-forwarded-* (see the no-authorizer capture); checked as a subset below';
const SYNTHETIC_TIME = 'the sample\'s time ("12/Mar/2020:19:03:58+0000", no space) does not match its own timeEpoch (4 Mar); we format timeEpoch as AWS documents';

/** The sample's headers, lower-cased, must all be in ours with the same values. */
function expectHeaderSubset(ours: Record<string, string>, theirs: Record<string, string>): void {
  for (const [name, value] of Object.entries(theirs)) expect(ours[name.toLowerCase()], name).toBe(value);
}

function expectSameValues(ours: unknown, theirs: unknown, paths: string[]): void {
  for (const path of paths) expect(at(ours, path), path).toEqual(at(theirs, path));
}

const SAMPLE_REQUEST: RequestInit = {
  path: '/my/path?parameter1=value1&parameter1=value2&parameter2=value',
  headers: { Header1: 'value1', Header2: 'value2', Cookie: 'cookie1; cookie2', 'Content-Type': 'application/json', 'User-Agent': 'agent' },
  body: '{\r\n\t"a": 1\r\n}',
  sourceIp: 'IP',
};
const SAMPLE_CONTEXT: EventContext = {
  accountId: '123456789012',
  apiId: 'api-id',
  domainName: 'id.execute-api.us-east-1.amazonaws.com',
  stage: '$default',
  requestId: 'id',
  timeEpoch: 1583348638390,
  routeKey: '$default',
  pathParameters: { proxy: 'hello/world' },
  stageVariables: { stageVariable1: 'value1', stageVariable2: 'value2' },
};
const ROUTE_VALUES = [
  'version', 'routeKey', 'rawPath', 'rawQueryString', 'cookies', 'queryStringParameters', 'body', 'pathParameters', 'isBase64Encoded', 'stageVariables',
  'requestContext.accountId', 'requestContext.apiId', 'requestContext.authorizer', 'requestContext.domainName', 'requestContext.domainPrefix',
  'requestContext.http', 'requestContext.requestId', 'requestContext.routeKey', 'requestContext.stage', 'requestContext.timeEpoch',
];

describe('HTTP API payload 2.0 event', () => {
  it('HTTP API: the 2.0 event for a plain GET equals AWS\'s captured no-authorizer event', () => {
    const aws = awsFixture('apigw-v2-request-no-authorizer.json') as Record<string, unknown>;
    const request = incoming(
      { path: '/', headers: { accept: '*/*', 'user-agent': 'curl/7.58.0', 'x-amzn-trace-id': 'Root=1-5e9f0c65-1de4d666d4dd26aced652b6c' }, sourceIp: '1.2.3.4' },
      'aaaaaaaaaa.execute-api.us-west-2.amazonaws.com',
    );
    const event = buildEventV2(request, { accountId: '123456789012', apiId: 'aaaaaaaaaa', domainName: 'aaaaaaaaaa.execute-api.us-west-2.amazonaws.com', stage: '$default', requestId: 'LV7fzho-PHcEJPw=', timeEpoch: 1587481701067, routeKey: '$default' });
    const { authentication: _mtls, ...awsContext } = aws.requestContext as Record<string, unknown>;
    // A real capture: everything but the mTLS block (NO_MTLS) is identical, key for key and value for value.
    expect(event).toEqual({ ...aws, requestContext: awsContext });
    expect(golden('request-no-authorizer.json', event)).toEqual(event);
  });

  it('HTTP API: the 2.0 event with JWT claims has the shape of AWS\'s jwt-authorizer sample', () => {
    const aws = awsFixture('apigw-v2-request-jwt-authorizer.json');
    const request = incoming(SAMPLE_REQUEST, SAMPLE_CONTEXT.domainName);
    const event = buildEventV2(request, { ...SAMPLE_CONTEXT, authorizer: { kind: 'jwt', claims: { claim1: 'value1', claim2: 'value2' }, scopes: ['scope1', 'scope2'] } });
    expect(shapeDifferences(event, aws, { 'requestContext.authentication': NO_MTLS, headers: SYNTHETIC_HEADERS })).toEqual([]);
    expectSameValues(event, aws, ROUTE_VALUES);
    expectHeaderSubset(event.headers, (aws as { headers: Record<string, string> }).headers);
    expect(at(event, 'requestContext.time'), SYNTHETIC_TIME).toBe('04/Mar/2020:19:03:58 +0000');
    expect(golden('request-jwt-authorizer.json', event)).toEqual(event);
  });

  it('HTTP API: the 2.0 event with Lambda authorizer context has the shape of AWS\'s lambda-authorizer sample', () => {
    const aws = awsFixture('apigw-v2-request-lambda-authorizer.json');
    const request = incoming(SAMPLE_REQUEST, SAMPLE_CONTEXT.domainName);
    const event = buildEventV2(request, { ...SAMPLE_CONTEXT, authorizer: { kind: 'lambda', context: { key: 'value' } } });
    expect(shapeDifferences(event, aws, { 'requestContext.authentication': NO_MTLS, headers: SYNTHETIC_HEADERS })).toEqual([]);
    expectSameValues(event, aws, ROUTE_VALUES);
    expectHeaderSubset(event.headers, (aws as { headers: Record<string, string> }).headers);
    expect(golden('request-lambda-authorizer.json', event)).toEqual(event);
  });

  it('HTTP API: empty optional fields are left out of the 2.0 event, not set to null', () => {
    const event = buildEventV2(incoming({ path: '/' }, 'x.execute-api.us-east-1.amazonaws.com'), { ...SAMPLE_CONTEXT, pathParameters: {}, stageVariables: undefined });
    for (const key of ['cookies', 'queryStringParameters', 'body', 'pathParameters', 'stageVariables']) expect(event).not.toHaveProperty(key);
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('HTTP API: repeated headers and query keys are comma-joined; cookies leave the headers', () => {
    const event = buildEventV2(
      incoming({ path: '/p?a=1&a=2&b=x%20y&c', headers: { 'X-Multi': ['one', 'two'], Cookie: ['s=1; t=2', 'u=3'] } }, 'x.execute-api.us-east-1.amazonaws.com'),
      SAMPLE_CONTEXT,
    );
    expect(event.headers['x-multi']).toBe('one,two');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['s=1', 't=2', 'u=3']);
    expect(event.queryStringParameters).toEqual({ a: '1,2', b: 'x y', c: '' });
  });

  it('HTTP API: headers and query keys named like Object properties are ordinary keys', () => {
    const event = buildEventV2(incoming({ path: '/?__proto__=1&constructor=2', headers: { Constructor: 'c', toString: 't' } }, 'x.execute-api.us-east-1.amazonaws.com'), SAMPLE_CONTEXT);
    const json = JSON.parse(JSON.stringify(event)) as { headers: Record<string, string>; queryStringParameters: Record<string, string> };
    expect(json.headers.constructor).toBe('c');
    expect(json.headers.tostring).toBe('t');
    expect(Object.entries(json.queryStringParameters)).toEqual([['__proto__', '1'], ['constructor', '2']]);
  });

  it('HTTP API: a binary request body is base64-encoded and a JSON one is passed as text', () => {
    const ctx = SAMPLE_CONTEXT;
    const domain = 'x.execute-api.us-east-1.amazonaws.com';
    const binary = buildEventV2(incoming({ method: 'POST', path: '/', body: Buffer.from([0, 1, 2]), headers: { 'content-type': 'application/octet-stream' } }, domain), ctx);
    expect(binary).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
    const untyped = buildEventV2(incoming({ method: 'POST', path: '/', body: 'hi' }, domain), ctx);
    expect(untyped).toMatchObject({ body: 'aGk=', isBase64Encoded: true });
    const form = buildEventV2(incoming({ method: 'POST', path: '/', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, domain), ctx);
    expect(form).toMatchObject({ body: 'YT0x', isBase64Encoded: true });
    const json = buildEventV2(incoming({ method: 'POST', path: '/', body: '{"a":1}', headers: { 'content-type': 'application/json; charset=utf-8' } }, domain), ctx);
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });

  it('HTTP API: rawPath and http.path keep a named stage prefix; routing does not see it', () => {
    const request = incoming({ path: '/dev/items/1?x=1' }, 'x.execute-api.us-east-1.amazonaws.com', '/dev');
    expect(request.routePath).toBe('/items/1');
    const event = buildEventV2(request, { ...SAMPLE_CONTEXT, stage: 'dev', routeKey: 'GET /items/{id}' });
    expect(event.rawPath).toBe('/dev/items/1');
    expect(event.requestContext.http.path).toBe('/dev/items/1');
    expect(event.requestContext.stage).toBe('dev');
  });
});

describe('HTTP API payload 1.0 event', () => {
  /** AWS's documented 1.0 example for HTTP APIs (http-api-develop-integrations-lambda), keys only matter. */
  const DOCUMENTED_V1 = {
    version: '1.0', resource: '/my/path', path: '/my/path', httpMethod: 'GET',
    headers: { Header1: 'value1' }, multiValueHeaders: { Header1: ['value1'] },
    queryStringParameters: { parameter1: 'value1', parameter2: 'value' }, multiValueQueryStringParameters: { parameter1: ['value1', 'value2'], parameter2: ['value'] },
    requestContext: {
      accountId: '123456789012', apiId: 'id', authorizer: { claims: null, scopes: null }, domainName: 'id.execute-api.us-east-1.amazonaws.com', domainPrefix: 'id',
      extendedRequestId: 'request-id', httpMethod: 'GET',
      identity: { accessKey: null, accountId: null, caller: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: 'IP', user: null, userAgent: 'user-agent', userArn: null },
      path: '/my/path', protocol: 'HTTP/1.1', requestId: 'id=', requestTime: '04/Mar/2020:19:15:17 +0000', requestTimeEpoch: 1583349317135, resourceId: null, resourcePath: '/my/path', stage: '$default',
    },
    pathParameters: null, stageVariables: null, body: 'Hello from Lambda!', isBase64Encoded: false,
  };

  it('HTTP API: the 1.0 event has the keys and types of AWS\'s documented 1.0 example', () => {
    const request = incoming({ method: 'GET', path: '/my/path?parameter1=value1&parameter1=value2&parameter2=value', headers: { Header1: 'value1', 'content-type': 'text/plain' }, body: 'Hello from Lambda!', sourceIp: 'IP' }, 'id.execute-api.us-east-1.amazonaws.com');
    const event = buildEventV1(request, { ...SAMPLE_CONTEXT, apiId: 'id', requestId: 'id=', timeEpoch: 1583349317135, routeKey: 'GET /my/path', pathParameters: undefined, stageVariables: undefined });
    expect(shapeDifferences(event, DOCUMENTED_V1, { 'requestContext.identity.clientCert': NO_MTLS, headers: 'header names vary by request', multiValueHeaders: 'header names vary by request' })).toEqual([]);
    expectSameValues(event, DOCUMENTED_V1, ['version', 'resource', 'path', 'httpMethod', 'requestContext.authorizer', 'requestContext.requestTime', 'requestContext.requestTimeEpoch', 'requestContext.resourcePath', 'requestContext.stage', 'pathParameters', 'stageVariables', 'body']);
    expect(event.queryStringParameters).toEqual({ parameter1: 'value2', parameter2: 'value' });
    expect(event.multiValueQueryStringParameters).toEqual({ parameter1: ['value1', 'value2'], parameter2: ['value'] });
    expect(golden('request-v1.json', event)).toEqual(event);
  });
});

describe('HTTP API Lambda authorizer events', () => {
  const ARN = 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request';

  it('HTTP API: the 2.0 authorizer event has the shape of AWS\'s custom-authorizer-v2 sample', () => {
    const aws = awsFixture('apigw-v2-custom-authorizer-v2-request.json');
    const request = incoming({ ...SAMPLE_REQUEST, method: 'POST' }, SAMPLE_CONTEXT.domainName);
    const event = buildAuthorizerEventV2(request, { ...SAMPLE_CONTEXT, pathParameters: { parameter1: 'value1' } }, ARN, ['user1', '123']);
    expect(shapeDifferences(event, aws, { 'requestContext.authentication': NO_MTLS, headers: SYNTHETIC_HEADERS })).toEqual([]);
    expectSameValues(event, aws, ['version', 'type', 'routeArn', 'identitySource', 'routeKey', 'rawPath', 'rawQueryString', 'cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'requestContext.http', 'requestContext.requestId', 'requestContext.timeEpoch']);
    expect(at(event, 'requestContext.time'), SYNTHETIC_TIME).toBe('04/Mar/2020:19:03:58 +0000');
    expectHeaderSubset(event.headers, (aws as { headers: Record<string, string> }).headers);
    expect(golden('custom-authorizer-v2-request.json', event)).toEqual(event);
  });

  it('HTTP API: the 1.0 authorizer event has the shape of AWS\'s custom-authorizer-v1 sample', () => {
    const aws = awsFixture('apigw-v2-custom-authorizer-v1-request.json') as { headers: Record<string, string> };
    const request = incoming({ path: '/test/request?QueryString1=queryValue1', headers: aws.headers, sourceIp: '...' }, 'abcdef123.execute-api.us-east-1.amazonaws.com', '/test');
    const context: EventContext = { ...SAMPLE_CONTEXT, apiId: 'abcdef123', domainName: 'abcdef123.execute-api.us-east-1.amazonaws.com', stage: 'test', requestId: '...', routeKey: 'GET /request', pathParameters: {}, stageVariables: { StageVar1: 'stageValue1' } };
    const event = buildAuthorizerEventV1(request, context, ARN, ['user1', '123']);
    const known = {
      headers: 'we add AWS\'s own headers (host, x-forwarded-*, content-length, x-amzn-trace-id); the sample\'s are all present (checked below)',
      'requestContext.identity.apiKey': 'HTTP APIs have no API keys',
      'requestContext.identity.clientCert': NO_MTLS,
      'requestContext.resourceId': 'HTTP APIs have no REST resources: null, as in AWS\'s 1.0 route example',
    };
    expect(shapeDifferences(event, aws, known)).toEqual([]);
    expect(event.requestContext.resourceId).toBeNull();
    expectSameValues(event, aws, ['version', 'type', 'methodArn', 'identitySource', 'authorizationToken', 'resource', 'path', 'httpMethod', 'queryStringParameters', 'pathParameters', 'stageVariables', 'requestContext.accountId', 'requestContext.stage', 'requestContext.requestId', 'requestContext.resourcePath', 'requestContext.httpMethod', 'requestContext.apiId']);
    for (const [name, value] of Object.entries(aws.headers)) expect(event.headers[name], name).toBe(value);
    expect(event.requestContext.path, 'the stage stays in requestContext.path, as on REST').toBe('/test/request');
    expect(golden('custom-authorizer-v1-request.json', event)).toEqual(event);
  });
});
