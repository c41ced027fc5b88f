import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { Trace } from '../../../emulator/core/trace.ts';
import type { InvokeStream } from '../../../emulator/services/lambda-runtime/types.ts';
import { testRuntime } from './helpers.ts';
import { nextText } from './streaming-support.ts';

const MB = 1024 * 1024;

/** Lets the worker and the main thread run for a while without the reader taking anything (no timer, no sleep). */
async function idleTurns(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Reads slowly: after taking each chunk it waits until `expected` more chunks have reached the main
 * thread (or all `count` have), then idles, so a handler that ignored back-pressure would post more.
 * Returns the most chunks ever at the main thread and not yet taken, and the bytes read.
 */
async function readSlowly(trace: Trace, stream: InvokeStream, expected: number, count: number): Promise<{ maxUnread: number; bytes: number }> {
  const arrived = () => trace.events('lambda.stream.chunk').filter((e) => e.requestId === stream.requestId).length;
  let taken = 0;
  let bytes = 0;
  let maxUnread = 0;
  for await (const chunk of stream.chunks) {
    taken++;
    bytes += chunk.length;
    const seq = Math.min(taken + expected, count);
    await trace.waitFor('lambda.stream.chunk', (e) => e.requestId === stream.requestId && e.chunk === seq);
    await idleTurns();
    maxUnread = Math.max(maxUnread, arrived() - taken);
  }
  return { maxUnread, bytes };
}

function handlerReport(trace: Trace, requestId: string): unknown {
  const line = trace.events('lambda.log').find((e) => e.requestId === requestId && e.text.includes('"writes"'));
  return line ? JSON.parse(line.text.split('\t').at(-1)!) : undefined;
}

describe('lambda: response stream back-pressure', () => {
  const { runtime, trace } = testRuntime({
    floodDefault: { handler: 'stream-basics.floodDefault', timeout: 300 },
    floodWide: { handler: 'stream-basics.floodWide', timeout: 300 },
    floodIgnoring: { handler: 'stream-basics.floodIgnoring', timeout: 300 },
  });
  afterAll(() => runtime.close());

  it('lambda: 1 MB writes against the default 16 KiB highWaterMark: every write() returns false, one chunk in flight at a time', async () => {
    const stream = runtime.invokeStream('floodDefault', { size: MB, count: 12 }, { requestId: 'bp-1' });
    expect(await stream.response).toEqual({ kind: 'stream', requestId: 'bp-1', contentType: 'application/octet-stream' });
    expect(await readSlowly(trace, stream, 1, 12)).toEqual({ maxUnread: 1, bytes: 12 * MB });
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'bp-1' });
    expect(handlerReport(trace, 'bp-1')).toEqual({ writes: 12, waits: 12 });
  });

  it('lambda: streamifyResponse({highWaterMark: 4 MB}) lets 4 MB plus the write that crosses it be in flight, no more', async () => {
    const stream = runtime.invokeStream('floodWide', { size: MB, count: 16 }, { requestId: 'bp-2' });
    expect(await readSlowly(trace, stream, 5, 16)).toEqual({ maxUnread: 5, bytes: 16 * MB });
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'bp-2' });
    expect((handlerReport(trace, 'bp-2') as { waits: number }).waits).toBeGreaterThan(0);
  });

  it('lambda: a handler that ignores write()\'s answer is buffered in its own stream and every byte still arrives, one chunk per write', async () => {
    const stream = runtime.invokeStream('floodIgnoring', { size: MB, count: 6 }, { requestId: 'bp-4' });
    const sizes: number[] = [];
    for await (const chunk of stream.chunks) sizes.push(chunk.length);
    expect(sizes).toEqual([MB, MB, MB, MB, MB, MB]);
    expect(await stream.done).toEqual({ kind: 'success', requestId: 'bp-4' });
    expect(handlerReport(trace, 'bp-4')).toEqual({ writes: 6, refused: 6 });
  });

  it('lambda: after abort() a handler blocked on back-pressure runs to completion: later chunks are dropped unread', async () => {
    const stream = runtime.invokeStream('floodDefault', { size: MB, count: 8 }, { requestId: 'bp-3' });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    expect((await chunks.next()).value).toHaveLength(MB);
    stream.abort();
    expect(await chunks.next()).toEqual({ value: undefined, done: true });
    expect(await stream.done).toEqual({ kind: 'client-gone', requestId: 'bp-3', functionEnd: { kind: 'success', requestId: 'bp-3' } });
    expect(handlerReport(trace, 'bp-3')).toEqual({ writes: 8, waits: 8 });
    expect(trace.events('lambda.stream.chunk').filter((e) => e.requestId === 'bp-3')).toHaveLength(8);
  });
});

describe('lambda: a client that goes away does not stop the function', () => {
  const clock = new ManualClock();
  const { runtime, trace } = testRuntime({ threeChunks: { handler: 'stream-basics.threeChunks', timeout: 60 } }, { clock });
  afterAll(() => runtime.close());

  it('lambda: abort() after chunk 1: the chunks end, the handler writes on and finishes, the trace shows both', async () => {
    const stream = runtime.invokeStream('threeChunks', {}, { requestId: 'gone-1' });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    expect(await nextText(chunks)).toBe('one');
    stream.abort();
    expect(await nextText(chunks)).toBeNull();
    await clock.advance(1_000);
    await clock.advance(1_000);
    expect(await stream.done).toEqual({ kind: 'client-gone', requestId: 'gone-1', functionEnd: { kind: 'success', requestId: 'gone-1' } });
    const events = trace.events().filter((e) => 'requestId' in e && e.requestId === 'gone-1').map((e) => e.type);
    expect(events).toEqual(['lambda.invoke.start', 'lambda.stream.chunk', 'lambda.stream.client-gone', 'lambda.stream.chunk', 'lambda.stream.chunk', 'lambda.log', 'lambda.invoke.end']);
    expect(trace.events('lambda.stream.client-gone')).toEqual([expect.objectContaining({ functionName: 'threeChunks', requestId: 'gone-1', chunks: 1 })]);
    expect(trace.events('lambda.invoke.end').filter((e) => e.requestId === 'gone-1')).toMatchObject([{ outcome: 'success', durationMs: 2_000 }]);
  });

  it('lambda: leaving a for-await loop early is an abort', async () => {
    const stream = runtime.invokeStream('threeChunks', {}, { requestId: 'gone-2' });
    for await (const chunk of stream.chunks) {
      expect(chunk.toString()).toBe('one');
      break;
    }
    await clock.advance(2_000);
    expect(await stream.done).toMatchObject({ kind: 'client-gone', functionEnd: { kind: 'success' } });
  });
});
