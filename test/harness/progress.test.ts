import { describe, expect, it } from 'vitest';
import { formatResult } from '../../emulator/harness/progress.ts';
import { tokenTiming } from '../../emulator/harness/stream-client.ts';
import type { ScenarioResult } from '../../emulator/harness/results.ts';

const base: ScenarioResult = { name: 'function-url-stream', pattern: 'response-streaming', description: 'd', tags: [], status: 'passed', steps: [], realMs: 549.4, emulatedMs: 2_400 };

describe('progress and token timing', () => {
  it('progress: a scenario\'s metrics are listed under its line', () => {
    expect(formatResult({ ...base, metrics: { 'function-url.ttftMs': 685.1, 'function-url.arrivals': 14 } })).toBe(
      '✓ function-url-stream  549 ms real, 2.4 s emulated\n    function-url.ttftMs 685.1, function-url.arrivals 14\n',
    );
    expect(formatResult(base)).toBe('✓ function-url-stream  549 ms real, 2.4 s emulated\n');
  });

  it('token timing: TTFT is the first arrival; ITL excludes the first token; tokens/s over the whole request', () => {
    // 5 tokens arriving in 3 reads at 400, 460 and 540 ms after sending.
    expect(tokenTiming([400, 460, 540], 5)).toEqual({ ttftMs: 400, itlMs: 35, tokensPerSecond: 5 / 0.54, medianGapMs: 70, maxGapMs: 80, arrivals: 3 });
    expect(tokenTiming([250], 1)).toEqual({ ttftMs: 250, itlMs: 0, tokensPerSecond: 4, medianGapMs: 0, maxGapMs: 0, arrivals: 1 });
    expect(tokenTiming([], 3)).toBeUndefined();
    expect(tokenTiming([10], 0)).toBeUndefined();
  });
});
