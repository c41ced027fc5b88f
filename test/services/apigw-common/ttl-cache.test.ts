import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits } from '../../../emulator/core/limits.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { accountThrottleBucket } from '../../../emulator/services/apigw-common/account-throttle.ts';
import { stableId } from '../../../emulator/core/ids.ts';
import { TtlCache } from '../../../emulator/services/apigw-common/ttl-cache.ts';

describe('TtlCache', () => {
  it('expires entries on the emulated clock', async () => {
    const clock = new ManualClock();
    const cache = new TtlCache<string>(clock);
    cache.set('k', 'v', 1000);
    await clock.advance(999);
    expect(cache.get('k')).toBe('v');
    await clock.advance(1);
    expect(cache.get('k')).toBeUndefined();
    expect(clock.pendingCount()).toBe(0);
  });

  it('stores nothing for a TTL of 0 and evicts the oldest entry past its cap', () => {
    const cache = new TtlCache<number>(new ManualClock(), 2);
    cache.set('zero', 0, 0);
    expect(cache.get('zero')).toBeUndefined();
    cache.set('a', 1, 1000);
    cache.set('b', 2, 1000);
    cache.set('c', 3, 1000);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([undefined, 2, 3, 2]);
  });
});

describe('account throttle bucket', () => {
  it('is one bucket per trace (one emulator), sized by the limits', () => {
    const clock = new ManualClock();
    const trace = new Trace(clock);
    const limits = resolveLimits({ accountThrottleRate: 3, accountThrottleBurst: 7 });
    const a = accountThrottleBucket({ clock, trace, limits });
    expect(accountThrottleBucket({ clock, trace, limits })).toBe(a);
    expect([a.rate, a.burst]).toEqual([3, 7]);
    expect(accountThrottleBucket({ clock, trace: new Trace(clock), limits })).not.toBe(a);
  });
});

describe('stableId', () => {
  it('is stable, alphanumeric, and depends on the whole seed', () => {
    expect(stableId('api:/a', 6)).toBe(stableId('api:/a', 6));
    expect(stableId('api:/a', 6)).toMatch(/^[a-z0-9]{6}$/);
    expect(stableId('api:/a', 6)).not.toBe(stableId('api:/b', 6));
  });
});
