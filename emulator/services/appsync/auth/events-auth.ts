import type { AuthRequest } from './authorizer.ts';

/**
 * What the Events API's checks hand the authorizer (reference §3.3): the header object, and for
 * SigV4 the synthetic request AWS documents: POST /event over `{}` at connect, `{"channel"}` for a
 * subscribe, `{"channel","events"}` for a publish. A Lambda authorizer sees no GraphQL operation.
 */
export function eventsAuthRequest(headers: Record<string, string>, sourceIp: string, requestId: string, body: string | Buffer): AuthRequest {
  return { headers, sourceIp, requestId, operation: { queryString: '', variables: {} }, signed: { method: 'POST', path: '/event', body } };
}

/** Runs `then` now when the value is already there (API keys), else when the promise settles. */
export function whenSettled<T>(value: T | Promise<T>, then: (settled: T) => void): void {
  if (value instanceof Promise) void value.then(then);
  else then(value);
}
