import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stableId } from '../../../emulator/core/ids.ts';
import type { RestApiHooks } from '../../../emulator/services/apigw-rest/router.ts';
import { shapeDiff, valueDiff } from './shape.ts';
import { bodyText, header, lastEvent, setup } from './support.ts';

/**
 * Principle 6: the events we build for the same request as AWS's own samples (aws-lambda-go testdata,
 * fixtures/events/aws-lambda-go) have the same keys at every level and the same value types, and equal
 * values wherever the request determines them. Every accepted difference is listed with its reason.
 * The events themselves are kept as goldens in fixtures/events/apigw-rest/.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const sample = (name: string): any => JSON.parse(readFileSync(new URL(`../../../fixtures/events/aws-lambda-go/${name}`, import.meta.url), 'utf8'));
const golden = (name: string) => `../../../fixtures/events/apigw-rest/${name}`;
const pretty = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Fixed ids so the goldens are byte-stable (the clock is a ManualClock at 2026-01-01T00:00:00Z). */
const FIXED: RestApiHooks = {
  ids: {
    requestId: () => 'deef4878-7910-11e6-8f14-25afc3e9ae33',
    extendedRequestId: () => 'TWegAcC4EowCHnA=',
    traceId: () => 'Root=1-6955b900-0123456789abcdef01234567',
  },
};

/** Headers API Gateway's front end sets; the client does not send them. */
const AWS_ADDED = new Set(['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto']);

function clientHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !AWS_ADDED.has(k)));
}

describe('golden fixtures: REST proxy event', () => {
  const request = sample('apigw-request.json');
  const apiKey = 'theApiKey-for-the-golden-test';
  const build = async () => {
    const h = setup(
      {
        stage: 'testStage',
        stageVariables: { stageVariableName: 'stageVariableValue' },
        apiKeySource: 'AUTHORIZER',
        apiKeys: { theApiKey: { value: apiKey } },
        usagePlans: { plan: { apiKeys: ['theApiKey'] } },
        authorizers: { custom: { type: 'REQUEST', function: 'auth', identitySource: 'method.request.header.headerName' } },
        routes: { 'ANY /{proxy+}': { function: 'fn', authorizer: 'custom', apiKeyRequired: true } },
      },
      {
        auth: () => ({
          principalId: 'admin',
          policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:*/testStage/*/*' }] },
          context: { clientId: 1, clientName: 'Exata' },
          usageIdentifierKey: apiKey,
        }),
        fn: () => ({ statusCode: 200, body: 'ok' }),
      },
      { hooks: FIXED },
    );
    const res = await h.send({ method: 'POST', path: '/testStage/hello/world?name=me', headers: clientHeaders(request.headers), sourceIp: '192.168.196.186', body: request.body });
    expect(res.status).toBe(200);
    return lastEvent(h, 'fn');
  };

  it('REST: the proxy event for the apigw-request.json request has the sample shape, with listed differences', async () => {
    const event = await build();
    expect(shapeDiff(event, request)).toEqual(
      [
        // Documented in the proxy input format (set-up-lambda-proxy-integrations); the Go sample predates it.
        'extra $.isBase64Encoded',
        // API Gateway adds a trace header to every proxied request (AWS captures); the sample predates it.
        'extra $.headers.X-Amzn-Trace-Id',
        'extra $.multiValueHeaders.X-Amzn-Trace-Id',
        // $context.deploymentId and identity.principalOrgId: newer documented context keys (2024 AWS capture).
        'extra $.requestContext.deploymentId',
        'extra $.requestContext.identity.principalOrgId',
        // API Gateway reports the authorizer's latency beside its context (AWS capture, DefinitelyTyped#69823).
        'extra $.requestContext.authorizer.integrationLatency',
        // clientCert exists only with mutual TLS, which the emulator does not terminate.
        'missing $.requestContext.identity.clientCert',
        // Context values arrive stringified (AWS docs); the Go sample shows the number the authorizer returned.
        'type $.requestContext.authorizer.clientId: ours string, sample number',
        // The sample request was IAM/Cognito-signed; ours is not, so AWS sends null for these.
        'type $.requestContext.identity.accessKey: ours null, sample string',
        'type $.requestContext.identity.accountId: ours null, sample string',
        'type $.requestContext.identity.caller: ours null, sample string',
        'type $.requestContext.identity.cognitoAuthenticationProvider: ours null, sample string',
        'type $.requestContext.identity.cognitoAuthenticationType: ours null, sample string',
        'type $.requestContext.identity.cognitoIdentityId: ours null, sample string',
        'type $.requestContext.identity.cognitoIdentityPoolId: ours null, sample string',
        'type $.requestContext.identity.user: ours null, sample string',
        'type $.requestContext.identity.userArn: ours null, sample string',
      ].sort(),
    );
  });

  it('REST: the proxy event equals the sample wherever the request determines the value', async () => {
    const event = await build();
    const headerPaths = Object.keys(clientHeaders(request.headers)).flatMap((k) => [`headers.${k}`, `multiValueHeaders.${k}`]);
    expect(
      valueDiff(event, request, [
        'resource', 'path', 'httpMethod', 'body', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables',
        'headers.X-Forwarded-Port', 'headers.X-Forwarded-Proto', ...headerPaths,
        'requestContext.stage', 'requestContext.resourcePath', 'requestContext.httpMethod', 'requestContext.protocol',
        'requestContext.identity.sourceIp', 'requestContext.identity.userAgent',
        'requestContext.authorizer.principalId', 'requestContext.authorizer.clientName',
      ]),
    ).toEqual([]);
    // AWS documents the stage in requestContext.path; the Go sample omits it (docs win).
    expect(event.requestContext.path).toBe('/testStage/hello/world');
    expect(request.requestContext.path).toBe('/hello/world');
    // The sample's X-Forwarded-For is an edge chain (client, CloudFront); a Regional API sees the client only.
    expect(event.headers['X-Forwarded-For']).toBe('192.168.196.186');
    expect(event.requestContext.authorizer.clientId).toBe('1');
    expect(event.requestContext.identity.apiKey).toBe(apiKey);
  });

  it('REST: the proxy event golden is unchanged', async () => {
    await expect(pretty(await build())).toMatchFileSnapshot(golden('proxy-request.json'));
  });
});

describe('golden fixtures: authorizer events', () => {
  const token = sample('apigw-custom-auth-request.json');
  const requestType = sample('apigw-custom-auth-request-type-request.json');

  const buildToken = async () => {
    const h = setup(
      { authorizers: { t: { type: 'TOKEN', function: 'auth' } }, routes: { 'GET /': { function: 'fn', authorizer: 't' } } },
      { auth: () => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] } }), fn: () => ({}) },
      { hooks: FIXED },
    );
    await h.send({ path: '/dev/', headers: { Authorization: token.authorizationToken } });
    return { event: lastEvent(h, 'auth'), apiId: stableId('shop', 10) };
  };

  it('REST: the TOKEN authorizer event has exactly the sample keys and a real method ARN', async () => {
    const { event, apiId } = await buildToken();
    expect(shapeDiff(event, token)).toEqual([]);
    expect(event.type).toBe('TOKEN');
    expect(event.authorizationToken).toBe('allow');
    // The sample comes from the console's test call (stage `*`); a deployed stage puts its name there.
    expect(token.methodArn).toBe('arn:aws:execute-api:us-west-2:123456789012:ymy8tbxw7b/*/GET/');
    expect(event.methodArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${apiId}/dev/GET/`);
  });

  const buildRequest = async () => {
    const h = setup(
      {
        stage: 'test',
        stageVariables: { StageVar1: 'stageValue1' },
        authorizers: { r: { type: 'REQUEST', function: 'auth', identitySource: ['method.request.header.HeaderAuth1', 'method.request.querystring.QueryString1'] } },
        routes: { 'GET /request': { function: 'fn', authorizer: 'r' } },
      },
      { auth: () => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] } }), fn: () => ({}) },
      { hooks: FIXED },
    );
    await h.send({ path: '/test/request?QueryString1=queryValue1', headers: clientHeaders(requestType.headers) });
    return { event: lastEvent(h, 'auth'), apiId: stableId('shop', 10) };
  };

  it('REST: the REQUEST authorizer event has the sample shape, with listed differences', async () => {
    const { event, apiId } = await buildRequest();
    expect(shapeDiff(event, requestType)).toEqual(
      [
        // The sample's requestContext is abridged; AWS sends the same map as the proxy event
        // ($context, "API Gateway may add new keys"), so ours has the proxy event's keys.
        'extra $.requestContext.deploymentId',
        'extra $.requestContext.domainName',
        'extra $.requestContext.domainPrefix',
        'extra $.requestContext.extendedRequestId',
        'extra $.requestContext.protocol',
        'extra $.requestContext.requestTime',
        'extra $.requestContext.requestTimeEpoch',
        'extra $.requestContext.identity.accessKey',
        'extra $.requestContext.identity.accountId',
        'extra $.requestContext.identity.caller',
        'extra $.requestContext.identity.cognitoAuthenticationProvider',
        'extra $.requestContext.identity.cognitoAuthenticationType',
        'extra $.requestContext.identity.cognitoIdentityId',
        'extra $.requestContext.identity.cognitoIdentityPoolId',
        'extra $.requestContext.identity.principalOrgId',
        'extra $.requestContext.identity.user',
        'extra $.requestContext.identity.userAgent',
        'extra $.requestContext.identity.userArn',
        // The sample's method required an API key (the emulator validates keys after the authorizer).
        'missing $.requestContext.identity.apiKey',
        // Mutual TLS only.
        'missing $.requestContext.identity.clientCert',
      ].sort(),
    );
    const headerPaths = Object.keys(clientHeaders(requestType.headers)).flatMap((k) => [`headers.${k}`, `multiValueHeaders.${k}`]);
    expect(
      valueDiff(event, { ...requestType, methodArn: requestType.methodArn.replace('s4x3opwd6i', apiId) }, [
        'type', 'methodArn', 'resource', 'path', 'httpMethod', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables',
        'headers.X-Forwarded-Port', 'headers.X-Forwarded-Proto', ...headerPaths,
        'requestContext.stage', 'requestContext.resourcePath', 'requestContext.httpMethod', 'requestContext.accountId',
      ]),
    ).toEqual([]);
    // Docs: requestContext.path carries the stage; the abridged sample omits it.
    expect(event.requestContext.path).toBe('/test/request');
  });

  it('REST: the authorizer event goldens are unchanged', async () => {
    await expect(pretty((await buildToken()).event)).toMatchFileSnapshot(golden('token-authorizer.json'));
    await expect(pretty((await buildRequest()).event)).toMatchFileSnapshot(golden('request-authorizer.json'));
  });
});

describe('golden fixtures: proxy response', () => {
  it('REST: the apigw-response.json output becomes a 200 with its headers, the default Content-Type and its body', async () => {
    const response = sample('apigw-response.json');
    const h = setup({ routes: { 'GET /': 'fn' } }, { fn: () => response }, { hooks: FIXED });
    const res = await h.send({ path: '/dev/' });
    expect(res.status).toBe(200);
    expect(bodyText(res)).toBe('Hello World');
    for (const [name, value] of Object.entries(response.headers as Record<string, string>)) {
      expect(res.headers.filter(([k]) => k === name)).toEqual([[name, value]]);
    }
    expect(header(res, 'Content-Type')).toBe('application/json');
    await expect(pretty(res)).toMatchFileSnapshot(golden('proxy-response.json'));
  });
});
