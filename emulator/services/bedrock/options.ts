import { z } from 'zod';
import { faultRulesSchema, modelRecord } from './fault-options.ts';
import { guardrailsSchema } from './guardrail-options.ts';
import { latencySchema, modelSettingsSchema } from './latency-options.ts';
import { promptRoutersSchema } from './prompt-router.ts';
import { quotasSchema } from './quota-options.ts';
import { scriptRuleSchema } from './script-options.ts';
import { upstreamOptionsSchema } from './upstream/options.ts';

const mockSchema = z.strictObject({
  /** Mixed into every generated reply: change it to get different (still deterministic) text. */
  seed: z.number().int().default(0),
  /** Output tokens (tokens.ts) of an unscripted reply: at least this many, the last word may add a few. */
  outputTokens: z.number().int().min(1).max(4096).default(40),
  /**
   * Prompt caching (prompt-cache.ts): a cachePoint caches its prefix only when the prefix has at least
   * this many tokens more than the previous cached checkpoint. 1,024 is Claude 3.7 Sonnet's minimum.
   */
  minCacheTokens: z.number().int().min(1).default(1024),
});

export const bedrockOptionsSchema = z.strictObject({
  /** The Bedrock runtime endpoint is on by default; `false` starts no port and sets no endpoint variable. */
  enabled: z.boolean().default(true),
  /**
   * `mock`: replies generated locally, no AWS call. `real`: every request goes to Bedrock, re-signed
   * with your AWS credentials (the SDK's default chain). `record`: as real, and each exchange is written
   * to `upstream.recordings` with its chunk timing, credentials scrubbed. `replay`: recordings only,
   * offline, at their recorded timing on the emulated clock. Faults apply in every mode.
   */
  mode: z.enum(['mock', 'real', 'record', 'replay']).default('mock'),
  /** Where real/record/replay go (upstream/options.ts): region, endpoint, recordings folder. */
  upstream: upstreamOptionsSchema.prefault({}),
  mock: mockSchema.prefault({}),
  /** How fast the model writes (latency-options.ts): TTFT 400 ms, 50 tokens/s, 3 tokens a chunk by default. */
  latency: latencySchema.prefault({}),
  /** Settings per model id or `/regex/` (latency-options.ts): a `latency` merged over `latency`. */
  models: modelRecord(modelSettingsSchema).optional(),
  /** Per-model requests and tokens per minute (quota-options.ts); none by default. */
  quotas: quotasSchema.optional(),
  /** Injected AWS faults (fault-options.ts); none by default. */
  faults: faultRulesSchema.default([]),
  /** What the model answers (script-options.ts): rules, or paths of rule files; none by default. */
  scripts: z.array(z.union([z.string().min(1), scriptRuleSchema])).default([]),
  /** Guardrails by id (guardrail-options.ts); none by default. */
  guardrails: guardrailsSchema.default({}),
  /** Custom prompt routers by id (prompt-router.ts); default routers need no entry. */
  promptRouters: promptRoutersSchema.default({}),
});

export type BedrockOptions = z.infer<typeof bedrockOptionsSchema>;
export type BedrockOptionsInput = z.input<typeof bedrockOptionsSchema>;
export type LatencyOptions = z.infer<typeof latencySchema>;
