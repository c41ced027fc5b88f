import { ManualClock } from '../../../emulator/core/clock.ts';
import { buildRequest, type HttpResponse, type RequestInit } from '../../../emulator/core/http.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import { memoryLog, type MemoryLog } from '../../../emulator/core/log.ts';
import type { HttpService, ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { restApiOptionsSchema, type RestApiOptionsInput } from '../../../emulator/services/apigw-rest/options.ts';
import { createRestApi, type RestApiHooks } from '../../../emulator/services/apigw-rest/router.ts';
import { FakeLambda, type FakeFunction } from '../../support/fake-lambda.ts';

// Tests describe their functions in setup()'s terms, so the type comes with the harness.
export type { FakeFunction };

export interface Harness {
  clock: ManualClock;
  trace: Trace;
  log: MemoryLog;
  lambda: FakeLambda;
  deps: ServiceDeps;
  api: HttpService;
  /** `path` includes the stage. */
  send(init: RequestInit): Promise<HttpResponse>;
}

export function setup(
  options: RestApiOptionsInput,
  functions: Record<string, FakeFunction> = {},
  extra: { limits?: Partial<Record<LimitName, number>>; hooks?: RestApiHooks; name?: string; share?: Harness } = {},
): Harness {
  const clock = extra.share?.clock ?? new ManualClock();
  const trace = extra.share?.trace ?? new Trace(clock);
  const log = memoryLog();
  const lambda = new FakeLambda(clock, functions);
  const deps: ServiceDeps = { clock, trace, log, limits: resolveLimits(extra.limits), lambda, region: 'us-east-1', accountId: '123456789012' };
  const api = createRestApi(extra.name ?? 'shop', restApiOptionsSchema.parse(options), deps, extra.hooks);
  return { clock, trace, log, lambda, deps, api, send: (init) => api.handle(buildRequest(init)) };
}

export function header(res: HttpResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return res.headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

export function headerNames(res: HttpResponse): string[] {
  return res.headers.map(([k]) => k);
}

export function bodyText(res: HttpResponse): string {
  return typeof res.body === 'string' ? res.body : res.body.toString('utf8');
}

export function bodyBytes(res: HttpResponse): number {
  return Buffer.byteLength(res.body);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lastEvent(h: Harness, functionName: string): any {
  const events = h.lambda.eventsOf(functionName);
  return events[events.length - 1];
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An Allow policy for every method of every stage of any API. */
export function allowAll(principalId = 'user-1', context?: Record<string, unknown>): Record<string, unknown> {
  return {
    principalId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:*:*:*' }] },
    ...(context ? { context } : {}),
  };
}
