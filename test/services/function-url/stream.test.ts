import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import type { RunningEmulator } from '../../../emulator/emulator.ts';
import { handler, openStream, startUrls } from './support.ts';

const MiB = 1024 * 1024;

describe('function URL: RESPONSE_STREAM invoke mode', () => {
  const clock = new ManualClock();
  let emulator: RunningEmulator;
  const url = (name: string) => emulator.endpoints.functionUrls![name]!;
  const streamed = (fn: string) => ({ function: fn, invokeMode: 'RESPONSE_STREAM' as const });
  beforeAll(async () => {
    emulator = await startUrls(
      {
        functions: { ticks: handler('ticks'), raw: handler('raw'), flood: handler('flood'), failsMidStream: handler('failsMidStream'), runsOn: handler('runsOn'), plain: handler('hello') },
        functionUrls: { ticks: streamed('ticks'), raw: streamed('raw'), flood: streamed('flood'), failsMidStream: streamed('failsMidStream'), runsOn: streamed('runsOn'), plain: streamed('plain') },
      },
      clock,
    );
  });
  afterAll(() => emulator.close());
  const chunkSeqs = (requestId: string) => emulator.trace.events('functionurl.chunk').filter((e) => e.requestId === requestId).map((e) => e.chunk);

  it('function URL: the client holds chunk 1 before the handler writes chunk 2; status, headers and cookies come from the prelude', async () => {
    const client = openStream(url('ticks'), clock);
    const response = await client.response;
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'text/event-stream', 'x-custom': 'yes', 'set-cookie': ['session=abc; Secure', 'theme=dark'], 'transfer-encoding': 'chunked' });
    const requestId = response.headers['x-amzn-requestid'] as string;
    await client.received(11);
    expect(client.arrivals.map((a) => a.text)).toEqual(['data: one\n\n']);
    // The handler waits on the emulated clock, which has not moved: chunk 2 does not exist yet.
    expect(emulator.trace.events('lambda.stream.chunk').filter((e) => e.requestId === requestId).map((e) => e.chunk)).toEqual([1]);
    await clock.advance(1_000);
    await client.received(22);
    expect(client.arrivals.at(-1)!.text).toBe('data: two\n\n');
    await clock.advance(1_000);
    expect(await client.finished).toBe('end');
    expect(client.arrivals.map((a) => a.text).join('')).toBe('data: one\n\ndata: two\n\ndata: three\n\n');
    expect(emulator.trace.events('functionurl.chunk').filter((e) => e.requestId === requestId)).toEqual([
      expect.objectContaining({ url: 'ticks', bytes: 11, chunk: 1 }),
      expect.objectContaining({ url: 'ticks', bytes: 11, chunk: 2 }),
      expect.objectContaining({ url: 'ticks', bytes: 13, chunk: 3 }),
    ]);
  });

  it('function URL: without HttpResponseStream.from the response is 200 application/octet-stream', async () => {
    const client = openStream(url('raw'), clock);
    const response = await client.response;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(await client.finished).toBe('end');
    expect(client.arrivals.map((a) => a.text).join('')).toBe('raw bytes');
  });

  it('function URL: a handler that does not stream arrives as its JSON payload', async () => {
    const client = openStream(url('plain'), clock);
    expect((await client.response).headers['content-type']).toBe('application/json');
    expect(await client.finished).toBe('end');
    expect(client.arrivals.map((a) => a.text).join('')).toBe('"Hello, world!"');
  });

  it('function URL: after the first 6 MB the client receives at most 2 MB per emulated second', async () => {
    const start = clock.now();
    const client = openStream(url('flood'), clock, `/?count=10&size=${MiB}`);
    const requestId = (await client.response).headers['x-amzn-requestid'] as string;
    await client.received(6 * MiB);
    // Chunk 7 has reached the function URL, which holds it for the cap.
    await emulator.trace.waitFor('lambda.stream.chunk', (e) => e.requestId === requestId && e.chunk === 7);
    expect(chunkSeqs(requestId)).toEqual([1, 2, 3, 4, 5, 6]);
    await clock.advance(499);
    expect(chunkSeqs(requestId)).toHaveLength(6);
    expect(client.total).toBe(6 * MiB);
    for (let mib = 7; mib <= 10; mib++) {
      await clock.advanceTo(start + (mib - 6) * 500);
      await client.received(mib * MiB);
    }
    expect(await client.finished).toBe('end');
    expect(client.total).toBe(10 * MiB);
    // Every byte past 6 MB arrived no sooner than 2 MB/s allows, and the last exactly when it allows.
    for (const arrival of client.arrivals) expect(arrival.total - 6 * MiB).toBeLessThanOrEqual(((arrival.at - start) / 1000) * 2 * MiB);
    expect(client.arrivals.at(-1)!.at - start).toBe(2_000);
    expect(emulator.trace.events('functionurl.chunk').filter((e) => e.requestId === requestId).map((e) => e.at - start)).toEqual([0, 0, 0, 0, 0, 0, 500, 1_000, 1_500, 2_000]);
  });

  it('function URL: a client that disconnects mid-stream does not stop the function, which runs to its end', async () => {
    const client = openStream(url('runsOn'), clock);
    const requestId = (await client.response).headers['x-amzn-requestid'] as string;
    await client.received(5);
    client.destroy();
    const gone = await emulator.trace.waitFor('lambda.stream.client-gone', (e) => e.requestId === requestId);
    expect(gone).toMatchObject({ functionName: 'runsOn', chunks: 1 });
    await clock.advance(4_000);
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.requestId === requestId);
    expect(end).toMatchObject({ outcome: 'success', durationMs: 4_000 });
    expect(emulator.trace.events('lambda.log').some((e) => e.requestId === requestId && e.text.includes('ran to the end'))).toBe(true);
    expect(chunkSeqs(requestId)).toEqual([1]);
  });

  it('function URL: a function error mid-stream cuts the connection after the bytes already sent', async () => {
    const client = openStream(url('failsMidStream'), clock);
    const response = await client.response;
    expect(response.statusCode).toBe(200);
    await client.received(7);
    await clock.advance(1_000);
    expect(await client.finished).toBe('aborted');
    expect(client.arrivals.map((a) => a.text).join('')).toBe('partial');
  });
});

describe('function URL: RESPONSE_STREAM size limit', () => {
  const clock = new ManualClock();
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startUrls(
      { functions: { flood: handler('flood') }, functionUrls: { flood: { function: 'flood', invokeMode: 'RESPONSE_STREAM' } }, limits: { functionUrlStreamResponseBytes: 20 } },
      clock,
    );
  });
  afterAll(() => emulator.close());

  it('function URL: a stream over functionUrlStreamResponseBytes is cut at the limit', async () => {
    const client = openStream(emulator.endpoints.functionUrls!.flood!, clock, '/?count=3&size=8');
    expect(await client.finished).toBe('aborted');
    expect(client.total).toBe(20);
    expect(emulator.trace.events('limit.hit').map((e) => e.limit)).toEqual(['functionUrlStreamResponseBytes']);
  });
});
