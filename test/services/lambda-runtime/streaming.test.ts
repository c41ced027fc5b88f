import { afterAll, describe, expect, it } from 'vitest';
import { failure, testRuntime } from './helpers.ts';

describe('lambda: streamified handlers through the buffered invoke path', () => {
  const { runtime, trace } = testRuntime({
    http: { handler: 'streaming.http' },
    raw: { handler: 'streaming.raw' },
    unfinished: { handler: 'streaming.unfinished' },
    notAsync: { handler: 'streaming.notAsync' },
    fails: { handler: 'streaming.fails' },
  });
  afterAll(() => runtime.close());

  it('lambda: the payload is the bytes written: HttpResponseStream JSON prelude, 8 NUL bytes, then the body', async () => {
    const outcome = await runtime.invoke('http', {}, { requestId: 's-1' });
    expect(outcome).toEqual({
      kind: 'success',
      requestId: 's-1',
      payload: `{"statusCode":201,"headers":{"content-type":"text/plain"}}${'\0'.repeat(8)}hello world`,
    });
  });

  it('lambda: a written object is serialised as JSON, as the runtime does', async () => {
    expect(await runtime.invoke('raw', {}, { requestId: 's-2' })).toEqual({ kind: 'success', requestId: 's-2', payload: '{"object":"is serialised"}' });
  });

  it('lambda: a stream the handler never ends fails with "Response stream is not finished."', async () => {
    expect(failure(await runtime.invoke('unfinished', {}))).toEqual({ errorType: 'string', errorMessage: 'Response stream is not finished.', trace: [] });
  });

  it('lambda: a streamified handler that is not async fails as the runtime says', async () => {
    expect(failure(await runtime.invoke('notAsync', {}))).toEqual({ errorType: 'string', errorMessage: 'Streaming does not support non-async handlers.', trace: [] });
  });

  it('lambda: an error after the first bytes fails the invocation with that error', async () => {
    expect(failure(await runtime.invoke('fails', {}))).toMatchObject({ errorType: 'Error', errorMessage: 'mid-stream' });
    expect(trace.events('lambda.invoke.end').filter((e) => e.functionName === 'fails')).toMatchObject([{ outcome: 'error', errorType: 'Error' }]);
  });
});
