import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { validateConfig } from '../../../emulator/core/config.ts';
import { buildRequest, type StreamingHttpResponse } from '../../../emulator/core/http.ts';
import { eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';
import { latencyFor, latencySchema, mergeLatency, type Distribution, type LatencyOptions } from '../../../emulator/services/bedrock/latency-options.ts';
import type { BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import { chunkGapMs, firstTokenMs, sample } from '../../../emulator/services/bedrock/pacing.ts';
import { prng } from '../../../emulator/services/bedrock/random.ts';
import { bedrockService, MODEL_ID } from './helpers.ts';

const latency = (input: unknown): LatencyOptions => latencySchema.parse(input);

function configError(bedrock: unknown): string {
  try {
    validateConfig({ bedrock });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

/** `count` draws, sorted. */
function draws(d: Distribution, count: number, seed = 1): number[] {
  const draw = prng(seed);
  return Array.from({ length: count }, () => sample(d, draw)).sort((a, b) => a - b);
}
const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The emulated instants (ms from the request) of a ConverseStream's contentBlockDelta frames. */
async function deltaTimes(input: BedrockOptionsInput, modelId = MODEL_ID): Promise<number[]> {
  const clock = new ManualClock();
  const { service } = bedrockService(clock, input);
  const start = clock.now();
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'pace me' }] }] });
  const res = (await service.handle(buildRequest({ method: 'POST', path: `/model/${encodeURIComponent(modelId)}/converse-stream`, body }))) as StreamingHttpResponse;
  const times: number[] = [];
  const done = (async () => {
    for await (const frame of res.body) {
      if (eventStreamCodec.decode(frame).headers[':event-type']!.value === 'contentBlockDelta') times.push(clock.now() - start);
    }
  })();
  await clock.advance(600_000);
  await done;
  return times;
}
const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('Bedrock latency shapes', () => {
  it('latency: the defaults stay exact (TTFT 400 ms, 50 tokens/s, 3 tokens a chunk, no jitter) and draw nothing', () => {
    const defaults = latency({});
    expect(defaults).toEqual({ timeToFirstTokenMs: 400, tokensPerSecond: 50, tokensPerChunk: 3 });
    const draw = () => {
      throw new Error('a fixed latency must not draw');
    };
    expect(firstTokenMs(defaults, draw)).toBe(400);
    expect(chunkGapMs(3, defaults, draw)).toBe(60);
    expect(chunkGapMs(1, defaults, draw)).toBe(20);
  });

  it('latency: jitter 0.1 keeps TTFT and every gap within ±10 %, varies them, and repeats for the same seed', () => {
    const jittery = latency({ jitter: 0.1 });
    const run = (seed: number) => {
      const draw = prng(seed);
      return [firstTokenMs(jittery, draw), ...Array.from({ length: 200 }, () => chunkGapMs(3, jittery, draw))];
    };
    const [ttft, ...gaps] = run(5);
    expect(ttft).toBeGreaterThanOrEqual(360);
    expect(ttft).toBeLessThanOrEqual(440);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(54);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(66);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeGreaterThan(10);
    expect(run(5)).toEqual([ttft, ...gaps]);
    expect(run(6)).not.toEqual([ttft, ...gaps]);
  });

  it('latency: a lognormal {median, p99} draws with that median and 99th percentile', () => {
    const sorted = draws({ distribution: 'lognormal', median: 450, p99: 2000 }, 20_000);
    expect(quantile(sorted, 0.5)).toBeGreaterThan(430);
    expect(quantile(sorted, 0.5)).toBeLessThan(470);
    expect(quantile(sorted, 0.99)).toBeGreaterThan(1800);
    expect(quantile(sorted, 0.99)).toBeLessThan(2200);
  });

  it('latency: a normal {mean, stddev} has that mean and spread, clamped to min/max; a uniform stays in [min, max]', () => {
    const normal = draws({ distribution: 'normal', mean: 60, stddev: 15 }, 20_000);
    expect(mean(normal)).toBeCloseTo(60, 0);
    expect(quantile(normal, 0.8413) - quantile(normal, 0.5)).toBeGreaterThan(14);
    expect(quantile(normal, 0.8413) - quantile(normal, 0.5)).toBeLessThan(16);
    const clamped = draws({ distribution: 'normal', mean: 60, stddev: 100, min: 5, max: 200 }, 5_000);
    expect(clamped[0]).toBe(5);
    expect(clamped.at(-1)).toBe(200);
    const uniform = draws({ distribution: 'uniform', min: 20, max: 120 }, 5_000);
    expect(uniform[0]).toBeGreaterThanOrEqual(20);
    expect(uniform.at(-1)).toBeLessThan(120);
    expect(mean(uniform)).toBeCloseTo(70, -1);
  });

  it('latency: gapMs replaces tokensPerSecond: each gap is one draw whatever the chunk\'s size, and TTFT may be a distribution', async () => {
    const times = await deltaTimes({
      latency: { timeToFirstTokenMs: { distribution: 'uniform', min: 700, max: 700 }, gapMs: { distribution: 'uniform', min: 25, max: 25 } },
      mock: { outputTokens: 10 },
    });
    expect(times[0]).toBe(700);
    expect(gapsOf(times).every((g) => g === 25)).toBe(true);
    expect(times.length).toBeGreaterThan(3);
  });

  it('latency: with jitter the stream\'s timings vary within bounds and repeat exactly for the same seed, not for another', async () => {
    const input = { latency: { jitter: 0.2 }, mock: { seed: 3 } };
    const times = await deltaTimes(input);
    const full = gapsOf(times).slice(0, -1);
    expect(times[0]).toBeGreaterThanOrEqual(320);
    expect(times[0]).toBeLessThanOrEqual(480);
    expect(full.every((g) => g >= 48 && g <= 72)).toBe(true);
    expect(new Set(full).size).toBeGreaterThan(1);
    expect(await deltaTimes(input)).toEqual(times);
    expect(await deltaTimes({ ...input, mock: { seed: 4 } })).not.toEqual(times);
  });

  it('latency: mergeLatency lays a partial over a base; a plain rate drops the base\'s gap distribution', () => {
    const base = latency({ gapMs: { distribution: 'normal', mean: 50, stddev: 5 }, jitter: 0.1 });
    expect(mergeLatency(base, { timeToFirstTokenMs: 900 })).toEqual({ ...base, timeToFirstTokenMs: 900 });
    expect(mergeLatency(base, { tokensPerSecond: 100 })).toEqual({ timeToFirstTokenMs: 400, tokensPerSecond: 100, tokensPerChunk: 3, jitter: 0.1 });
    expect(mergeLatency(latency({}), { gapMs: { distribution: 'uniform', min: 1, max: 2 } }).gapMs).toEqual({ distribution: 'uniform', min: 1, max: 2 });
    expect(mergeLatency(base, undefined)).toBe(base);
  });

  it('latency: latencyFor merges bedrock.models[...].latency over bedrock.latency: the exact id wins, else the first matching regex', () => {
    const options = validateConfig({
      bedrock: {
        latency: { timeToFirstTokenMs: 500 },
        models: {
          '/^anthropic\\./': { latency: { tokensPerSecond: 80 } },
          [MODEL_ID]: { latency: { timeToFirstTokenMs: 250 } },
          '/haiku/': { latency: { tokensPerSecond: 200 } },
        },
      },
    }).bedrock;
    expect(latencyFor(options, MODEL_ID)).toEqual({ timeToFirstTokenMs: 250, tokensPerSecond: 50, tokensPerChunk: 3 });
    expect(latencyFor(options, 'anthropic.claude-3-5-haiku-20241022-v1:0').tokensPerSecond).toBe(80);
    expect(latencyFor(options, 'x.haiku')).toEqual({ timeToFirstTokenMs: 500, tokensPerSecond: 200, tokensPerChunk: 3 });
    expect(latencyFor(options, 'amazon.nova-lite-v1:0')).toBe(options.latency);
  });

  it('latency: a model\'s bedrock.models latency paces its streams; other models keep the global latency', async () => {
    const input = { models: { [MODEL_ID]: { latency: { timeToFirstTokenMs: 100, tokensPerSecond: 100 } } }, mock: { outputTokens: 12 } };
    const own = await deltaTimes(input);
    expect(own[0]).toBe(100);
    expect(gapsOf(own).slice(0, -1).every((g) => g === 30)).toBe(true);
    const other = await deltaTimes(input, 'amazon.nova-lite-v1:0');
    expect(other[0]).toBe(400);
    expect(gapsOf(other)[0]).toBe(60);
  });

  it('config: bad latency shapes are reported with their paths', () => {
    const message = configError({
      latency: {
        tokensPerSecond: 20,
        gapMs: { distribution: 'uniform', min: 9, max: 3 },
        timeToFirstTokenMs: { distribution: 'lognormal', median: 500, p99: 100 },
        jitter: 1.5,
      },
      models: { '/(bad/': { latency: { tokensPerChunk: 0 } }, ok: { latency: { speed: 1 } } },
    });
    for (const part of [
      'bedrock.latency.gapMs.max: max must be at least min',
      'bedrock.latency.timeToFirstTokenMs',
      'bedrock.latency.jitter',
      'bedrock.models["/(bad/"]: not a valid regex',
      'bedrock.models["/(bad/"].latency.tokensPerChunk',
      'bedrock.models.ok.latency',
    ]) {
      expect(message).toContain(part);
    }
    expect(configError({ latency: { tokensPerSecond: 20, gapMs: { distribution: 'uniform', min: 1, max: 3 } } })).toContain('bedrock.latency.gapMs: set either tokensPerSecond or gapMs, not both');
    expect(configError({ latency: { gapMs: { distribution: 'normal', mean: 5 } } })).toContain('bedrock.latency.gapMs');
  });
});
