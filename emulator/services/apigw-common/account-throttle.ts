import type { Clock } from '../../core/clock.ts';
import type { Limits } from '../../core/limits.ts';
import type { Trace } from '../../core/trace.ts';
import { TokenBucket } from './token-bucket.ts';

/**
 * The account-level API Gateway bucket. AWS shares one quota across every REST, HTTP and WebSocket API
 * of an account and Region (10,000 rps, burst 5,000), so every API of one emulator must take tokens
 * from the same bucket.
 *
 * Services receive their own `ServiceDeps` object, but one emulator run has exactly one `Trace`, so
 * the bucket is keyed by it: any API built from the same trace shares the bucket without the composer
 * having to pass it around. A caller that wants explicit control passes its own bucket instead.
 */
const buckets = new WeakMap<Trace, TokenBucket>();

export function accountThrottleBucket(deps: { clock: Clock; trace: Trace; limits: Limits }): TokenBucket {
  let bucket = buckets.get(deps.trace);
  if (!bucket) {
    bucket = new TokenBucket(deps.clock, deps.limits.accountThrottleRate, deps.limits.accountThrottleBurst);
    buckets.set(deps.trace, bucket);
  }
  return bucket;
}
