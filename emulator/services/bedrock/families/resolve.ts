import { INVALID_MODEL_ID, ValidationException } from '../errors.ts';
import { anthropicMessages } from './anthropic-messages.ts';
import { anthropicText } from './anthropic-text.ts';
import type { InvokeFamily, ModelRef } from './family.ts';
import { llama } from './llama.ts';
import { nova } from './nova.ts';
import { titanText } from './titan-text.ts';

/**
 * Which body format a model id speaks. InvokeModel takes a foundation-model id, a cross-region
 * inference-profile id (`us.`/`eu.`/`apac.`/`global.` + id), or their ARNs; prompt routers
 * (`…:default-prompt-router/anthropic.claude:1`) name the provider and family the same way.
 */
const FAMILIES: ReadonlyArray<{ pattern: RegExp; family: InvokeFamily }> = [
  // Claude 2 and Instant speak text completions; every later Claude speaks Messages only.
  { pattern: /^anthropic\.claude-(v2|instant-v1)(:|$)/, family: anthropicText },
  { pattern: /^anthropic\.claude/, family: anthropicMessages },
  // Nova's image, video, speech and embedding models have other body formats.
  { pattern: /^amazon\.nova(?!-(canvas|reel|sonic)|.*embed)/, family: nova },
  { pattern: /^amazon\.titan-(text-|tg1-)/, family: titanText },
  { pattern: /^meta\.llama/, family: llama },
];

const PROFILE_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./;
// arn:aws:bedrock:<region>:<account or empty>:<resource type>/<resource id>
const ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]*:\d*:[a-z-]+\/(.+)$/;

export function baseModelId(modelId: string): string {
  const arn = ARN.exec(modelId);
  const id = arn ? arn[1]! : modelId;
  return id.replace(PROFILE_PREFIX, '');
}

/** The family for a model id; an id no family knows is, to the mock, a model that does not exist. */
export function resolveFamily(modelId: string): { family: InvokeFamily; model: ModelRef } {
  const base = baseModelId(modelId);
  const entry = FAMILIES.find((f) => f.pattern.test(base));
  if (!entry) throw new ValidationException(INVALID_MODEL_ID);
  return { family: entry.family, model: { baseModelId: base } };
}
