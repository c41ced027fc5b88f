import { describe, expect, it } from 'vitest';
import { MOCK_TEXT_LABEL, mockText } from '../../../emulator/services/bedrock/mock-text.ts';
import { countTokens } from '../../../emulator/services/bedrock/tokens.ts';

const base = { seed: 0, modelId: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: 'Hello', outputTokens: 40 };

describe('Bedrock mock text', () => {
  it('mock text: labelled, deterministic, and derived from prompt, model and seed', () => {
    const text = mockText(base);
    expect(text.startsWith(`${MOCK_TEXT_LABEL} `)).toBe(true);
    expect(mockText(base)).toBe(text);
    expect(mockText({ ...base, prompt: 'Hello!' })).not.toBe(text);
    expect(mockText({ ...base, seed: 1 })).not.toBe(text);
    expect(mockText({ ...base, modelId: 'amazon.nova-lite-v1:0' })).not.toBe(text);
  });

  it('mock text: its length is the configured output tokens, give or take the last word', () => {
    for (const outputTokens of [10, 40, 300]) {
      const tokens = countTokens(mockText({ ...base, outputTokens }));
      expect(tokens).toBeGreaterThanOrEqual(outputTokens);
      expect(tokens).toBeLessThanOrEqual(outputTokens + 3);
    }
  });

  it('tokens: one token per 4 characters, rounded up', () => {
    expect([countTokens(''), countTokens('abcd'), countTokens('abcde'), countTokens('x'.repeat(400))]).toEqual([0, 1, 2, 100]);
  });
});
