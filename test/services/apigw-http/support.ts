import { ManualClock } from '../../../emulator/core/clock.ts';
import { buildRequest, type HttpResponse, type RequestInit } from '../../../emulator/core/http.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import type { LocalIssuer } from '../../../emulator/core/local-issuer.ts';
import { memoryLog, type MemoryLog } from '../../../emulator/core/log.ts';
import type { HttpService, ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { httpApiOptionsSchema, type HttpApiOptionsInput } from '../../../emulator/services/apigw-http/options.ts';
import { createHttpApi, type HttpApiExtra } from '../../../emulator/services/apigw-http/router.ts';
import { FakeLambda, type FakeFunction } from '../../support/fake-lambda.ts';

// Tests describe their functions in makeApi()'s terms, so the type comes with the harness.
export type { FakeFunction };

/** Good enough for APIs without JWT authorizers, which never read it. */
export const NO_ISSUER: LocalIssuer = { issuer: 'https://unused.invalid', kid: 'unused', jwks: () => ({ keys: [] }), sign: () => Promise.reject(new Error('no issuer in this test')) };

export interface TestApi {
  api: HttpService;
  clock: ManualClock;
  trace: Trace;
  lambda: FakeLambda;
  log: MemoryLog;
  deps: ServiceDeps;
  send(init: RequestInit): Promise<HttpResponse>;
}

export interface TestApiOptions {
  clock?: ManualClock;
  limits?: Partial<Record<LimitName, number>>;
  issuer?: LocalIssuer;
  baseDir?: string;
  ids?: HttpApiExtra['ids'];
  name?: string;
}

/** A fresh HTTP API over fake functions and a manual clock: no ports, no sleeps. */
export function makeApi(options: HttpApiOptionsInput, functions: Record<string, FakeFunction>, test: TestApiOptions = {}): TestApi {
  const clock = test.clock ?? new ManualClock();
  const trace = new Trace(clock);
  const log = memoryLog();
  const lambda = new FakeLambda(clock, functions);
  const deps: ServiceDeps = { clock, trace, log, limits: resolveLimits(test.limits), lambda, region: 'us-east-1', accountId: '123456789012' };
  const api = createHttpApi(test.name ?? 'chat', httpApiOptionsSchema.parse(options), deps, { baseDir: test.baseDir ?? process.cwd(), issuer: test.issuer ?? NO_ISSUER, ids: test.ids });
  return { api, clock, trace, lambda, log, deps, send: (init) => api.handle(buildRequest(init)) };
}

export function header(response: HttpResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function headerValues(response: HttpResponse, name: string): string[] {
  const lower = name.toLowerCase();
  return response.headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function text(response: HttpResponse): string {
  return typeof response.body === 'string' ? response.body : response.body.toString('utf8');
}

export function byteLength(response: HttpResponse): number {
  return typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length;
}

/** Lets pending promise chains (WebCrypto verification, fake invocations) run; no wall-clock waiting. */
export async function until(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}
