import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { RunningEmulator } from '../../../emulator/emulator.ts';
import { handler, openStream, send, signedHeaders, startUrls, TEST_KEYS } from './support.ts';

const FORBIDDEN = { status: 403, body: '{"Message":"Forbidden"}', type: 'AccessDeniedException' };

describe('function URL: AWS_IAM and CORS', () => {
  const clock = new ManualClock();
  let emulator: RunningEmulator;
  const url = (name: string) => emulator.endpoints.functionUrls![name]!;
  const cors = { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type', 'authorization', 'x-amz-date'], exposeHeaders: ['x-custom'], maxAge: 300, allowCredentials: true };
  beforeAll(async () => {
    emulator = await startUrls(
      {
        functions: { echo: handler('echo'), ticks: handler('ticks') },
        functionUrls: {
          iam: { function: 'echo', authType: 'AWS_IAM', credentials: [TEST_KEYS], cors },
          streamed: { function: 'ticks', invokeMode: 'RESPONSE_STREAM', cors },
        },
      },
      clock,
    );
  });
  afterAll(() => emulator.close());
  const refused = (r: { status: number; body: string; headers: Record<string, unknown> }) => ({ status: r.status, body: r.body, type: r.headers['x-amzn-errortype'] });

  it('function URL: AWS_IAM accepts a request signed by the AWS SDK signer (service lambda) and names the caller', async () => {
    const body = '{"q":1}';
    const headers = await signedHeaders(url('iam'), { method: 'POST', path: '/items?x=1', body, headers: { 'content-type': 'application/json' } }, clock);
    const response = await send(url('iam'), { method: 'POST', path: '/items?x=1', headers: [['content-type', 'application/json'], ...headers], body });
    expect(response.status).toBe(200);
    const event = JSON.parse(response.body) as { requestContext: { authorizer: { iam: Record<string, unknown> } }; body: string };
    expect(event.requestContext.authorizer.iam).toMatchObject({ accessKey: TEST_KEYS.accessKeyId, accountId: '123456789012', userArn: `arn:aws:iam::123456789012:user/${TEST_KEYS.accessKeyId}` });
    expect(event.body).toBe(body);
  });

  it('function URL: AWS_IAM refuses an unsigned request with 403 {"Message":"Forbidden"}', async () => {
    expect(refused(await send(url('iam'), { path: '/' }))).toEqual(FORBIDDEN);
  });

  it('function URL: AWS_IAM refuses an unknown key, a changed body, another service and a stale date', async () => {
    const sign = (body: string, credentials = TEST_KEYS) => signedHeaders(url('iam'), { method: 'POST', path: '/', body }, clock, credentials);
    const wrongKey = await sign('a', { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' });
    expect(refused(await send(url('iam'), { method: 'POST', headers: wrongKey, body: 'a' }))).toEqual(FORBIDDEN);
    const wrongSecret = await sign('a', { accessKeyId: TEST_KEYS.accessKeyId, secretAccessKey: 'not-the-secret' });
    expect(refused(await send(url('iam'), { method: 'POST', headers: wrongSecret, body: 'a' }))).toEqual(FORBIDDEN);
    expect(refused(await send(url('iam'), { method: 'POST', headers: await sign('a'), body: 'b' }))).toEqual(FORBIDDEN);
    const otherService = (await sign('a')).map(([n, v]): [string, string] => [n, v.replace('/lambda/', '/execute-api/')]);
    expect(refused(await send(url('iam'), { method: 'POST', headers: otherService, body: 'a' }))).toEqual(FORBIDDEN);
    const stale = await sign('a');
    await clock.advance(15 * 60 * 1000 + 1_000);
    expect(refused(await send(url('iam'), { method: 'POST', headers: stale, body: 'a' }))).toEqual(FORBIDDEN);
  });

  it('function URL: a CORS preflight is answered by the URL itself, before AWS_IAM, without invoking the function', async () => {
    const invokes = emulator.trace.events('lambda.invoke.start').length;
    const response = await send(url('iam'), { method: 'OPTIONS', path: '/items', headers: [['origin', 'https://app.example.com'], ['access-control-request-method', 'POST']] });
    expect(response.status).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,authorization,x-amz-date',
      'access-control-max-age': '300',
    });
    expect(emulator.trace.events('lambda.invoke.start')).toHaveLength(invokes);
    const other = await send(url('iam'), { method: 'OPTIONS', headers: [['origin', 'https://evil.example.com'], ['access-control-request-method', 'POST']] });
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('function URL: responses to an allowed origin carry the CORS headers, streamed ones included', async () => {
    const client = openStream(url('streamed'), clock, '/', { origin: 'https://app.example.com' });
    expect((await client.response).headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-expose-headers': 'x-custom', 'content-type': 'text/event-stream' });
    await clock.advance(2_000);
    expect(await client.finished).toBe('end');
    const noOrigin = openStream(url('streamed'), clock);
    expect((await noOrigin.response).headers['access-control-allow-origin']).toBeUndefined();
    await clock.advance(2_000);
    expect(await noOrigin.finished).toBe('end');
    const headers = await signedHeaders(url('iam'), { method: 'GET', path: '/', headers: { origin: 'https://app.example.com' } }, clock);
    const response = await send(url('iam'), { headers: [['origin', 'https://app.example.com'], ...headers] });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'x-custom' });
  });
});
