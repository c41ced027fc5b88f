import { describe, expect, it } from 'vitest';
import { ValidationException } from '../../../../emulator/services/bedrock/errors.ts';
import { baseModelId, resolveFamily } from '../../../../emulator/services/bedrock/families/resolve.ts';

/** Model id (as a request names it) → family. */
const TABLE: Array<[string, string]> = [
  ['anthropic.claude-3-haiku-20240307-v1:0', 'anthropic-messages'],
  ['anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic-messages'],
  ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic-messages'],
  ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'anthropic-messages'],
  ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0', 'anthropic-messages'],
  ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic-messages'],
  ['arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1', 'anthropic-messages'],
  ['anthropic.claude-v2', 'anthropic-text'],
  ['anthropic.claude-v2:1', 'anthropic-text'],
  ['anthropic.claude-instant-v1', 'anthropic-text'],
  ['amazon.nova-micro-v1:0', 'nova'],
  ['apac.amazon.nova-pro-v1:0', 'nova'],
  ['global.amazon.nova-2-lite-v1:0', 'nova'],
  ['amazon.titan-text-express-v1', 'titan-text'],
  ['amazon.titan-text-premier-v1:0', 'titan-text'],
  ['amazon.titan-tg1-large', 'titan-text'],
  ['meta.llama3-8b-instruct-v1:0', 'llama'],
  ['us.meta.llama3-2-11b-instruct-v1:0', 'llama'],
];

describe('InvokeModel families', () => {
  it.each(TABLE)('bedrock invoke: %s speaks the %s body format', (modelId, family) => {
    expect(resolveFamily(modelId).family.name).toBe(family);
  });

  it('bedrock invoke: ARNs and cross-region prefixes resolve to the foundation-model id', () => {
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0')).toBe('meta.llama3-8b-instruct-v1:0');
    expect(baseModelId('us.amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
  });

  it.each(['mistral.mistral-large-2402-v1:0', 'cohere.command-r-v1:0', 'amazon.nova-canvas-v1:0', 'amazon.titan-embed-text-v2:0', 'no-such-model'])(
    'bedrock invoke: %s has no emulated family and is rejected as an invalid model identifier',
    (modelId) => {
      expect(() => resolveFamily(modelId)).toThrow(ValidationException);
      expect(() => resolveFamily(modelId)).toThrow('The provided model identifier is invalid.');
    },
  );
});
