import { afterAll, describe, expect, it } from 'vitest';
import { failure, testRuntime } from './helpers.ts';

describe('lambda: errors a handler reports', () => {
  const { runtime, trace } = testRuntime({
    throws: { handler: 'errors.throws' },
    rejects: { handler: 'errors.rejects' },
    throwsString: { handler: 'errors.throwsString' },
    throwsSync: { handler: 'errors.throwsSync' },
    circular: { handler: 'errors.circular' },
    undefinedResult: { handler: 'errors.returnsUndefined' },
    callbackError: { handler: 'callback.callbackError' },
    callbackString: { handler: 'callback.callbackString' },
    fail: { handler: 'callback.fail' },
  });
  afterAll(() => runtime.close());

  it('lambda: a thrown Error becomes {"errorType","errorMessage","trace"} and the environment stays warm', async () => {
    const outcome = await runtime.invoke('throws', {}, { requestId: 'throw-1' });
    expect(outcome.kind).toBe('function-error');
    const error = failure(outcome);
    expect(Object.keys(error)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(error.errorType).toBe('Error');
    expect(error.errorMessage).toBe('boom');
    expect(error.trace?.[0]).toBe('Error: boom');
    expect(error.trace?.[1]).toMatch(/^ {4}at .*errors\.mjs:2:9/);
    expect(outcome.kind === 'function-error' && outcome.error).toEqual(error);
    await runtime.invoke('throws', {});
    const starts = trace.events('lambda.invoke.start').filter((e) => e.functionName === 'throws');
    expect(starts.map((e) => e.coldStart)).toEqual([true, false]);
    const end = trace.events('lambda.invoke.end').find((e) => e.requestId === 'throw-1');
    expect(end).toMatchObject({ outcome: 'error', errorType: 'Error' });
  });

  it('lambda: the runtime logs each reported error as "Invoke Error" with the request id', async () => {
    await runtime.invoke('throws', {}, { requestId: 'logged-error' });
    const line = trace.events('lambda.log').find((e) => e.requestId === 'logged-error');
    expect(line?.text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tlogged-error\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom","stack":\["Error: boom",/);
  });

  it('lambda: a rejected promise and a sync throw report their error class as errorType', async () => {
    expect(failure(await runtime.invoke('rejects', {}))).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad type' });
    expect(failure(await runtime.invoke('throwsSync', {}))).toMatchObject({ errorType: 'RangeError', errorMessage: 'sync' });
  });

  it('lambda: a thrown non-Error reports typeof as errorType and an empty trace', async () => {
    expect(failure(await runtime.invoke('throwsString', {}))).toEqual({ errorType: 'string', errorMessage: 'a string', trace: [] });
  });

  it('lambda: callback(error), callback(string) and context.fail report the error', async () => {
    expect(failure(await runtime.invoke('callbackError', {}))).toMatchObject({ errorType: 'Error', errorMessage: 'callback failed' });
    expect(failure(await runtime.invoke('callbackString', {}))).toEqual({ errorType: 'string', errorMessage: 'plain failure', trace: [] });
    expect(failure(await runtime.invoke('fail', {}))).toMatchObject({ errorType: 'Error', errorMessage: 'context failed' });
  });

  it('lambda: a result JSON.stringify cannot serialise fails with "Unable to stringify response body"', async () => {
    const error = failure(await runtime.invoke('circular', {}));
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'Unable to stringify response body' });
  });

  it('lambda: an undefined result is the payload null', async () => {
    expect(await runtime.invoke('undefinedResult', {}, { requestId: 'u' })).toEqual({ kind: 'success', requestId: 'u', payload: 'null' });
  });
});
