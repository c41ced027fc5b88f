import { InvokeWithResponseStreamCommand, type InvokeWithResponseStreamResponseEvent } from '@aws-sdk/client-lambda';
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
    { functions: { threeChunks: fn('threeChunks'), failsMidStream: fn('failsMidStream'), echo: fn('echo'), boom: fn('boom'), httpStream: fn('httpStream') } },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  client = lambdaClient(emulator.endpoints.lambda!);
});
afterAll(async () => {
  client.destroy();
  await emulator.close();
});

/** The SDK's events as `PayloadChunk:<text>` or the InvokeComplete object. */
function describeEvent(event: InvokeWithResponseStreamResponseEvent): unknown {
  if (event.PayloadChunk) return `PayloadChunk:${text(event.PayloadChunk.Payload)}`;
  return { InvokeComplete: event.InvokeComplete };
}

async function readAll(stream: AsyncIterable<InvokeWithResponseStreamResponseEvent>): Promise<unknown[]> {
  const events: unknown[] = [];
  for await (const event of stream) events.push(describeEvent(event));
  return events;
}

const chunkSeqs = (requestId: string) => emulator.trace.events('lambda.stream.chunk').filter((e) => e.requestId === requestId).map((e) => e.chunk);

describe('InvokeWithResponseStream with the unmodified @aws-sdk/client-lambda', () => {
  it('lambda api stream: the SDK holds PayloadChunk 1 before the emulated clock lets the handler write chunk 2', async () => {
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'threeChunks' }));
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.ResponseStreamContentType).toBe('application/octet-stream'); // the stream's own type, as the API reference says
    const requestId = out.$metadata.requestId!;
    const events = out.EventStream![Symbol.asyncIterator]();
    expect(describeEvent((await events.next()).value as InvokeWithResponseStreamResponseEvent)).toBe('PayloadChunk:one');
    // The handler waits on the emulated clock, which has not moved: chunk 2 does not exist yet.
    expect(chunkSeqs(requestId)).toEqual([1]);
    await clock.advance(1_000);
    expect(describeEvent((await events.next()).value as InvokeWithResponseStreamResponseEvent)).toBe('PayloadChunk:two');
    expect(chunkSeqs(requestId)).toEqual([1, 2]);
    await clock.advance(1_000);
    expect(describeEvent((await events.next()).value as InvokeWithResponseStreamResponseEvent)).toBe('PayloadChunk:three');
    expect(describeEvent((await events.next()).value as InvokeWithResponseStreamResponseEvent)).toEqual({ InvokeComplete: {} });
    expect((await events.next()).done).toBe(true);
  });

  it('lambda api stream: a function that fails mid-stream ends with InvokeComplete ErrorCode/ErrorDetails (and its log with Tail)', async () => {
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: `${ARN_PREFIX}failsMidStream`, LogType: 'Tail' }));
    expect(out.StatusCode).toBe(200);
    const requestId = out.$metadata.requestId!;
    const pending = readAll(out.EventStream!);
    await emulator.trace.waitFor('lambda.stream.chunk', (e) => e.requestId === requestId);
    await clock.advance(1_000);
    const events = await pending;
    expect(events.slice(0, -1)).toEqual(['PayloadChunk:partial']);
    const last = events.at(-1) as { InvokeComplete: { ErrorCode: string; ErrorDetails: string; LogResult: string } };
    expect(last.InvokeComplete).toMatchObject({ ErrorCode: 'Error', ErrorDetails: 'mid-stream' });
    const log = decodeLog(last.InvokeComplete.LogResult);
    expect(log.startsWith(`START RequestId: ${requestId} Version: $LATEST\n`)).toBe(true);
    expect(log).toContain(`\t${requestId}\tINFO\tabout to fail\n`);
    expect(log).toMatch(new RegExp(`END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: 1000\\.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\t\n$`));
  });

  it('lambda api stream: a function that fails before writing has no PayloadChunk, only the error in InvokeComplete', async () => {
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'boom' }));
    expect(out.StatusCode).toBe(200);
    expect(await readAll(out.EventStream!)).toEqual([{ InvokeComplete: { ErrorCode: 'Error', ErrorDetails: 'boom' } }]);
  });

  it('lambda api stream: a function that does not stream arrives as one PayloadChunk (its JSON payload)', async () => {
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: Buffer.from('{"n":1}') }));
    expect(await readAll(out.EventStream!)).toEqual(['PayloadChunk:{"echo":{"n":1}}', { InvokeComplete: {} }]);
  });

  it('lambda api stream: an HttpResponseStream prelude reaches the caller as the raw bytes, JSON and 8 NULs', async () => {
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'httpStream' }));
    expect(await readAll(out.EventStream!)).toEqual([`PayloadChunk:{"statusCode":201,"headers":{"content-type":"text/plain"}}${'\0'.repeat(8)}`, 'PayloadChunk:body', { InvokeComplete: {} }]);
  });

  it('lambda api stream: an unknown function is ResourceNotFoundException 404 before any stream', async () => {
    const error = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'nope' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: `Function not found: ${ARN_PREFIX}nope`, $metadata: { httpStatusCode: 404 } });
  });

  it('lambda api stream: a client that goes away mid-stream aborts the read; the function runs on to success', async () => {
    const controller = new AbortController();
    const out = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'threeChunks' }), { abortSignal: controller.signal });
    const requestId = out.$metadata.requestId!;
    const events = out.EventStream![Symbol.asyncIterator]();
    expect(describeEvent((await events.next()).value as InvokeWithResponseStreamResponseEvent)).toBe('PayloadChunk:one');
    controller.abort();
    await events.next().catch(() => undefined);
    const gone = await emulator.trace.waitFor('lambda.stream.client-gone', (e) => e.requestId === requestId);
    expect(gone).toMatchObject({ functionName: 'threeChunks', chunks: 1 });
    await clock.advance(2_000);
    expect(await emulator.trace.waitFor('lambda.invoke.end', (e) => e.requestId === requestId)).toMatchObject({ outcome: 'success', durationMs: 2_000 });
  });
});
