import { z } from 'zod';
import { faultRulesSchema } from './fault-options.ts';

/**
 * Latency of a mid-size model as a client measures it: the first token after `timeToFirstTokenMs`,
 * then `tokensPerSecond`, delivered `tokensPerChunk` at a time. All on the emulated clock, so
 * `timeScale` compresses it and a ManualClock drives it.
 */
const latencySchema = z.strictObject({
  timeToFirstTokenMs: z.number().min(0).default(400),
  tokensPerSecond: z.number().positive().default(50),
  tokensPerChunk: z.number().int().min(1).default(3),
});

const mockSchema = z.strictObject({
  /** Mixed into every generated reply: change it to get different (still deterministic) text. */
  seed: z.number().int().default(0),
  /** Output tokens (tokens.ts) of an unscripted reply: at least this many, the last word may add a few. */
  outputTokens: z.number().int().min(1).max(4096).default(40),
});

export const bedrockOptionsSchema = z.strictObject({
  /** The Bedrock runtime endpoint is on by default; `false` starts no port and sets no endpoint variable. */
  enabled: z.boolean().default(true),
  /** Only `mock` for now: replies generated locally, no AWS call. */
  mode: z.literal('mock').default('mock'),
  mock: mockSchema.prefault({}),
  latency: latencySchema.prefault({}),
  /** Injected AWS faults (fault-options.ts); none by default. */
  faults: faultRulesSchema.default([]),
});

export type BedrockOptions = z.infer<typeof bedrockOptionsSchema>;
export type BedrockOptionsInput = z.input<typeof bedrockOptionsSchema>;
export type LatencyOptions = z.infer<typeof latencySchema>;
