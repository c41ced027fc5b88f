import { ConverseCommand, ConverseStreamCommand, ServiceUnavailableException, ThrottlingException, ValidationException, type BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, ScaledClock } from '../../../../emulator/core/clock.ts';
import { encodeEvent } from '../../../../emulator/services/bedrock/event-stream.ts';
import type { Recording } from '../../../../emulator/services/bedrock/upstream/recording.ts';
import { MODEL_ID, sdkClient, userMessage } from '../helpers.ts';
import { rawPost, readRecordings, serveUpstream, tempDir, type RawExchange } from './helpers.ts';
import { CONVERSE_JSON, startStandIn, THROTTLE_TYPE, UPSTREAM_CREDENTIALS, type StandIn } from './stand-in.ts';

const STREAM_PROMPT = 'What is the capital of France?';
const FRAMES = [
  encodeEvent('messageStart', { role: 'assistant' }),
  encodeEvent('contentBlockDelta', { delta: { text: 'The capital' }, contentBlockIndex: 0 }),
  encodeEvent('contentBlockDelta', { delta: { text: ' is Paris.' }, contentBlockIndex: 0 }),
  encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
  encodeEvent('messageStop', { stopReason: 'end_turn' }),
  encodeEvent('metadata', { usage: { inputTokens: 7, outputTokens: 4, totalTokens: 11 }, metrics: { latencyMs: 30 } }),
];
const STREAM_PATH = `/model/${encodeURIComponent(MODEL_ID)}/converse-stream`;
const streamBody = (text: string) => JSON.stringify({ messages: userMessage(text) });

let standIn: StandIn;
let dir: string;
let recorded: { events: ConverseStreamOutput[]; converse: unknown };
// Created before anything is recorded: its first miss must not stop it finding later recordings.
let early: Awaited<ReturnType<typeof serveUpstream>>;
const earlyClock = new ManualClock();

beforeAll(async () => {
  standIn = await startStandIn();
  dir = await tempDir();
  early = await serveUpstream('replay', earlyClock, { recordings: dir });
});
afterAll(async () => {
  await early.listener.close();
  await standIn.close();
});

function recordingOf(files: Map<string, string>, prefix: string): Recording {
  const name = [...files.keys()].find((n) => n.startsWith(prefix));
  expect(name, `a recording under ${prefix}`).toBeDefined();
  return JSON.parse(files.get(name!)!) as Recording;
}

describe('Bedrock upstream: record against a stand-in, then replay offline', () => {
  it('bedrock replay: with no recordings, the typed error says the folder is empty', async () => {
    const client = sdkClient(early.listener.url, 'HTTP/1.1 (NodeHttpHandler)', { maxAttempts: 1 });
    const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Hello') })).catch((e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(`Failed to replay Converse for ${MODEL_ID}: no recording in ${dir} matches this request. The folder ${dir} holds no recordings. Record it by running once with bedrock.mode 'record', or edit the closest recording's request.`);
  });

  it('bedrock record: streams pass through chunk by chunk and land in a recording with their timing', async () => {
    const emulator = await serveUpstream('record', new ScaledClock(), { endpoint: standIn.url, recordings: dir });
    const client = sdkClient(emulator.listener.url, 'HTTP/2 (default handler)', { maxAttempts: 1 });
    try {
      const sent = client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage(STREAM_PROMPT) }));
      const control = await standIn.nextStream();
      // The head reached the emulator at once: the trace says so before any frame is released.
      await emulator.trace.waitFor('bedrock.response');
      const events: ConverseStreamOutput[] = [];
      let iterator: AsyncIterator<ConverseStreamOutput> | undefined;
      // Each frame is released only once the SDK has the previous event: a buffering proxy would hang here.
      // (The listener sends a streaming head with its first chunk, so `send` resolves after frame 0.)
      for (const frame of FRAMES) {
        control.write(frame);
        iterator ??= (await sent).stream![Symbol.asyncIterator]();
        const next = await iterator.next();
        events.push(next.value as ConverseStreamOutput);
      }
      control.end();
      expect((await iterator!.next()).done).toBe(true);
      expect(events.map((e) => Object.keys(e)[0])).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);
      expect((await sent).$metadata.requestId).toBe('upstream-1');

      const converse = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Capital of France?') }));
      expect(converse.output!.message!.content![0]!.text).toBe('Paris.');
      const throttled = await client.send(new ConverseCommand({ modelId: 'throttled.model-v1:0', messages: userMessage('Hi') })).catch((e: unknown) => e);
      expect(throttled).toBeInstanceOf(ThrottlingException);
      await emulator.upstream.flush();
      recorded = { events, converse: { ...converse, $metadata: undefined } };

      expect(standIn.received.map((r) => r.auth)).toEqual(['ok', 'ok', 'ok']);
      const files = await readRecordings(dir);
      expect([...files.keys()].map((n) => n.replace(/-[0-9a-f]{12}\.json$/, ''))).toEqual(['Converse/anthropic.claude-3-haiku-20240307-v1-0', 'Converse/throttled.model-v1-0', 'ConverseStream/anthropic.claude-3-haiku-20240307-v1-0']);
      const stream = recordingOf(files, 'ConverseStream/');
      expect(stream.request).toEqual({ method: 'POST', path: STREAM_PATH, headers: { 'content-type': 'application/json' }, body: { json: { messages: userMessage(STREAM_PROMPT) } } });
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers).toEqual([['content-type', 'application/vnd.amazon.eventstream'], ['x-amzn-requestid', 'upstream-1']]);
      // One chunk per released frame, exact bytes, arriving in order after the head.
      expect(stream.response.chunks!.map((c) => c.base64)).toEqual(FRAMES.map((f) => f.toString('base64')));
      const times = [stream.response.atMs, ...stream.response.chunks!.map((c) => c.atMs)];
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(new Set(times).size).toBe(times.length);
      expect(recordingOf(files, 'Converse/anthropic').response).toMatchObject({ status: 200, body: { json: JSON.parse(CONVERSE_JSON) } });
      expect(recordingOf(files, 'Converse/throttled').response).toMatchObject({ status: 429, headers: [['content-type', 'application/json'], ['x-amzn-errortype', THROTTLE_TYPE], ['x-amzn-requestid', 'upstream-3']] });
      expect(emulator.log.lines.filter((l) => l.level === 'info').map((l) => l.message)).toHaveLength(3);
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });

  it('bedrock record: a recording holds no credential, token or signature of the emulator or the caller', async () => {
    const files = await readRecordings(dir);
    expect(files.size).toBe(3);
    for (const text of files.values()) {
      for (const secret of [UPSTREAM_CREDENTIALS.accessKeyId, UPSTREAM_CREDENTIALS.secretAccessKey, UPSTREAM_CREDENTIALS.sessionToken, 'AKIDLOCAL', 'AWS4-HMAC-SHA256', 'Signature=', 'authorization', 'x-amz-date', 'x-amz-security-token', 'amz-sdk']) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('bedrock replay: raw HTTP bytes are the recorded chunks, each released exactly at its recorded atMs', async () => {
    const stream = recordingOf(await readRecordings(dir), 'ConverseStream/');
    const clock = new ManualClock();
    const emulator = await serveUpstream('replay', clock, { recordings: dir });
    try {
      const start = clock.now();
      const pending = rawPost(emulator.listener.url, STREAM_PATH, `  ${JSON.stringify({ messages: userMessage(STREAM_PROMPT) }, null, 2)}`);
      await emulator.trace.waitFor('bedrock.response');
      await clock.advanceTo(start + stream.response.atMs);
      let exchange: RawExchange | undefined;
      for (const [i, chunk] of stream.response.chunks!.entries()) {
        await clock.advanceTo(start + chunk.atMs - 0.001);
        expect(clock.pendingCount()).toBe(1);
        expect(exchange?.received ?? []).toHaveLength(i);
        await clock.advanceTo(start + chunk.atMs);
        // The listener sends a streaming head with the first chunk, so the response arrives with chunk 0.
        exchange ??= await pending;
        expect((await exchange.nextChunk())!.equals(FRAMES[i]!)).toBe(true);
        expect(clock.now()).toBe(start + chunk.atMs);
      }
      exchange = exchange!;
      expect(exchange.response.statusCode).toBe(200);
      expect(exchange.response.headers['content-type']).toBe('application/vnd.amazon.eventstream');
      expect(exchange.response.headers['x-amzn-requestid']).toBe('test-request-id');
      expect(await exchange.nextChunk()).toBeUndefined();
      expect(Buffer.concat(exchange.received).equals(Buffer.concat(FRAMES))).toBe(true);
    } finally {
      await emulator.listener.close();
    }
  });

  it('bedrock replay: the SDK gets the recorded events at the recorded instants, and the same Converse answer', async () => {
    const files = await readRecordings(dir);
    const stream = recordingOf(files, 'ConverseStream/');
    const clock = new ManualClock();
    const emulator = await serveUpstream('replay', clock, { recordings: dir });
    const client: BedrockRuntimeClient = sdkClient(emulator.listener.url, 'HTTP/2 (default handler)', { maxAttempts: 1 });
    try {
      const start = clock.now();
      const sent = client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage(STREAM_PROMPT) }));
      await emulator.trace.waitFor('bedrock.response');
      await clock.advanceTo(start + stream.response.atMs);
      let iterator: AsyncIterator<ConverseStreamOutput> | undefined;
      const events: ConverseStreamOutput[] = [];
      for (const chunk of stream.response.chunks!) {
        const next = iterator?.next();
        await clock.advanceTo(start + chunk.atMs - 0.001);
        expect(clock.pendingCount()).toBe(1);
        await clock.advanceTo(start + chunk.atMs);
        iterator ??= (await sent).stream![Symbol.asyncIterator]();
        events.push((await (next ?? iterator.next())).value as ConverseStreamOutput);
      }
      expect((await iterator!.next()).done).toBe(true);
      expect(events).toEqual(recorded.events);

      const converse = recordingOf(files, 'Converse/anthropic');
      const answer = client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Capital of France?') }));
      await emulator.trace.waitFor('bedrock.response', (e) => e.operation === 'Converse');
      await clock.advance(converse.response.atMs);
      expect({ ...(await answer), $metadata: undefined }).toEqual(recorded.converse);
      const trace = emulator.trace.events('bedrock.response').find((e) => e.operation === 'Converse');
      expect(trace).toMatchObject({ requestId: 'test-request-id', modelId: MODEL_ID, status: 200, inputTokens: 7, outputTokens: 2 });

      const throttled = client.send(new ConverseCommand({ modelId: 'throttled.model-v1:0', messages: userMessage('Hi') })).catch((e: unknown) => e);
      await emulator.trace.waitFor('bedrock.response', (e) => e.status === 429);
      await clock.advance(recordingOf(files, 'Converse/throttled').response.atMs);
      expect(await throttled).toBeInstanceOf(ThrottlingException);
      expect(emulator.trace.events('bedrock.response').at(-1)).toMatchObject({ errorType: 'ThrottlingException' });
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });

  it('bedrock replay: Converse bytes are the upstream body, byte for byte', async () => {
    const converse = recordingOf(await readRecordings(dir), 'Converse/anthropic');
    const clock = new ManualClock();
    const emulator = await serveUpstream('replay', clock, { recordings: dir });
    try {
      const pending = rawPost(emulator.listener.url, `/model/${encodeURIComponent(MODEL_ID)}/converse`, JSON.stringify({ messages: userMessage('Capital of France?') }));
      await emulator.trace.waitFor('bedrock.response');
      await clock.advance(converse.response.atMs);
      const exchange = await pending;
      while (await exchange.nextChunk());
      expect(Buffer.concat(exchange.received).toString('utf8')).toBe(CONVERSE_JSON);
    } finally {
      await emulator.listener.close();
    }
  });

  it('bedrock replay: an unmatched request names the closest recording and where its body differs', async () => {
    // `early` missed before anything was recorded: this miss rescans and sees the three recordings.
    const client = sdkClient(early.listener.url, 'HTTP/1.1 (NodeHttpHandler)', { maxAttempts: 1 });
    const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Capital of Spain?') })).catch((e: unknown) => e);
    const converseFile = [...(await readRecordings(dir)).keys()].find((n) => n.startsWith('Converse/anthropic'))!;
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toBe(`Failed to replay Converse for ${MODEL_ID}: no recording in ${dir} matches this request. Closest recording: ${converseFile} (same operation and model; the request body differs first at $.messages[0].content[0].text (1 difference)). Record it by running once with bedrock.mode 'record', or edit the closest recording's request.`);

    const other = await client.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: userMessage('Capital of France?') })).catch((e: unknown) => e);
    expect((other as Error).message).toContain(`Closest recording: ${converseFile} (same operation, model ${MODEL_ID}; the bodies are equal, the path or x-amzn-bedrock-* headers differ)`);
    // The recorded request itself now replays from the same instance.
    const found = client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Capital of France?') }));
    await early.trace.waitFor('bedrock.response');
    await earlyClock.advance(10_000);
    expect((await found).output!.message!.content![0]!.text).toBe('Paris.');
    client.destroy();
  });

  it('bedrock record: a client that disconnects mid-stream aborts the upstream request, and nothing is recorded', async () => {
    const abortDir = await tempDir();
    const emulator = await serveUpstream('record', new ScaledClock(), { endpoint: standIn.url, recordings: abortDir });
    try {
      const pending = rawPost(emulator.listener.url, STREAM_PATH, streamBody('Tell me a long story'));
      const control = await standIn.nextStream();
      control.write(FRAMES[0]!);
      const exchange = await pending;
      expect((await exchange.nextChunk())!.equals(FRAMES[0]!)).toBe(true);
      exchange.abort();
      await control.closed;
      await emulator.upstream.flush();
      expect((await readRecordings(abortDir)).size).toBe(0);
    } finally {
      await emulator.listener.close();
    }
  });

  it('bedrock record: an upstream cut between frames reaches the SDK as a typed ServiceUnavailableException, and nothing is recorded', async () => {
    const cutDir = await tempDir();
    const emulator = await serveUpstream('record', new ScaledClock(), { endpoint: standIn.url, recordings: cutDir });
    const client = sdkClient(emulator.listener.url, 'HTTP/2 (default handler)', { maxAttempts: 1 });
    try {
      const sent = client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: userMessage('Cut me off') }));
      const control = await standIn.nextStream();
      control.write(FRAMES[0]!);
      const iterator = (await sent).stream![Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual({ messageStart: { role: 'assistant' } });
      control.destroy();
      const error = await iterator.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableException);
      expect((error as Error).message).toMatch(new RegExp(`^Failed to read Bedrock's answer to ConverseStream for ${MODEL_ID.replace(/\./g, '\\.')}: .+\\. The upstream connection failed midway; try again\\.$`));
      await emulator.upstream.flush();
      expect((await readRecordings(cutDir)).size).toBe(0);
      expect(emulator.log.lines.filter((l) => l.level !== 'debug').map((l) => l.level)).toEqual(['warn']);
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });
});
