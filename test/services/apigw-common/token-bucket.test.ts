import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { TokenBucket } from '../../../emulator/services/apigw-common/token-bucket.ts';

describe('TokenBucket', () => {
  it('throttle: allows a burst, then refills at the rate on emulated time', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(clock, 2, 3);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    await clock.advance(499);
    expect(bucket.tryTake()).toBe(false);
    await clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('throttle: never holds more than the burst', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(clock, 100, 2);
    await clock.advance(60_000);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
  });

  it('throttle: a zero burst throttles everything', () => {
    expect(new TokenBucket(new ManualClock(), 10, 0).tryTake()).toBe(false);
  });
});
