import {
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ValidationException,
  type BedrockRuntimeClient,
  type BedrockRuntimeServiceException,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { listenBedrock, sdkClient, TRANSPORTS, type Transport } from './helpers.ts';
import { FAMILY_CASES, isContent, type FamilyCase, type Json } from './invoke-families.ts';

// Real sockets, the unmodified SDK client, compressed time (1 emulated second lasts 1 real ms).
const clock = () => new ScaledClock({ timeScale: 0.001 });
const encode = (body: object) => new TextEncoder().encode(JSON.stringify(body));
const decode = (bytes: Uint8Array | undefined): Json => JSON.parse(Buffer.from(bytes!).toString('utf8'));

async function rejection(promise: Promise<unknown>): Promise<BedrockRuntimeServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as BedrockRuntimeServiceException;
  }
  throw new Error('expected the call to fail');
}

async function streamChunks(client: BedrockRuntimeClient, c: FamilyCase): Promise<Json[]> {
  const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: c.modelId, body: encode(c.body), contentType: 'application/json' }));
  expect(out.contentType).toBe('application/json');
  const chunks: Json[] = [];
  for await (const event of out.body!) chunks.push(decode(event.chunk?.bytes));
  return chunks;
}

describe.each(TRANSPORTS)('InvokeModel through the SDK over %s', (transport: Transport) => {
  describe.each(FAMILY_CASES)('$family ($modelId)', (c) => {
    // A fresh emulator per family: request 1 draws the same seeded ids on every run.
    let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
    let client: BedrockRuntimeClient;
    beforeAll(async () => {
      bedrock = await listenBedrock(clock(), { mock: { seed: 7 } });
      client = sdkClient(bedrock.listener.url, transport);
    });
    afterAll(async () => {
      client.destroy();
      await bedrock.listener.close();
    });

    it('bedrock invoke: InvokeModel answers the family\'s body exactly (golden fixture), as application/json', async () => {
      const out = await client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body), contentType: 'application/json', accept: 'application/json' }));
      expect(out.contentType).toBe('application/json');
      const body = decode(out.body);
      await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot(`../../../fixtures/bedrock/families/${c.family}.invoke.json`);
    });

    it('bedrock invoke: InvokeModelWithResponseStream sends the family\'s chunks in order; their text is InvokeModel\'s; the last carries the invocation metrics', async () => {
      const whole = decode((await client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body) }))).body);
      const chunks = await streamChunks(client, c);
      const kinds = chunks.map(c.kind);
      const content = kinds.filter(isContent).length;
      expect(content).toBeGreaterThan(3);
      expect(kinds).toEqual(c.expectedKinds(content));
      expect(chunks.map(c.chunkText).join('')).toBe(c.text(whole));
      const metrics = chunks.at(-1)['amazon-bedrock-invocationMetrics'];
      expect(chunks.slice(0, -1).every((chunk) => !('amazon-bedrock-invocationMetrics' in chunk))).toBe(true);
      expect(metrics).toEqual({ inputTokenCount: expect.any(Number), outputTokenCount: expect.any(Number), invocationLatency: expect.any(Number), firstByteLatency: 400 });
      const usage = c.usage(whole);
      if (usage) expect([metrics.inputTokenCount, metrics.outputTokenCount]).toEqual(usage);
      expect(metrics.invocationLatency).toBeGreaterThanOrEqual(400 + ((metrics.outputTokenCount - 3) * 1000) / 50 - 1);
    });
  });
});

describe('InvokeModel wire details', () => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  let client: BedrockRuntimeClient;
  beforeAll(async () => {
    bedrock = await listenBedrock(clock());
    client = sdkClient(bedrock.listener.url, 'HTTP/2 (default handler)', { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await bedrock.listener.close();
  });

  it('bedrock invoke: the response carries the token counts and latency headers Bedrock sends', async () => {
    let headers: Record<string, string> = {};
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        headers = (result.response as { headers: Record<string, string> }).headers;
        return result;
      },
      { step: 'deserialize', name: 'captureHeaders' },
    );
    const c = FAMILY_CASES[0]!;
    const body = decode((await client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body) }))).body);
    client.middlewareStack.remove('captureHeaders');
    expect(headers['x-amzn-bedrock-input-token-count']).toBe(String(body.usage.input_tokens));
    expect(headers['x-amzn-bedrock-output-token-count']).toBe(String(body.usage.output_tokens));
    expect(Number(headers['x-amzn-bedrock-invocation-latency'])).toBeGreaterThanOrEqual(400);
  });

  it('bedrock invoke: foundation-model and inference-profile ARNs reach the family of the model they name', async () => {
    const c = FAMILY_CASES[2]!;
    for (const modelId of ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0']) {
      const body = decode((await client.send(new InvokeModelCommand({ modelId, body: encode(c.body) }))).body);
      expect(body.output.message.role).toBe('assistant');
    }
  });

  it('bedrock invoke: a model no family knows raises ValidationException "The provided model identifier is invalid."', async () => {
    const error = await rejection(client.send(new InvokeModelCommand({ modelId: 'mistral.mistral-large-2402-v1:0', body: encode({ prompt: 'hi' }) })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe('The provided model identifier is invalid.');
  });

  it('bedrock invoke: a body that does not fit raises ValidationException with Bedrock\'s schema wording, on both operations', async () => {
    const body = encode({ messages: [{ role: 'user', content: 'hi' }], foo: 1 });
    const expected = 'Malformed input request: #: subject must not be valid against schema {"required":["messages"]}#: required key [max_tokens] not found#: required key [anthropic_version] not found#: extraneous key [foo] is not permitted, please reformat your input and try again.';
    for (const command of [new InvokeModelCommand({ modelId: FAMILY_CASES[0]!.modelId, body }), new InvokeModelWithResponseStreamCommand({ modelId: FAMILY_CASES[0]!.modelId, body })]) {
      const error = await rejection(client.send(command as InvokeModelCommand));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toBe(expected);
    }
  });

  it('bedrock invoke: a body that is not JSON raises the plain malformed-input ValidationException', async () => {
    const error = await rejection(client.send(new InvokeModelCommand({ modelId: FAMILY_CASES[4]!.modelId, body: new TextEncoder().encode('{not json') })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe('Malformed input request, please reformat your input and try again.');
  });

  it('bedrock invoke: an accept type that is not JSON is refused; */* and application/json are served', async () => {
    const c = FAMILY_CASES[4]!;
    const error = await rejection(client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body), accept: 'text/plain' })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toBe('The requested accept type text/plain is not supported. Use application/json.');
    const streamError = await rejection(client.send(new InvokeModelWithResponseStreamCommand({ modelId: c.modelId, body: encode(c.body), accept: 'image/png' })));
    expect(streamError).toBeInstanceOf(ValidationException);
    for (const accept of ['*/*', 'application/json', 'text/html, application/json;q=0.9']) {
      const out = await client.send(new InvokeModelCommand({ modelId: c.modelId, body: encode(c.body), accept }));
      expect(decode(out.body).stop_reason).toBe('stop');
    }
  });

  it('bedrock invoke: max_tokens below the reply cuts it and every family says so in its own words', async () => {
    const small: Record<string, [object, (b: Json) => unknown, unknown]> = {
      'anthropic.claude-3-haiku-20240307-v1:0': [{ anthropic_version: 'bedrock-2023-05-31', max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] }, (b) => b.stop_reason, 'max_tokens'],
      'anthropic.claude-v2': [{ prompt: '\n\nHuman: hi\n\nAssistant:', max_tokens_to_sample: 3 }, (b) => [b.stop_reason, b.stop], ['max_tokens', null]],
      'amazon.nova-micro-v1:0': [{ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 3 } }, (b) => b.stopReason, 'max_tokens'],
      'amazon.titan-text-lite-v1': [{ inputText: 'hi', textGenerationConfig: { maxTokenCount: 3 } }, (b) => b.results[0].completionReason, 'LENGTH'],
      'meta.llama3-70b-instruct-v1:0': [{ prompt: 'hi', max_gen_len: 3 }, (b) => [b.stop_reason, b.generation_token_count], ['length', 3]],
    };
    for (const [modelId, [body, read, expected]] of Object.entries(small)) {
      const out = decode((await client.send(new InvokeModelCommand({ modelId, body: encode(body) }))).body);
      expect(read(out), modelId).toEqual(expected);
    }
  });
});
