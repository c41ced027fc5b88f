import type { Clock } from '../../core/clock.ts';
import type { Limits } from '../../core/limits.ts';
import type { Trace } from '../../core/trace.ts';
import { accountThrottleBucket } from '../apigw-common/account-throttle.ts';
import type { ThrottleOptions } from '../apigw-common/options.ts';
import { TokenBucket } from '../apigw-common/token-bucket.ts';

/**
 * HTTP API throttling (§3.5): each route has its own bucket, sized by its `RouteSettings` override or
 * else by the stage's default route settings (AWS applies the defaults per route, not to the stage as
 * a whole), and every request also takes a token from the account bucket shared by all APIs (§1.1).
 * Narrowest first, as AWS evaluates them: a request the route refuses never reaches the account bucket.
 */
export type ThrottleHit = 'route' | 'account';

export class HttpApiThrottle {
  private readonly routes = new Map<string, TokenBucket>();
  private readonly account: TokenBucket;

  constructor(
    deps: { clock: Clock; trace: Trace; limits: Limits },
    stage: ThrottleOptions | undefined,
    routes: Iterable<[string, ThrottleOptions | undefined]>,
  ) {
    this.account = accountThrottleBucket(deps);
    for (const [key, own] of routes) {
      const settings = own ?? stage;
      if (settings) this.routes.set(key, new TokenBucket(deps.clock, settings.rateLimit, settings.burstLimit));
    }
  }

  /** Takes a token for a request to `routeKey` (undefined: no route matched), or names the limit hit. */
  take(routeKey: string | undefined): ThrottleHit | undefined {
    const route = routeKey === undefined ? undefined : this.routes.get(routeKey);
    if (route && !route.tryTake()) return 'route';
    if (!this.account.tryTake()) return 'account';
    return undefined;
  }
}
