import { InvokeCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { ARN_PREFIX, decodeLog, FIXTURES, lambdaClient, text } from './support.ts';

const fn = (handler: string) => ({ codeUri: '.', handler: `handlers.${handler}`, timeout: 60 });

let emulator: RunningEmulator;
let client: ReturnType<typeof lambdaClient>;
const clock = new ManualClock();
beforeAll(async () => {
  emulator = await startEmulator(
    { functions: { echo: fn('echo'), logs: fn('logs'), chatty: fn('chatty'), boom: fn('boom') } },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  client = lambdaClient(emulator.endpoints.lambda!);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

const payload = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Lambda Invoke API with the unmodified @aws-sdk/client-lambda', () => {
  it('lambda api: startEmulator serves the Lambda API on its own port and lists it as "lambda" in the endpoints', () => {
    expect(emulator.endpoints.lambda).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lambda api: RequestResponse answers 200 with the payload and X-Amz-Executed-Version $LATEST', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: payload({ a: 1 }) }));
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.FunctionError).toBeUndefined();
    expect(out.LogResult).toBeUndefined();
    expect(JSON.parse(text(out.Payload))).toEqual({ echo: { a: 1 } });
  });

  it('lambda api: a full ARN, a partial ARN and ?Qualifier=$LATEST name the same function', async () => {
    for (const FunctionName of [`${ARN_PREFIX}echo`, '123456789012:function:echo', `${ARN_PREFIX}echo:$LATEST`]) {
      const out = await client.send(new InvokeCommand({ FunctionName, Payload: payload({ name: FunctionName }) }));
      expect(JSON.parse(text(out.Payload))).toEqual({ echo: { name: FunctionName } });
    }
    const qualified = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: '$LATEST', Payload: payload({ q: 1 }) }));
    expect(JSON.parse(text(qualified.Payload))).toEqual({ echo: { q: 1 } });
  });

  it('lambda api: no payload hands the handler {}', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo' }));
    expect(JSON.parse(text(out.Payload))).toEqual({ echo: {} });
  });

  it('lambda api: Event answers 202 at once with an empty payload; the function runs on', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payload({ later: true }) }));
    expect(out.StatusCode).toBe(202);
    expect(text(out.Payload)).toBe('');
    const requestId = out.$metadata.requestId!;
    expect(await emulator.trace.waitFor('lambda.invoke.end', (e) => e.requestId === requestId)).toMatchObject({ functionName: 'echo', outcome: 'success' });
  });

  it('lambda api: DryRun answers 204 and runs nothing', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun' }));
    expect(out.StatusCode).toBe(204);
    expect(emulator.trace.events('lambda.invoke.start').filter((e) => e.requestId === out.$metadata.requestId)).toEqual([]);
  });

  it('lambda api: a function error is 200 with X-Amz-Function-Error Unhandled and the error as payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'boom' }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(out.Payload))).toMatchObject({ errorType: 'Error', errorMessage: 'boom', trace: expect.arrayContaining(['Error: boom']) });
  });

  it('lambda api: an unknown function is the SDK\'s ResourceNotFoundException, 404, naming its ARN', async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN_PREFIX}nope`, Type: 'User', $metadata: { httpStatusCode: 404 } });
  });

  it('lambda api: a qualifier the emulator does not have (no versions or aliases) is not found, with the qualified ARN', async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'prod' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN_PREFIX}echo:prod` });
  });

  it('lambda api: LogType Tail returns the invocation\'s log, START to REPORT, base64 in LogResult', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'logs', LogType: 'Tail', Payload: payload({ name: 'tail' }) }));
    const requestId = out.$metadata.requestId!;
    expect(JSON.parse(text(out.Payload))).toBe('logged');
    const at = new Date(clock.now()).toISOString();
    expect(decodeLog(out.LogResult)).toBe(
      `START RequestId: ${requestId} Version: $LATEST\n` +
        `${at}\t${requestId}\tINFO\thello tail\n` +
        `END RequestId: ${requestId}\n` +
        `REPORT RequestId: ${requestId}\tDuration: 0.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\t\n`,
    );
  });

  it('lambda api: the log tail is the last 4 KB only', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }));
    const tail = Buffer.from(out.LogResult!, 'base64');
    expect(tail.length).toBe(4096);
    expect(tail.toString('utf8')).toMatch(/\tINFO\tline 099 x{60}\nEND RequestId: [\w-]+\nREPORT RequestId: [^\n]+\n$/);
  });
});

describe('Lambda Invoke API on the wire', () => {
  const post = (path: string, init: { headers?: Record<string, string>; body?: string } = {}) =>
    fetch(`${emulator.endpoints.lambda}${path}`, { method: 'POST', ...init });

  it('lambda api: the response carries Lambda\'s headers and the handler\'s JSON as it was serialised', async () => {
    const res = await post('/2015-03-31/functions/echo/invocations', { body: '{"x":"y"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.text()).toBe('{"echo":{"x":"y"}}');
  });

  it('lambda api: a body that is not JSON is InvalidRequestContentException 400', async () => {
    const res = await post('/2015-03-31/functions/echo/invocations', { body: 'not json' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(await res.json()).toEqual({ Type: 'User', message: expect.stringMatching(/^Could not parse request body into json: Could not parse payload into json: /) });
  });

  it('lambda api: a payload over 6 MB is RequestTooLargeException 413; an Event over 1 MB too', async () => {
    const big = await post('/2015-03-31/functions/echo/invocations', { body: JSON.stringify('x'.repeat(6 * 1024 * 1024)) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ Type: 'User', message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
    const event = await post('/2015-03-31/functions/echo/invocations', { headers: { 'X-Amz-Invocation-Type': 'Event' }, body: JSON.stringify('x'.repeat(1024 * 1024)) });
    expect(event.status).toBe(413);
    expect(await event.json()).toEqual({ Type: 'User', message: 'Request must be smaller than 1048576 bytes for the InvokeFunction operation' });
  });

  it('lambda api: an unknown invocation type and a qualifier that contradicts the ARN are InvalidParameterValueException 400', async () => {
    const type = await post('/2015-03-31/functions/echo/invocations', { headers: { 'X-Amz-Invocation-Type': 'Later' } });
    expect(type.status).toBe(400);
    expect(await type.json()).toEqual({ Type: 'User', message: "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, Event, DryRun]" });
    const qualifier = await post(`/2015-03-31/functions/${encodeURIComponent('echo:1')}/invocations?Qualifier=2`);
    expect(qualifier.status).toBe(400);
    expect(await qualifier.json()).toEqual({ Type: 'User', message: 'The derived qualifier from the function name does not match the specified qualifier.' });
  });

  it('lambda api: another path is UnknownOperationException 404', async () => {
    const res = await fetch(`${emulator.endpoints.lambda}/2015-03-31/functions/echo`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
