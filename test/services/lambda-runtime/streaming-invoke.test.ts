import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { HTTP_INTEGRATION_CONTENT_TYPE } from '../../../emulator/services/lambda-runtime/stream-prelude.ts';
import { testRuntime } from './helpers.ts';
import { nextText, readAll } from './streaming-support.ts';

describe('lambda: invokeStream delivers a streamified handler\'s writes as they happen', () => {
  const clock = new ManualClock();
  const { runtime, trace } = testRuntime(
    {
      threeChunks: { handler: 'stream-basics.threeChunks', timeout: 60 },
      http: { handler: 'stream-basics.http', timeout: 60 },
      selfFramed: { handler: 'stream-basics.selfFramed', timeout: 60 },
      failsAfterOne: { handler: 'stream-basics.failsAfterOne', timeout: 60 },
      failsAtOnce: { handler: 'stream-basics.failsAtOnce', timeout: 60 },
      neverEnds: { handler: 'stream-basics.neverEnds', timeout: 3 },
      empty: { handler: 'stream-basics.empty', timeout: 60 },
      plain: { handler: 'stream-basics.plain', timeout: 60 },
      endWithBody: { handler: 'stream-basics.endWithBody', timeout: 60 },
    },
    { clock },
  );
  afterAll(() => runtime.close());
  const chunkEvents = (requestId: string) => trace.events('lambda.stream.chunk').filter((e) => e.requestId === requestId);

  it('lambda: the reader holds chunk 1 before emulated time lets the handler write chunk 2', async () => {
    const stream = runtime.invokeStream('threeChunks', {}, { requestId: 'inc-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'inc-1', contentType: 'application/octet-stream' });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    expect(await nextText(chunks)).toBe('one');
    // The handler is waiting on the emulated clock, which has not moved: chunk 2 does not exist yet.
    expect(chunkEvents('inc-1').map((e) => e.chunk)).toEqual([1]);
    await clock.advance(1_000);
    expect(await nextText(chunks)).toBe('two');
    expect(chunkEvents('inc-1').map((e) => e.chunk)).toEqual([1, 2]);
    await clock.advance(1_000);
    expect(await nextText(chunks)).toBe('three');
    expect(await nextText(chunks)).toBeNull();
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'inc-1' });
    expect(chunkEvents('inc-1')).toEqual([
      expect.objectContaining({ functionName: 'threeChunks', requestId: 'inc-1', bytes: 3, chunk: 1 }),
      expect.objectContaining({ functionName: 'threeChunks', requestId: 'inc-1', bytes: 3, chunk: 2 }),
      expect.objectContaining({ functionName: 'threeChunks', requestId: 'inc-1', bytes: 5, chunk: 3 }),
    ]);
    expect(trace.events('lambda.invoke.end').filter((e) => e.requestId === 'inc-1')).toMatchObject([{ outcome: 'success', durationMs: 2_000 }]);
  });

  it('lambda: the HttpResponseStream prelude becomes metadata and the chunks are exactly the bytes after the 8 NULs', async () => {
    const stream = runtime.invokeStream('http', {}, { requestId: 'http-1' });
    expect(await stream.response).toEqual({
      kind: 'stream',
      requestId: 'http-1',
      contentType: HTTP_INTEGRATION_CONTENT_TYPE,
      metadata: { statusCode: 201, headers: { 'content-type': 'text/event-stream', 'x-custom': 'yes' }, cookies: ['a=1; Secure'] },
    });
    expect(await readAll(stream)).toEqual(['data: hi\n\n', 'data: bye\n\n']);
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'http-1' });
  });

  it('lambda: HttpResponseStream.from(...).end(body) keeps the prelude: end()\'s chunk goes through write()', async () => {
    const stream = runtime.invokeStream('endWithBody', {}, { requestId: 'end-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'end-1', contentType: HTTP_INTEGRATION_CONTENT_TYPE, metadata: { statusCode: 202, headers: { 'content-type': 'text/plain' } } });
    expect(await readAll(stream)).toEqual(['only chunk']);
  });

  it('lambda: framing written by hand in one write is read from the bytes the same way', async () => {
    const stream = runtime.invokeStream('selfFramed', {}, { requestId: 'self-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'self-1', contentType: HTTP_INTEGRATION_CONTENT_TYPE, metadata: { statusCode: 404 } });
    expect(await readAll(stream)).toEqual(['not here']);
  });

  it('lambda: a handler that throws after one chunk: the chunk arrives, the chunks end, done is the function error', async () => {
    const stream = runtime.invokeStream('failsAfterOne', {}, { requestId: 'fail-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'fail-1', contentType: 'application/octet-stream' });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    expect(await nextText(chunks)).toBe('partial');
    await clock.advance(1_000);
    expect(await nextText(chunks)).toBeNull();
    const done = await stream.done;
    expect(done).toMatchObject({ kind: 'function-error', requestId: 'fail-1', error: { errorType: 'Error', errorMessage: 'mid-stream' } });
    expect(done.kind === 'function-error' && JSON.parse(done.payload)).toEqual(done.kind === 'function-error' && done.error);
    expect(trace.events('lambda.invoke.end').filter((e) => e.requestId === 'fail-1')).toMatchObject([{ outcome: 'error', errorType: 'Error' }]);
  });

  it('lambda: a handler that fails before writing answers the response with the error, as invoke would', async () => {
    const stream = runtime.invokeStream('failsAtOnce', {}, { requestId: 'fail-2' });
    const response = await stream.response;
    expect(response).toMatchObject({ kind: 'function-error', requestId: 'fail-2', error: { errorType: 'TypeError', errorMessage: 'before any byte' } });
    expect(await stream.done).toBe(response);
    expect(await readAll(stream)).toEqual([]);
  });

  it('lambda: a stream that never ends is ended by the function timeout (emulated): Sandbox.Timedout, chunks end', async () => {
    const stream = runtime.invokeStream('neverEnds', {}, { requestId: 'never-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'never-1', contentType: 'application/octet-stream' });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    expect(await nextText(chunks)).toBe('tick');
    await clock.advance(3_000);
    const errorMessage = 'RequestId: never-1 Error: Task timed out after 3.00 seconds';
    expect(await stream.done).toEqual({
      kind: 'function-error',
      requestId: 'never-1',
      error: { errorType: 'Sandbox.Timedout', errorMessage },
      payload: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage }),
    });
    // Ticks written before the timeout may still be read; then the chunks end.
    let rest = await nextText(chunks);
    while (rest !== null) {
      expect(rest).toBe('tick');
      rest = await nextText(chunks);
    }
    expect(trace.events('lambda.invoke.end').filter((e) => e.requestId === 'never-1')).toMatchObject([{ outcome: 'timeout', durationMs: 3_000 }]);
  });

  it('lambda: a stream ended with no bytes answers with its content type and no chunks', async () => {
    const stream = runtime.invokeStream('empty', {}, { requestId: 'empty-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'empty-1', contentType: 'text/plain' });
    expect(await readAll(stream)).toEqual([]);
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'empty-1' });
  });

  it('lambda: a non-streaming handler invoked as a stream sends its JSON payload as one chunk', async () => {
    const stream = runtime.invokeStream('plain', { name: 'x' }, { requestId: 'plain-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'plain-1', contentType: 'application/json' });
    expect(await readAll(stream)).toEqual(['{"hello":"x"}']);
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'plain-1' });
    expect(chunkEvents('plain-1')).toEqual([expect.objectContaining({ bytes: 13, chunk: 1 })]);
  });

  it('lambda: an unknown function is rejected in response and done, as invoke rejects it', async () => {
    const stream = runtime.invokeStream('missing', {});
    const response = await stream.response;
    expect(response).toMatchObject({ kind: 'rejected', error: { errorType: 'ResourceNotFoundException', status: 404 } });
    expect(await stream.done).toBe(response);
  });

  it('lambda: the buffered invoke of a streaming handler is unchanged (prelude, NULs and body in one payload)', async () => {
    expect(await runtime.invoke('http', {}, { requestId: 'buf-1' })).toEqual({
      kind: 'success',
      requestId: 'buf-1',
      payload: `{"statusCode":201,"headers":{"content-type":"text/event-stream","x-custom":"yes"},"cookies":["a=1; Secure"]}${'\0'.repeat(8)}data: hi\n\ndata: bye\n\n`,
    });
  });
});
