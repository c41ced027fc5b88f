import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { RunningEmulator } from '../../../emulator/emulator.ts';
import { handler, send, startUrls, type RawResponse } from './support.ts';

/** The response's headers without the per-request id, as [name, value] pairs in the order sent. */
function headerPairs(response: RawResponse): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) pairs.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!]);
  return pairs.filter(([name]) => !['x-amzn-requestid', 'date', 'connection', 'keep-alive'].includes(name.toLowerCase()));
}

describe('function URL: BUFFERED invoke mode', () => {
  const clock = new ManualClock();
  let emulator: RunningEmulator;
  const url = (name: string) => emulator.endpoints.functionUrls![name]!;
  beforeAll(async () => {
    emulator = await startUrls(
      {
        functions: { hello: handler('hello'), sample: handler('sample'), fails: handler('fails'), huge: handler('huge'), throttled: { ...handler('hello'), reservedConcurrency: 0 } },
        functionUrls: { hello: { function: 'hello' }, sample: { function: 'sample' }, fails: { function: 'fails' }, huge: { function: 'huge' }, throttled: { function: 'throttled' } },
      },
      clock,
    );
  });
  afterAll(() => emulator.close());

  it('function URL: a returned string is sent as AWS sends it: 200, application/json, the string with its quotes (15 bytes)', async () => {
    const response = await send(url('hello'));
    expect(response.status).toBe(200);
    expect(headerPairs(response)).toEqual([['content-type', 'application/json'], ['Content-Length', '15']]);
    expect(response.body).toBe('"Hello, world!"');
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('function URL: AWS\'s sample response (lambda-urls-response.json) becomes 201 with its headers, set-cookie per cookie and its body', async () => {
    const response = await send(url('sample'));
    expect(response.status).toBe(201);
    expect(headerPairs(response)).toEqual([
      ['Content-Type', 'application/json'],
      ['My-Custom-Header', 'Custom Value'],
      ['set-cookie', 'Cookie_1=Value1; Expires=21 Oct 2021 07:48 GMT'],
      ['set-cookie', 'Cookie_2=Value2; Max-Age=78000'],
      ['Content-Length', '30'],
    ]);
    expect(response.body).toBe('{ "message": "Hello, world!" }');
  });

  it('function URL: a function error answers 502 "Internal Server Error"', async () => {
    const response = await send(url('fails'));
    expect({ status: response.status, body: response.body }).toEqual({ status: 502, body: 'Internal Server Error' });
    const requestId = response.headers['x-amzn-requestid'];
    expect(emulator.trace.events('http.response').filter((e) => e.requestId === requestId)).toMatchObject([{ api: 'fails', status: 502, errorType: 'InternalServerError' }]);
  });

  it('function URL: a response over Lambda\'s 6 MB payload answers 502', async () => {
    const response = await send(url('huge'));
    // Never the 6 MB body in a failure message: its length says enough.
    expect({ status: response.status, body: response.body.length > 100 ? `${response.body.length} bytes` : response.body }).toEqual({ status: 502, body: 'Internal Server Error' });
    expect(emulator.trace.events('limit.hit').map((e) => e.limit)).toContain('lambdaSyncResponseBytes');
  });

  it('function URL: a throttled invoke answers 429 {"message":"Rate Exceeded."} with x-amzn-ErrorType ThrottlingException', async () => {
    const response = await send(url('throttled'));
    expect({ status: response.status, body: response.body, type: response.headers['x-amzn-errortype'] }).toEqual({ status: 429, body: '{"message":"Rate Exceeded."}', type: 'ThrottlingException' });
  });
});
