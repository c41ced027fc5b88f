import { ManualClock, type Clock } from '../../../emulator/core/clock.ts';
import type { AwsHttpError } from '../../../emulator/core/errors.ts';
import { buildRequest, type HttpResponse, type RequestInit } from '../../../emulator/core/http.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import type { LocalIssuer } from '../../../emulator/core/local-issuer.ts';
import { memoryLog, type MemoryLog } from '../../../emulator/core/log.ts';
import type { HttpService, ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { httpApiOptionsSchema, type HttpApiOptionsInput } from '../../../emulator/services/apigw-http/options.ts';
import { createHttpApi, type HttpApiExtra } from '../../../emulator/services/apigw-http/router.ts';
import { ResourceNotFoundException } from '../../../emulator/services/lambda-runtime/errors.ts';
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../../emulator/services/lambda-runtime/types.ts';

/** A handler run in-process: the event it gets has been through JSON, as a real one has. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FakeHandler = (event: any) => unknown;

export type FakeFunction =
  | FakeHandler
  | {
      handler?: FakeHandler;
      /** Never answers: the gateway's timeout is the only way out. */
      hang?: true;
      /** Answers after this much emulated time (the handler runs first, its result is held back). */
      delayMs?: number;
      /** Lambda's own timeout: a delay at or past it ends as `Sandbox.Timedout`, as the runtime reports it. */
      lambdaTimeoutMs?: number;
      /** Lambda refuses the invoke (e.g. its 429) and the handler never runs. */
      reject?: AwsHttpError;
    };

/**
 * A LambdaInvoker that answers exactly as the real runtime's contract says (types.ts): a success
 * carries the JSON text of the handler's result (`null` for undefined); a throw is a function error
 * with `{errorType, errorMessage, trace}`; refusals are `rejected`. Time passes only on the clock.
 */
export class FakeLambda implements LambdaInvoker {
  readonly calls: Array<{ functionName: string; event: unknown; options?: InvokeOptions }> = [];
  /** Invocations that have returned (to the gateway or, after a gateway timeout, to nobody). */
  readonly finished: Array<{ functionName: string; outcome: InvokeOutcome }> = [];

  constructor(
    private readonly clock: Clock,
    private readonly functions: Record<string, FakeFunction>,
  ) {}

  hasFunction(name: string): boolean {
    return name in this.functions;
  }

  async invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const event2: unknown = JSON.parse(JSON.stringify(event));
    this.calls.push({ functionName, event: event2, options });
    const outcome = await this.run(functionName, event2, `req-${this.calls.length}`);
    this.finished.push({ functionName, outcome });
    return outcome;
  }

  eventsOf(functionName: string): unknown[] {
    return this.calls.filter((c) => c.functionName === functionName).map((c) => c.event);
  }

  /** Timers are armed before anything awaits, so `clock.advance` right after a request sees them. */
  private run(functionName: string, event: unknown, requestId: string): Promise<InvokeOutcome> {
    const fn = this.functions[functionName];
    if (fn === undefined) return Promise.resolve({ kind: 'rejected', error: new ResourceNotFoundException(`arn:aws:lambda:us-east-1:123456789012:function:${functionName}`) });
    const spec = typeof fn === 'function' ? { handler: fn } : fn;
    if (spec.reject) return Promise.resolve({ kind: 'rejected', error: spec.reject });
    if (spec.hang) return new Promise<never>(() => undefined);
    const delay = spec.delayMs ?? 0;
    const limit = spec.lambdaTimeoutMs ?? Infinity;
    if (delay >= limit) {
      const message = `RequestId: ${requestId} Error: Task timed out after ${(limit / 1000).toFixed(2)} seconds`;
      const fault = { errorType: 'Sandbox.Timedout', errorMessage: message };
      return this.wait(limit).then(() => ({ kind: 'function-error', requestId, error: fault, payload: JSON.stringify(fault) }));
    }
    const waited = delay > 0 ? this.wait(delay) : Promise.resolve();
    return Promise.all([waited, execute(spec.handler, event, requestId)]).then(([, outcome]) => outcome);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }
}

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

async function execute(handler: FakeHandler | undefined, event: unknown, requestId: string): Promise<InvokeOutcome> {
  try {
    const value = await handler?.(event);
    return { kind: 'success', requestId, payload: JSON.stringify(value) ?? 'null' };
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const fault = { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
    return { kind: 'function-error', requestId, error: fault, payload: JSON.stringify(fault) };
  }
}

/** Lets pending promise chains (WebCrypto verification, fake invocations) run; no wall-clock waiting. */
export async function until(condition: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition not reached');
}
