import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { RunningEmulator } from '../../../emulator/emulator.ts';
import { at, awsFixture, shapeDifferences } from '../apigw-http/shape.ts';
import { handler, send, signedHeaders, startUrls, TEST_KEYS } from './support.ts';

/**
 * The event a function URL sends, built from a real HTTP request and compared with AWS's sample
 * (fixtures/events/aws-lambda-go/lambda-urls-request.json) field by field: same keys at every level,
 * same JSON types, equal request-derived values; each difference is listed with its reason.
 */
const DOCUMENTED_EXTRAS = 'in the documented example (urls-invocation) but not in the aws-lambda-go sample: routeKey/stage "$default", authentication, pathParameters and stageVariables null (reference §6.3, §9 #12)';
const SYNTHETIC_HEADERS = 'the sample\'s headers are hand-written; ours add host, content-length, x-forwarded-* and x-amzn-trace-id as function URLs do; checked as a subset below';
const KNOWN = {
  routeKey: DOCUMENTED_EXTRAS,
  pathParameters: DOCUMENTED_EXTRAS,
  stageVariables: DOCUMENTED_EXTRAS,
  'requestContext.authentication': DOCUMENTED_EXTRAS,
  'requestContext.routeKey': DOCUMENTED_EXTRAS,
  'requestContext.stage': DOCUMENTED_EXTRAS,
  'requestContext.authorizer.iam.cognitoIdentity': 'null in the documented example, absent from the sample',
  'requestContext.authorizer.iam.principalOrgId': 'null in the documented example, absent from the sample',
  headers: SYNTHETIC_HEADERS,
};

type Event = Record<string, unknown> & { headers: Record<string, string>; requestContext: Record<string, unknown> };

describe('function URL: the payload 2.0 event', () => {
  const clock = new ManualClock(Date.UTC(2020, 2, 12, 19, 3, 58, 390));
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startUrls(
      {
        functions: { echo: handler('echo') },
        functionUrls: { iam: { function: 'echo', authType: 'AWS_IAM', credentials: [TEST_KEYS] }, open: { function: 'echo' } },
      },
      clock,
    );
  });
  afterAll(() => emulator.close());

  async function sampleRequest(url: string, iam: boolean): Promise<Event> {
    const path = '/my/path?parameter1=value1&parameter1=value2&parameter2=value';
    const body = 'Hello from client!';
    const base: Array<[string, string]> = [['header1', 'value1'], ['header2', 'value1'], ['header2', 'value2'], ['cookie', 'cookie1; cookie2'], ['content-type', 'text/plain'], ['user-agent', 'agent']];
    const headers = iam ? [...base.filter(([n]) => n !== 'header2'), ['header2', 'value1,value2'] as [string, string], ...(await signedHeaders(url, { method: 'POST', path, body, headers: { 'content-type': 'text/plain' } }, clock))] : base;
    const response = await send(url, { method: 'POST', path, headers, body });
    expect(response.status).toBe(200);
    return JSON.parse(response.body) as Event;
  }

  it('function URL: an AWS_IAM request has the shape of AWS\'s lambda-urls-request sample, with authorizer.iam', async () => {
    const url = emulator.endpoints.functionUrls!.iam!;
    const aws = awsFixture('lambda-urls-request.json') as Event;
    const event = await sampleRequest(url, true);
    expect(shapeDifferences(event, aws, KNOWN)).toEqual([]);
    for (const path of ['version', 'rawPath', 'rawQueryString', 'cookies', 'queryStringParameters', 'body', 'isBase64Encoded', 'requestContext.http.method', 'requestContext.http.path', 'requestContext.http.protocol', 'requestContext.http.userAgent', 'requestContext.time']) {
      expect(at(event, path), path).toEqual(at(aws, path));
    }
    // The sample's timeEpoch (4 Mar) does not match its own time (12 Mar); the clock is set to the time.
    expect(event.requestContext.timeEpoch).toBe(clock.now());
    for (const [name, value] of Object.entries(aws.headers)) expect(event.headers[name], name).toBe(value);
    const urlId = emulator.functionUrls.get('iam')!.urlId;
    expect(urlId).toMatch(/^[a-z0-9]{32}$/);
    expect(event).toMatchObject({ routeKey: '$default', pathParameters: null, stageVariables: null });
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: urlId,
      authentication: null,
      authorizer: { iam: { accessKey: TEST_KEYS.accessKeyId, accountId: '123456789012', cognitoIdentity: null, principalOrgId: null, userArn: `arn:aws:iam::123456789012:user/${TEST_KEYS.accessKeyId}` } },
      domainName: `${urlId}.lambda-url.us-west-2.on.aws`,
      domainPrefix: urlId,
      routeKey: '$default',
      stage: '$default',
    });
    expect(event.headers).toMatchObject({ host: `${urlId}.lambda-url.us-west-2.on.aws`, 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'x-forwarded-for': '127.0.0.1' });
    // Keys in the documented order.
    expect(Object.keys(event)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'cookies', 'headers', 'queryStringParameters', 'requestContext', 'body', 'pathParameters', 'isBase64Encoded', 'stageVariables']);
  });

  it('function URL: with authType NONE the event has no authorizer and accountId "anonymous", as captured', async () => {
    const event = await sampleRequest(emulator.endpoints.functionUrls!.open!, false);
    expect(event.requestContext.accountId).toBe('anonymous');
    expect('authorizer' in event.requestContext).toBe(false);
    expect(event.headers.header2).toBe('value1,value2');
  });

  it('function URL: the requestId in the event is the invocation\'s and the x-amzn-RequestId header', async () => {
    const response = await send(emulator.endpoints.functionUrls!.open!, { path: '/' });
    const event = JSON.parse(response.body) as Event;
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-amzn-requestid']).toBe(event.requestContext.requestId);
    const ends = emulator.trace.events('lambda.invoke.end').filter((e) => e.requestId === event.requestContext.requestId);
    expect(ends).toHaveLength(1);
    expect('body' in event).toBe(false);
  });
});
