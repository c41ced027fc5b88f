import type { Clock } from '../../core/clock.ts';

/**
 * A string-keyed cache whose entries expire on the emulated clock, for Lambda authorizer results
 * (REST `authorizerResultTtlInSeconds`, HTTP API `resultTtlInSeconds`). Expiry is checked on read, so
 * no timers stay armed. The size cap only guards memory under load tests with many distinct tokens;
 * AWS documents no such cap, so it evicts the oldest entry, which a real cache would also lose first.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.clock.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** A TTL of 0 or less stores nothing (caching disabled). */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: this.clock.now() + ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
