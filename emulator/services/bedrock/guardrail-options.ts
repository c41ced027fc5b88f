import { z } from 'zod';
import { modelPattern } from './fault-options.ts';

/**
 * `bedrock.guardrails`: guardrails by id, for Converse's `guardrailConfig`, InvokeModel's guardrail
 * headers and ApplyGuardrail. Word and topic policies only, and keyword-based: a denied topic is
 * detected when one of its patterns occurs, not by a semantic classifier as in AWS.
 *
 *   guardrails: {
 *     gr1: {
 *       deniedWords: ['password', 'wire transfer'],
 *       deniedTopics: [{ name: 'Investment advice', patterns: ['stocks', '/\\bbuy (shares|bonds)\\b/i'] }],
 *       blockedInputMessage: 'Sorry, I cannot help with that.',
 *     },
 *   }
 *
 * - Words and plain patterns match case-insensitively as whole words or phrases ("stock" does not
 *   match "stocks"); a `/pattern/flags` string is a regex as written.
 * - `version`: the one version requests may name besides `DRAFT`; unset, any version is accepted.
 * - The blocked messages default to the console's default text.
 * - `latencyMs`: emulated processing time reported in `invocationMetrics` and waited by ApplyGuardrail.
 */
export const DEFAULT_BLOCKED_MESSAGE = 'Sorry, the model cannot answer this question.';

const patternSchema = z.string().min(1).superRefine((value, ctx) => {
  try {
    modelPattern(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regex: ${(error as Error).message}` });
  }
});

const topicSchema = z.strictObject({
  name: z.string().min(1).max(100),
  /** Kept for parity with AWS's topic definition; matching uses `patterns` only. */
  definition: z.string().optional(),
  patterns: z.array(patternSchema).min(1),
});

const guardrailSchema = z.strictObject({
  version: z.string().regex(/^(DRAFT|[1-9][0-9]{0,7})$/, 'a version is "DRAFT" or a number').optional(),
  deniedWords: z.array(z.string().min(1)).default([]),
  deniedTopics: z.array(topicSchema).default([]),
  blockedInputMessage: z.string().min(1).default(DEFAULT_BLOCKED_MESSAGE),
  blockedOutputMessage: z.string().min(1).default(DEFAULT_BLOCKED_MESSAGE),
  latencyMs: z.number().min(0).default(0),
});

/** Keyed by guardrail id (what the request names, or the last part of its ARN). */
export const guardrailsSchema = z.record(z.string().regex(/^[a-z0-9]+$/, 'guardrail ids are lowercase letters and digits'), guardrailSchema);

export type GuardrailOptions = z.infer<typeof guardrailSchema>;
