import { z } from 'zod';
import { modelTable } from './fault-options.ts';

/**
 * `bedrock.latency` (and its overrides per model and per script rule): how fast the mock model writes,
 * on the emulated clock. The defaults are a mid-size model as a client measures it: the first token
 * after 400 ms, then 50 tokens/s, 3 tokens a chunk, no jitter (so timings are exact unless asked).
 *
 *   latency: { timeToFirstTokenMs: 800, tokensPerSecond: 30, jitter: 0.1 }             // ±10 % on TTFT and every gap
 *   latency: { timeToFirstTokenMs: { distribution: 'lognormal', median: 450, p99: 2000 } }
 *   latency: { gapMs: { distribution: 'normal', mean: 60, stddev: 15, min: 5 } }          // instead of tokensPerSecond
 *   latency: { gapMs: { distribution: 'uniform', min: 20, max: 120 } }
 *
 * - `timeToFirstTokenMs`: a number, or a distribution drawn once per request.
 * - `tokensPerSecond`: each gap lasts its chunk's tokens at this rate (a short last chunk, less).
 * - `gapMs`: instead of `tokensPerSecond` (not both), a distribution drawn for every gap between two
 *   chunks, whatever the chunk's size: the shape to copy from a measured inter-chunk histogram.
 * - `jitter`: 0-1, each TTFT and gap (fixed or drawn) times a uniform factor in [1 - jitter, 1 + jitter].
 * - Distributions: `uniform` {min, max}; `normal` {mean, stddev}; `lognormal` {median, p99} (the
 *   percentiles a latency report gives; sigma = ln(p99 / median) / 2.326). `normal` and `lognormal`
 *   take optional `min` (default 0) and `max` bounds that clamp each draw.
 * - Draws come from a per-request seeded source (bedrock.mock.seed and the request number), so a run
 *   repeats exactly.
 */
const ms = z.number().min(0);
const bounds = { min: ms.optional(), max: ms.optional() };

const distributionSchema = z
  .discriminatedUnion('distribution', [
    z.strictObject({ distribution: z.literal('uniform'), min: ms, max: ms }),
    z.strictObject({ distribution: z.literal('normal'), mean: ms, stddev: ms, ...bounds }),
    z.strictObject({ distribution: z.literal('lognormal'), median: z.number().positive(), p99: z.number().positive(), ...bounds }),
  ])
  .superRefine((d, ctx) => {
    if (d.min !== undefined && d.max !== undefined && d.min > d.max) ctx.addIssue({ code: 'custom', path: ['max'], message: 'max must be at least min' });
    if (d.distribution === 'lognormal' && d.p99 < d.median) ctx.addIssue({ code: 'custom', path: ['p99'], message: 'p99 must be at least the median' });
  });

/** Every field optional, no defaults: what a model's or a script rule's `latency` overrides. */
export const latencyOverrideSchema = z
  .strictObject({
    timeToFirstTokenMs: z.union([ms, distributionSchema]).optional(),
    tokensPerSecond: z.number().positive().optional(),
    gapMs: distributionSchema.optional(),
    tokensPerChunk: z.number().int().min(1).optional(),
    jitter: z.number().min(0).max(1).optional(),
  })
  .superRefine((latency, ctx) => {
    if (latency.tokensPerSecond !== undefined && latency.gapMs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['gapMs'], message: 'set either tokensPerSecond or gapMs, not both' });
    }
  });

export type Distribution = z.infer<typeof distributionSchema>;
export type LatencyOverride = z.infer<typeof latencyOverrideSchema>;

/** The latency a reply is paced with. `gapMs`, when present, replaces `tokensPerSecond`. */
export interface LatencyOptions {
  timeToFirstTokenMs: number | Distribution;
  tokensPerSecond: number;
  gapMs?: Distribution;
  tokensPerChunk: number;
  /** Absent means 0: exact timings. */
  jitter?: number;
}

export const DEFAULT_LATENCY: LatencyOptions = { timeToFirstTokenMs: 400, tokensPerSecond: 50, tokensPerChunk: 3 };

/** `bedrock.latency`: an override of the defaults, complete once parsed. */
export const latencySchema = latencyOverrideSchema.transform((partial): LatencyOptions => mergeLatency(DEFAULT_LATENCY, partial));

/**
 * `partial`'s fields over `base`'s. Setting `tokensPerSecond` drops the base's `gapMs`, so a model
 * override can go back to a plain rate when the global setting is a distribution.
 */
export function mergeLatency(base: LatencyOptions, partial: LatencyOverride | undefined): LatencyOptions {
  if (!partial) return base;
  const merged: LatencyOptions = { ...base };
  if (partial.timeToFirstTokenMs !== undefined) merged.timeToFirstTokenMs = partial.timeToFirstTokenMs;
  if (partial.tokensPerChunk !== undefined) merged.tokensPerChunk = partial.tokensPerChunk;
  if (partial.jitter !== undefined) merged.jitter = partial.jitter;
  if (partial.gapMs !== undefined) merged.gapMs = partial.gapMs;
  if (partial.tokensPerSecond !== undefined) {
    merged.tokensPerSecond = partial.tokensPerSecond;
    delete merged.gapMs;
  }
  return merged;
}

/**
 * `bedrock.models`: settings per model, keyed by model id or `/regex/flags` (an exact id wins, else the
 * first matching regex in the order written).
 *
 *   models: {
 *     'anthropic.claude-3-haiku-20240307-v1:0': { latency: { timeToFirstTokenMs: 250, tokensPerSecond: 120 } },
 *     '/^amazon\\.nova-pro/': { latency: { jitter: 0.2 } },
 *   }
 */
export const modelSettingsSchema = z.strictObject({
  latency: latencyOverrideSchema.optional(),
});

export type ModelSettings = z.infer<typeof modelSettingsSchema>;

interface LatencySource {
  latency: LatencyOptions;
  models?: Readonly<Record<string, ModelSettings>>;
}

const resolved = new WeakMap<LatencySource, (modelId: string) => LatencyOptions>();

/** The latency for `modelId`: the model's `bedrock.models` override merged over `bedrock.latency`. */
export function latencyFor(options: LatencySource, modelId: string): LatencyOptions {
  let resolve = resolved.get(options);
  if (!resolve) {
    const table = modelTable(options.models ?? {});
    const cache = new Map<string, LatencyOptions>();
    resolve = (id) => {
      let latency = cache.get(id);
      if (latency) return latency;
      // Ids come from request paths: bound the cache so a client inventing ids cannot grow it.
      if (cache.size >= 1024) cache.clear();
      cache.set(id, (latency = mergeLatency(options.latency, table(id)?.latency)));
      return latency;
    };
    resolved.set(options, resolve);
  }
  return resolve(modelId);
}
