import { describe, expect, it } from 'vitest';
import { upstreamEndpoint, upstreamOptionsSchema } from '../../../../emulator/services/bedrock/upstream/options.ts';
import { loadBody, storeBody } from '../../../../emulator/services/bedrock/upstream/recording.ts';
import { bodyDifference, bodyValue, identify, recordingFile, requestKey } from '../../../../emulator/services/bedrock/upstream/request-key.ts';

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
const request = (path: string, body: string, headers: Record<string, string> = {}) => ({ method: 'POST', path, headers, body: bodyValue(Buffer.from(body)) });

describe('Bedrock upstream: request keys and recording names', () => {
  it('bedrock recording key: key order, spacing and the encoding of `:` do not change it', () => {
    const a = requestKey(request(`/model/${encodeURIComponent(MODEL)}/converse`, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{"maxTokens":5,"temperature":0}}'));
    const b = requestKey(request(`/model/${MODEL}/converse`, ' {"inferenceConfig":{"temperature":0,"maxTokens":5},\n "messages":[{"content":[{"text":"Hi"}],"role":"user"}]}', { 'content-type': 'application/json; charset=utf-8', accept: '*/*' }));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('bedrock recording key: the body, the operation and x-amzn-bedrock-* headers change it', () => {
    const base = requestKey(request('/model/m/invoke', '{"prompt":"Hi"}'));
    expect(requestKey(request('/model/m/invoke', '{"prompt":"Hi!"}'))).not.toBe(base);
    expect(requestKey(request('/model/m/invoke-with-response-stream', '{"prompt":"Hi"}'))).not.toBe(base);
    expect(requestKey(request('/model/m/invoke', '{"prompt":"Hi"}', { 'X-Amzn-Bedrock-GuardrailIdentifier': 'g1' }))).not.toBe(base);
    expect(requestKey(request('/model/m/invoke', 'not json'))).not.toBe(requestKey(request('/model/m/invoke', 'not json!')));
  });

  it('bedrock recording name: <Operation>/<model slug>-<12 hex>.json, for models, ARNs and guardrails', () => {
    expect(identify(`/model/${encodeURIComponent(MODEL)}/converse-stream`)).toEqual({ operation: 'ConverseStream', modelId: MODEL });
    expect(identify('/guardrail/gr1/version/2/apply')).toEqual({ operation: 'ApplyGuardrail', modelId: 'gr1:2' });
    expect(identify('/async-invoke')).toEqual({ operation: 'Other', modelId: '' });
    const key = 'abcdef0123456789'.repeat(4);
    expect(recordingFile('/r', { operation: 'Converse', modelId: MODEL }, key)).toBe('/r/Converse/anthropic.claude-3-haiku-20240307-v1-0-abcdef012345.json');
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1';
    expect(recordingFile('/r', identify(`/model/${encodeURIComponent(arn)}/converse`), key)).toBe('/r/Converse/arn-aws-bedrock-us-east-1-123456789012-default-prompt-router-anthropic.claude-1-abcdef012345.json');
    expect(recordingFile('/r', { operation: 'Other', modelId: '' }, key)).toBe('/r/Other/no-model-abcdef012345.json');
  });

  it('bedrock recording diff: names the first differing JSON path and counts the differences', () => {
    const a = bodyValue(Buffer.from('{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{"maxTokens":5}}'));
    const b = bodyValue(Buffer.from('{"messages":[{"role":"user","content":[{"text":"Ho"}]}],"inferenceConfig":{"maxTokens":6}}'));
    expect(bodyDifference(a, b)).toEqual({ count: 2, first: '$.inferenceConfig.maxTokens' });
    expect(bodyDifference(a, a)).toEqual({ count: 0 });
  });

  it('bedrock recording body: compact JSON is stored as JSON, anything else keeps its exact bytes', () => {
    for (const bytes of [Buffer.from('{"a":1,"b":[true,null]}'), Buffer.from('{ "a": 1 }'), Buffer.from('{"n":1.0}'), Buffer.from('plain text'), Buffer.from([0, 255, 1, 2])]) {
      expect(loadBody(storeBody(bytes)).equals(bytes)).toBe(true);
    }
    expect(storeBody(Buffer.from('{"a":1}'))).toEqual({ json: { a: 1 } });
    expect(storeBody(Buffer.from('{ "a": 1 }'))).toEqual({ text: '{ "a": 1 }' });
    expect(storeBody(Buffer.from([0, 255]))).toEqual({ base64: 'AP8=' });
  });

  it('bedrock upstream options: defaults, the endpoint derived from the region, and strictness', () => {
    const defaults = upstreamOptionsSchema.parse({});
    expect(defaults).toEqual({ region: 'us-east-1', recordings: 'fixtures/bedrock-recordings' });
    expect(upstreamEndpoint(defaults).href).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/');
    expect(upstreamEndpoint(upstreamOptionsSchema.parse({ region: 'eu-west-3' })).href).toBe('https://bedrock-runtime.eu-west-3.amazonaws.com/');
    expect(upstreamOptionsSchema.safeParse({ endpoint: 'ftp://x' }).success).toBe(false);
    expect(upstreamOptionsSchema.safeParse({ region: 'mars' }).success).toBe(false);
    expect(upstreamOptionsSchema.safeParse({ secretAccessKey: 'x' }).success).toBe(false);
  });
});
