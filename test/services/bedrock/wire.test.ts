import { ConverseCommand, ResourceNotFoundException } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../emulator/core/clock.ts';
import { buildRequest, headerValue, type HttpResponse } from '../../../emulator/core/http.ts';
import { bedrockService, listenBedrock, MODEL_ID, sdkClient, userMessage } from './helpers.ts';

// The error wire format the SDK parses (reference 4.7): status, x-amzn-errortype, {"message"}.
describe('Bedrock runtime errors on the wire', () => {
  const { service, trace } = bedrockService(new ScaledClock({ timeScale: 0.001 }));
  const post = (path: string, body: string) => service.handle(buildRequest({ method: 'POST', path, body })) as Promise<HttpResponse>;

  it('bedrock: a body that is not JSON is a 400 ValidationException with x-amzn-errortype and a JSON message', async () => {
    const res = await post(`/model/${encodeURIComponent(MODEL_ID)}/converse`, '{not json');
    expect(res.status).toBe(400);
    expect(headerValue(res.headers, 'x-amzn-errortype')).toBe('ValidationException');
    expect(headerValue(res.headers, 'content-type')).toBe('application/json');
    expect(headerValue(res.headers, 'x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(String(res.body))).toEqual({ message: 'Malformed input request, please reformat your input and try again.' });
  });

  it('bedrock: a body of the wrong shape names the member that is wrong', async () => {
    const res = await post(`/model/${MODEL_ID}/converse`, '{"messages":[{"role":"system","content":[]}]}');
    expect(res.status).toBe(400);
    expect(JSON.parse(String(res.body)).message).toMatch(/^Malformed input request, please reformat your input and try again\. messages\.0\.role: /);
  });

  it('bedrock: a path that is no Bedrock runtime operation is a 404 ResourceNotFoundException, recorded in the trace', async () => {
    const res = await post('/model/x/unknown-op', '{}');
    expect(res.status).toBe(404);
    expect(headerValue(res.headers, 'x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(JSON.parse(String(res.body))).toEqual({ message: 'No Bedrock runtime operation at POST /model/x/unknown-op.' });
    expect(trace.events('bedrock.response').at(-1)).toMatchObject({ status: 404, errorType: 'ResourceNotFoundException' });
  });

  it('bedrock: GET on an operation path is not that operation', async () => {
    const res = (await service.handle(buildRequest({ method: 'GET', path: `/model/${MODEL_ID}/converse` }))) as HttpResponse;
    expect(res.status).toBe(404);
  });
});

describe('Bedrock runtime ResourceNotFoundException through the SDK', () => {
  let bedrock: Awaited<ReturnType<typeof listenBedrock>>;
  beforeAll(async () => {
    bedrock = await listenBedrock(new ScaledClock({ timeScale: 0.001 }));
  });
  afterAll(() => bedrock.listener.close());

  it('bedrock: the SDK raises a typed ResourceNotFoundException with status 404 for an unknown operation path', async () => {
    const client = sdkClient(bedrock.listener.url, 'HTTP/2 (default handler)');
    // Send a real Converse request to a path the service does not serve.
    client.middlewareStack.add((next) => (args) => {
      (args.request as { path: string }).path = '/model/x/not-an-operation';
      return next(args);
    }, { step: 'build' });
    const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('hi') })).then(() => undefined, (e: unknown) => e);
    client.destroy();
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });
});
