import type { ThrottleReason } from './errors.ts';

/**
 * Lambda's concurrency accounting for synchronous invokes (which Lambda never queues): a function with
 * reserved concurrency may run that many at once, and its reservation is taken out of the account's
 * pool; every other function shares what is left (the "unreserved" pool).
 * [D] https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 */
export class Concurrency {
  private readonly inFlight = new Map<string, number>();
  private unreservedInFlight = 0;
  readonly unreservedLimit: number;

  constructor(
    accountLimit: number,
    private readonly reserved: ReadonlyMap<string, number | undefined>,
  ) {
    let sum = 0;
    for (const r of reserved.values()) sum += r ?? 0;
    this.unreservedLimit = Math.max(0, accountLimit - sum);
  }

  /** Counts one invocation in, or says why Lambda would throttle it. */
  acquire(functionName: string): ThrottleReason | undefined {
    const reserved = this.reserved.get(functionName);
    const running = this.inFlight.get(functionName) ?? 0;
    if (reserved !== undefined) {
      if (running >= reserved) return 'ReservedFunctionConcurrentInvocationLimitExceeded';
    } else {
      if (this.unreservedInFlight >= this.unreservedLimit) return 'ConcurrentInvocationLimitExceeded';
      this.unreservedInFlight++;
    }
    this.inFlight.set(functionName, running + 1);
    return undefined;
  }

  release(functionName: string): void {
    this.inFlight.set(functionName, (this.inFlight.get(functionName) ?? 1) - 1);
    if (this.reserved.get(functionName) === undefined) this.unreservedInFlight--;
  }
}
