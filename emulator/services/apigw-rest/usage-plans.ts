import type { Clock } from '../../core/clock.ts';
import { EmulatorError } from '../../core/errors.ts';
import { stableId } from '../../core/ids.ts';
import { TokenBucket } from '../apigw-common/token-bucket.ts';
import type { RestApiOptions } from './options.ts';

/**
 * API keys and usage plans (reference §2.8). A key is valid for this stage only if it exists, is
 * enabled and belongs to a usage plan: AWS answers 403 Forbidden for a key that is in no usage plan of
 * the stage (repost knowledge-center api-gateway-troubleshoot-403-forbidden).
 *
 * Usage-plan throttling is per key (one bucket per key, across the stage's methods). Quotas count
 * requests per calendar period in UTC: DAY from midnight, WEEK from Monday midnight (ISO week),
 * MONTH from the 1st. AWS documents the periods but not their boundaries; these are the emulator's.
 */

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

export function periodStart(epochMs: number, period: QuotaPeriod): number {
  const d = new Date(epochMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'MONTH') return Date.UTC(y, m, 1);
  const day = Date.UTC(y, m, d.getUTCDate());
  if (period === 'DAY') return day;
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return day - sinceMonday * 86_400_000;
}

export class QuotaCounter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private used = 0;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly period: QuotaPeriod,
  ) {}

  /** Counts one request; false once `limit` requests were made in the current period. */
  tryConsume(): boolean {
    const start = periodStart(this.clock.now(), this.period);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used++;
    return true;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }
}

export interface ApiKeyRecord {
  name: string;
  id: string;
  value: string;
  planName: string;
  bucket?: TokenBucket;
  throttleDetail: string;
  quota?: QuotaCounter;
}

/** Enabled keys that belong to a usage plan, by key value. */
export function compileApiKeys(apiName: string, apiId: string, options: RestApiOptions, clock: Clock): Map<string, ApiKeyRecord> {
  const byValue = new Map<string, ApiKeyRecord>();
  const planned = new Set<string>();
  for (const [planName, plan] of Object.entries(options.usagePlans)) {
    for (const keyName of plan.apiKeys) {
      const key = options.apiKeys[keyName];
      if (!key) {
        throw new EmulatorError(
          'ERR_CONFIG_VALIDATION',
          `Failed to create REST API "${apiName}": usage plan "${planName}" lists unknown API key "${keyName}". Declare it under "apiKeys".`,
        );
      }
      // AWS allows a key in one usage plan per stage: the first plan that lists it wins.
      if (planned.has(keyName) || !key.enabled) continue;
      planned.add(keyName);
      byValue.set(key.value, {
        name: keyName,
        id: stableId(`${apiId}:key:${keyName}`, 10),
        value: key.value,
        planName,
        bucket: plan.throttle ? new TokenBucket(clock, plan.throttle.rateLimit, plan.throttle.burstLimit) : undefined,
        throttleDetail: plan.throttle ? `usage plan "${planName}" key "${keyName}": rate ${plan.throttle.rateLimit}/s, burst ${plan.throttle.burstLimit}` : '',
        quota: plan.quota ? new QuotaCounter(clock, plan.quota.limit, plan.quota.period) : undefined,
      });
    }
  }
  return byValue;
}
