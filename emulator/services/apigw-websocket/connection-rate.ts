import type { Clock } from '../../core/clock.ts';
import type { Limits } from '../../core/limits.ts';
import type { Trace } from '../../core/trace.ts';
import { TokenBucket } from '../apigw-common/token-bucket.ts';

/**
 * New WebSocket connections per second are an account quota (500/s per Region), shared by every
 * WebSocket API of one emulator: keyed by its one Trace, as the account throttle is
 * (apigw-common/account-throttle.ts). AWS documents no burst: one second's worth, our choice.
 */
const buckets = new WeakMap<Trace, TokenBucket>();

export function accountConnectionBucket(deps: { clock: Clock; trace: Trace; limits: Limits }): TokenBucket {
  let bucket = buckets.get(deps.trace);
  if (!bucket) {
    const rate = deps.limits.websocketNewConnectionsPerSecond;
    bucket = new TokenBucket(deps.clock, rate, Math.max(1, rate));
    buckets.set(deps.trace, bucket);
  }
  return bucket;
}
