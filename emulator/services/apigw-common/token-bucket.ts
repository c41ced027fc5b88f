import type { Clock } from '../../core/clock.ts';

/**
 * API Gateway's throttling algorithm: `rate` tokens per second refill a bucket of `burst` tokens;
 * a request takes one or is throttled. Refills on emulated time, so compressed time throttles alike.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    readonly rate: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  tryTake(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
