import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../emulator/core/config.ts';
import { endpointsSchema } from '../../../emulator/core/endpoints.ts';

describe('Bedrock config', () => {
  it('config: the Bedrock mock is on by default, close to a mid-size model (TTFT 400 ms, 50 tokens/s, 3 tokens per chunk)', () => {
    expect(validateConfig({}).bedrock).toEqual({
      enabled: true,
      mode: 'mock',
      upstream: { region: 'us-east-1', recordings: 'fixtures/bedrock-recordings' },
      mock: { seed: 0, outputTokens: 40, minCacheTokens: 1024 },
      latency: { timeToFirstTokenMs: 400, tokensPerSecond: 50, tokensPerChunk: 3 },
      faults: [],
      scripts: [],
      guardrails: {},
      promptRouters: {},
    });
  });

  it('config: partial latency settings keep the other defaults', () => {
    expect(validateConfig({ bedrock: { latency: { tokensPerSecond: 20 } } }).bedrock.latency).toEqual({ timeToFirstTokenMs: 400, tokensPerSecond: 20, tokensPerChunk: 3 });
  });

  it('config: every bad Bedrock setting is reported with its path', () => {
    expect(() => validateConfig({ bedrock: { latency: { tokensPerSecond: 0, tokensPerChunk: 1.5 }, mock: { outputTokens: 0 } } })).toThrow(
      /bedrock\.mock\.outputTokens[\s\S]*bedrock\.latency\.tokensPerSecond[\s\S]*bedrock\.latency\.tokensPerChunk|bedrock\.latency\.tokensPerSecond[\s\S]*bedrock\.latency\.tokensPerChunk[\s\S]*bedrock\.mock\.outputTokens/,
    );
  });

  it('endpoints file: "bedrock" is the runtime endpoint URL, and optional', () => {
    expect(endpointsSchema.parse({ bedrock: 'http://127.0.0.1:4012' }).bedrock).toBe('http://127.0.0.1:4012');
    expect(endpointsSchema.parse({}).bedrock).toBeUndefined();
    expect(endpointsSchema.safeParse({ bedrock: 'not a url' }).success).toBe(false);
  });
});
