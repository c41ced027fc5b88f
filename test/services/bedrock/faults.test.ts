import * as sdk from '@aws-sdk/client-bedrock-runtime';
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { listenBedrock, MODEL_ID, sdkClient, TRANSPORTS, userMessage, type Transport } from './helpers.ts';

// Real sockets, the unmodified SDK client, compressed time (1 emulated second lasts 1 real ms).
const clock = () => new ScaledClock({ timeScale: 0.001 });

/** Every HTTP fault of the reference's table (4.7): status and the default message a rule sends. */
const HTTP_FAULTS = [
  ['ThrottlingException', 429, 'Too many requests, please wait before trying again.'],
  ['ModelTimeoutException', 408, 'The model took too long to process the request.'],
  ['ServiceUnavailableException', 503, 'The service is unavailable. Try your request again later.'],
  ['ModelNotReadyException', 429, 'The model is not ready to serve inference requests.'],
  ['ValidationException', 400, 'Malformed input request, please reformat your input and try again.'],
  ['AccessDeniedException', 403, 'You don\'t have access to the model with the specified model ID.'],
  ['ResourceNotFoundException', 404, 'The specified resource could not be found.'],
  ['InternalServerException', 500, 'An internal server error occurred.'],
  ['ModelErrorException', 424, 'The model failed to process the request.'],
  ['ServiceQuotaExceededException', 400, 'Your request exceeds the service quota for your account.'],
] as const;

/** ConverseStream's modeled exceptions (4.4), the ones a rule may send mid-stream. */
const STREAM_FAULTS = ['ThrottlingException', 'ModelStreamErrorException', 'InternalServerException', 'ServiceUnavailableException', 'ValidationException'] as const;

type SdkErrorName = (typeof HTTP_FAULTS)[number][0] | (typeof STREAM_FAULTS)[number];
const sdkClass = (name: SdkErrorName) => sdk[name] as unknown as new (...args: never[]) => sdk.BedrockRuntimeServiceException;

async function rejection(promise: Promise<unknown>): Promise<sdk.BedrockRuntimeServiceException> {
  try {
    await promise;
  } catch (error) {
    return error as sdk.BedrockRuntimeServiceException;
  }
  throw new Error('expected the call to fail');
}

/** Reads the stream until it ends or throws; returns the events seen and what was thrown. */
async function drain(client: BedrockRuntimeClient, modelId: string) {
  const out = await client.send(new ConverseStreamCommand({ modelId, messages: userMessage('Tell me a long story') }));
  const events: ConverseStreamOutput[] = [];
  try {
    for await (const event of out.stream!) events.push(event);
  } catch (error) {
    return { events, error: error as sdk.BedrockRuntimeServiceException };
  }
  return { events, error: undefined };
}

const SAGEMAKER_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-model';

// One attempt: the SDK would otherwise retry 429s and 5xx (reference 4.2) and the test would see the last.
const noRetry = (transport: Transport) => sdkClient(bedrock.listener.url, transport, { maxAttempts: 1 });

let bedrock: Awaited<ReturnType<typeof listenBedrock>>;

describe('Bedrock faults through the SDK', () => {
  beforeAll(async () => {
    bedrock = await listenBedrock(clock(), {
      faults: [
        ...HTTP_FAULTS.map(([error]) => ({ error, on: { model: `fault.${error}` } })),
        ...STREAM_FAULTS.map((error) => ({ error, afterChunks: 2, on: { model: `stream.${error}` } })),
        { error: 'ModelStreamErrorException', afterChunks: 0, on: { model: 'stream.at-once' }, message: 'the model fell over' },
        { error: 'ThrottlingException', on: { model: '/^regex\\.(a|b)$/' }, message: 'slow down' },
        { drop: true, afterChunks: 2, on: { model: 'drop.two' } },
        { error: 'ModelErrorException', originalStatusCode: 503, resourceName: SAGEMAKER_ARN, on: { model: 'fault.fields' } },
        { error: 'ModelStreamErrorException', afterChunks: 1, originalStatusCode: 429, originalMessage: 'upstream overloaded', on: { model: 'stream.fields' } },
      ],
    });
  });
  afterAll(() => bedrock.listener.close());

  describe.each(TRANSPORTS)('over %s', (transport) => {
    let client: BedrockRuntimeClient;
    beforeAll(() => {
      client = noRetry(transport);
    });
    afterAll(() => client.destroy());

    it.each(HTTP_FAULTS)('bedrock fault: %s raises the SDK\'s typed class with status %i and the default message', async (name, status, message) => {
      const error = await rejection(client.send(new ConverseCommand({ modelId: `fault.${name}`, messages: userMessage('hi') })));
      expect(error).toBeInstanceOf(sdkClass(name));
      expect(error.name).toBe(name);
      expect(error.$metadata.httpStatusCode).toBe(status);
      expect(error.message).toBe(message);
      const faultEvent = bedrock.trace.events('bedrock.fault').find((e) => e.modelId === `fault.${name}`);
      expect(faultEvent).toMatchObject({ operation: 'Converse', errorType: name, status });
    });

    it.each(STREAM_FAULTS)('bedrock fault: ConverseStream yields messageStart and exactly 2 chunks, then the iterator throws %s', async (name) => {
      const { events, error } = await drain(client, `stream.${name}`);
      expect(events.map((e) => Object.keys(e)[0])).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta']);
      expect(error).toBeInstanceOf(sdkClass(name));
      expect(error!.name).toBe(name);
    });
  });

  describe.each(TRANSPORTS)('a dropped connection over %s', (transport) => {
    it('bedrock fault: drop after 2 chunks: the SDK yields messageStart and 2 deltas, then its iterator throws a transport error, not a Bedrock exception', async () => {
      const client = noRetry(transport);
      const { events, error } = await drain(client, 'drop.two');
      client.destroy();
      expect(events.map((e) => Object.keys(e)[0])).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta']);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(sdk.BedrockRuntimeServiceException);
      // HTTP/2: the stream is reset; HTTP/1.1: the socket closes mid-body.
      expect((error as NodeJS.ErrnoException).code).toBe(transport === 'HTTP/2 (default handler)' ? 'ERR_HTTP2_STREAM_ERROR' : 'ECONNRESET');
      expect(bedrock.trace.events('bedrock.fault').filter((e) => e.modelId === 'drop.two').at(-1)).toMatchObject({ kind: 'drop', afterChunks: 2 });
    });
  });

  it('bedrock fault: ModelErrorException carries originalStatusCode and resourceName on the SDK\'s exception', async () => {
    const client = noRetry('HTTP/2 (default handler)');
    const error = (await rejection(client.send(new ConverseCommand({ modelId: 'fault.fields', messages: userMessage('hi') })))) as sdk.ModelErrorException;
    const defaults = (await rejection(client.send(new ConverseCommand({ modelId: 'fault.ModelErrorException', messages: userMessage('hi') })))) as sdk.ModelErrorException;
    client.destroy();
    expect(error).toBeInstanceOf(sdk.ModelErrorException);
    expect([error.originalStatusCode, error.resourceName]).toEqual([503, SAGEMAKER_ARN]);
    expect([defaults.originalStatusCode, defaults.resourceName]).toEqual([500, 'fault.ModelErrorException']);
  });

  it('bedrock fault: a mid-stream ModelStreamErrorException carries originalStatusCode and originalMessage on the SDK\'s exception', async () => {
    const client = noRetry('HTTP/1.1 (NodeHttpHandler)');
    const { events, error } = await drain(client, 'stream.fields');
    const defaults = await drain(client, 'stream.ModelStreamErrorException');
    client.destroy();
    expect(events).toHaveLength(2);
    expect(error).toBeInstanceOf(sdk.ModelStreamErrorException);
    const fields = error as sdk.ModelStreamErrorException;
    expect([fields.originalStatusCode, fields.originalMessage]).toEqual([429, 'upstream overloaded']);
    const plain = defaults.error as sdk.ModelStreamErrorException;
    expect([plain.originalStatusCode, plain.originalMessage]).toEqual([500, plain.message]);
  });

  it('bedrock fault: afterChunks 0 throws right after messageStart, with the rule\'s message', async () => {
    const client = noRetry('HTTP/2 (default handler)');
    const { events, error } = await drain(client, 'stream.at-once');
    client.destroy();
    expect(events).toEqual([{ messageStart: { role: 'assistant' } }]);
    expect(error).toBeInstanceOf(sdk.ModelStreamErrorException);
    expect(error!.message).toBe('the model fell over');
  });

  it('bedrock fault: a rule without afterChunks fails ConverseStream before the stream opens; a "/regex/" model matches', async () => {
    const client = noRetry('HTTP/2 (default handler)');
    const error = await rejection(client.send(new ConverseStreamCommand({ modelId: 'regex.b', messages: userMessage('hi') })));
    const ok = await client.send(new ConverseCommand({ modelId: 'regex.c', messages: userMessage('hi') }));
    client.destroy();
    expect(error).toBeInstanceOf(sdk.ThrottlingException);
    expect(error.$metadata.httpStatusCode).toBe(429);
    expect(error.message).toBe('slow down');
    expect(ok.stopReason).toBe('end_turn');
  });

  it('bedrock fault: an afterChunks rule leaves Converse alone (it only applies to streams)', async () => {
    const client = noRetry('HTTP/2 (default handler)');
    const out = await client.send(new ConverseCommand({ modelId: 'stream.ThrottlingException', messages: userMessage('hi') }));
    client.destroy();
    expect(out.stopReason).toBe('end_turn');
  });
});

describe('Bedrock faults and the SDK\'s default retries', () => {
  it('bedrock fault: throttling on requests 1 and 2 is retried by the SDK and succeeds on attempt 3; the trace shows all three', async () => {
    // A fresh emulator: request numbers count from its first request. The SDK's backoff is real time (under 1.5 s).
    const retried = await listenBedrock(clock(), { faults: [{ error: 'ThrottlingException', on: { requestNumber: [1, 2] } }] });
    const client = sdkClient(retried.listener.url, 'HTTP/2 (default handler)');
    try {
      const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('hi') }));
      expect(out.stopReason).toBe('end_turn');
      expect(out.$metadata.attempts).toBe(3);
      expect(retried.trace.events('bedrock.request')).toHaveLength(3);
      expect(retried.trace.events('bedrock.fault').map((e) => [e.requestNumber, e.errorType])).toEqual([[1, 'ThrottlingException'], [2, 'ThrottlingException']]);
      expect(retried.trace.events('bedrock.response').map((e) => e.status)).toEqual([429, 429, 200]);
    } finally {
      client.destroy();
      await retried.listener.close();
    }
  });
});
