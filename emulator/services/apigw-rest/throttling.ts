import type { Trace } from '../../core/trace.ts';
import type { RestApiModel, RestRoute } from './api-model.ts';
import { GATEWAY_ERRORS, type RestApiError } from './errors.ts';
import type { ApiKeyRecord } from './usage-plans.ts';

/**
 * Throttling in AWS's documented order, narrowest first (reference §1.1): the client's usage-plan
 * bucket, then the method's stage limits, then the account bucket shared by every API. A request
 * refused by a narrower bucket takes no token from the wider ones. Every refusal is a trace
 * `limit.hit` naming the level, so scenarios can tell which limit bit.
 */
export function takeThrottleTokens(api: RestApiModel, trace: Trace, route: RestRoute, key: ApiKeyRecord | undefined): RestApiError | undefined {
  if (key?.bucket && !key.bucket.tryTake()) {
    trace.record('limit.hit', { limit: 'apigw.usage-plan.throttle', api: api.name, detail: key.throttleDetail });
    return GATEWAY_ERRORS.throttled;
  }
  if (route.throttle && !route.throttle.bucket.tryTake()) {
    trace.record('limit.hit', { limit: 'apigw.method.throttle', api: api.name, detail: route.throttle.detail });
    return GATEWAY_ERRORS.throttled;
  }
  if (!api.accountBucket.tryTake()) {
    const b = api.accountBucket;
    trace.record('limit.hit', { limit: 'apigw.account.throttle', api: api.name, detail: `account: rate ${b.rate}/s, burst ${b.burst}` });
    return GATEWAY_ERRORS.throttled;
  }
  return undefined;
}

/** Counts the request against the key's usage-plan quota; a throttled request never gets here. */
export function consumeQuota(api: RestApiModel, trace: Trace, key: ApiKeyRecord): RestApiError | undefined {
  if (!key.quota || key.quota.tryConsume()) return undefined;
  trace.record('limit.hit', {
    limit: 'apigw.usage-plan.quota',
    api: api.name,
    detail: `usage plan "${key.planName}" key "${key.name}": ${key.quota.limit} requests per ${key.quota.period}`,
  });
  return GATEWAY_ERRORS.quotaExceeded;
}
