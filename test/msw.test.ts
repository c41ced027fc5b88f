import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ThrottlingException,
  type BedrockRuntimeClientConfig,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { setupServer } from 'msw/node';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bedrockHandlers, createBedrockMock } from 'genai-offline/msw';
import { ManualClock } from '../emulator/core/clock.ts';
import { MOCK_TEXT_LABEL } from '../emulator/services/bedrock/mock-text.ts';
import { lazyStream } from '../emulator/services/bedrock/msw-adapter.ts';

// `genai-offline/msw` as a user's unit test sees it: the package export, msw's setupServer with
// unhandled requests as errors, the unmodified SDK client with NodeHttpHandler and no endpoint.
const server = setupServer(...bedrockHandlers());
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const MODEL_ID = 'amazon.nova-micro-v1:0';
// Fixed credentials: the default chain could otherwise ask the instance metadata service (a network call).
const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
const messages = (text: string) => [{ role: 'user' as const, content: [{ text }] }];

function client(extra: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ region: 'us-east-1', credentials, requestHandler: new NodeHttpHandler(), ...extra });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('genai-offline/msw', () => {
  it('msw: Converse from the unmodified client (NodeHttpHandler, no endpoint) is answered by the mock', async () => {
    const out = await client().send(new ConverseCommand({ modelId: MODEL_ID, messages: messages('What is the capital of France?') }));
    expect(out.output!.message!.role).toBe('assistant');
    expect(out.output!.message!.content![0]!.text!.startsWith(MOCK_TEXT_LABEL)).toBe(true);
    expect(out.stopReason).toBe('end_turn');
    expect(out.$metadata).toMatchObject({ httpStatusCode: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('msw: ConverseStream events arrive in Bedrock\'s order through msw', async () => {
    const out = await client().send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: messages('Tell me a story') }));
    const names: string[] = [];
    for await (const event of out.stream!) names.push(Object.keys(event)[0]!);
    const deltas = names.filter((n) => n === 'contentBlockDelta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(names).toEqual(['messageStart', ...Array<string>(deltas).fill('contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata']);
  });

  it('msw: any region\'s endpoint is served, and a percent-encoded ARN reaches the router decoded', async () => {
    const mock = createBedrockMock();
    server.use(...mock.handlers);
    const arn = 'arn:aws:bedrock:eu-west-3:123456789012:inference-profile/eu.amazon.nova-micro-v1:0';
    await client({ region: 'eu-west-3' }).send(new ConverseCommand({ modelId: arn, messages: messages('hi') }));
    expect(mock.trace.events('bedrock.request').map((e) => e.modelId)).toEqual([arn]);
  });

  it('msw: a base URL with a path serves the SDK\'s requests under it, and the router sees AWS\'s paths', async () => {
    const mock = createBedrockMock({ baseUrls: ['http://bedrock.internal.test:8443/proxy/bedrock/'] });
    server.use(...mock.handlers);
    const out = await client({ endpoint: 'http://bedrock.internal.test:8443/proxy/bedrock' }).send(new ConverseCommand({ modelId: MODEL_ID, messages: messages('hi') }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(mock.trace.events('bedrock.response').map((e) => [e.operation, e.modelId, e.status])).toEqual([['Converse', MODEL_ID, 200]]);
  });

  it('msw: a fault rule reaches the client as a typed ThrottlingException with status 429', async () => {
    const mock = createBedrockMock({ bedrock: { faults: [{ error: 'ThrottlingException' }] } });
    server.use(...mock.handlers);
    const error = await rejection(client({ maxAttempts: 1 }).send(new ConverseCommand({ modelId: MODEL_ID, messages: messages('hi') })));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect(mock.trace.events('bedrock.fault')).toHaveLength(1);
  });

  it('msw: with a ManualClock, stream chunks reach the client as the clock advances, not all at the end', async () => {
    const clock = new ManualClock();
    const mock = createBedrockMock({ clock });
    server.use(...mock.handlers);
    const start = clock.now();
    // Advances in 10 ms steps until `promise` settles; returns the emulated instant it settled at.
    const advanceUntil = async (promise: Promise<unknown>): Promise<number> => {
      let settled = false;
      void promise.finally(() => (settled = true));
      while (!settled) await clock.advance(10);
      await promise;
      return clock.now() - start;
    };
    const sent = client().send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: messages('Tell me a story') }));
    await advanceUntil(sent);
    const events = (await sent).stream![Symbol.asyncIterator]();
    const first = events.next();
    expect((await first).value).toEqual({ messageStart: { role: 'assistant' } });
    const firstDeltaAt = await advanceUntil(events.next());
    let last: IteratorResult<ConverseStreamOutput>;
    do {
      const next = events.next();
      await advanceUntil(next);
      last = await next;
    } while (!last.done && !last.value.metadata);
    const latencyMs = last.value!.metadata!.metrics!.latencyMs!;
    // The first delta is due at the 400 ms time to first token; the reply completes much later.
    expect(firstDeltaAt).toBeGreaterThanOrEqual(400);
    expect(firstDeltaAt).toBeLessThan(latencyMs);
  });

  it('msw: the SDK\'s default HTTP/2 handler bypasses msw (connection refused); NodeHttpHandler is intercepted', async () => {
    // Handlers for a local endpoint where nothing listens: msw answering proves interception, and the
    // HTTP/2 client's refusal proves it went to the network (this port) without msw seeing it.
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const mock = createBedrockMock({ baseUrls: [endpoint] });
    server.use(...mock.handlers);
    const command = () => new ConverseCommand({ modelId: MODEL_ID, messages: messages('hi') });

    const viaHttp1 = await client({ endpoint }).send(command());
    expect(viaHttp1.$metadata.httpStatusCode).toBe(200);
    expect(mock.trace.events('bedrock.request')).toHaveLength(1);

    const http2 = new BedrockRuntimeClient({ region: 'us-east-1', credentials, endpoint, maxAttempts: 1 });
    const error = await rejection(http2.send(command()));
    // The SDK reports the refused connect as the cause of a cancelled HTTP/2 stream.
    expect((error.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    expect(mock.trace.events('bedrock.request')).toHaveLength(1);
    http2.destroy();
  });

  it('msw: invalid options fail at once, naming each field as genai-offline.config would', () => {
    expect(() => createBedrockMock({ bedrock: { latency: { tokensPerSecond: 0 } }, timeScale: -1 })).toThrow(
      /Failed to validate genai-offline\/msw options: 2 problems\.\n {2}- timeScale: .*\n {2}- bedrock\.latency\.tokensPerSecond: /,
    );
  });

  it('msw: a response stream is pulled one chunk per read, and cancelling it runs the iterator\'s return()', async () => {
    let pulls = 0;
    let returned = false;
    const source: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: Buffer.from(`chunk ${++pulls}`) }),
        return: async () => ((returned = true), { done: true, value: undefined }),
      }),
    };
    const reader = lazyStream(source).getReader();
    expect(pulls).toBe(0);
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('chunk 1');
    expect(pulls).toBe(1);
    await reader.cancel();
    expect(returned).toBe(true);
  });
});
