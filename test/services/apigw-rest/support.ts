import { ManualClock } from '../../../emulator/core/clock.ts';
import type { AwsHttpError } from '../../../emulator/core/errors.ts';
import { buildRequest, type HttpResponse, type RequestInit } from '../../../emulator/core/http.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import { memoryLog, type MemoryLog } from '../../../emulator/core/log.ts';
import type { HttpService, ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { restApiOptionsSchema, type RestApiOptionsInput } from '../../../emulator/services/apigw-rest/options.ts';
import { createRestApi, type RestApiHooks } from '../../../emulator/services/apigw-rest/router.ts';
import { timedOut } from '../../../emulator/services/lambda-runtime/function-errors.ts';
import { ResourceNotFoundException } from '../../../emulator/services/lambda-runtime/errors.ts';
import type { FunctionError, InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../../emulator/services/lambda-runtime/types.ts';

/** A handler run in-process; its event has been through JSON, as a real one has. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FakeHandler = (event: any) => unknown;

export type FakeFunction =
  | FakeHandler
  | {
      handler?: FakeHandler;
      /** Never answers until `release(name)`: the gateway's timeout is the only way out. */
      hang?: true;
      /** Lambda's own timeout fires: `Sandbox.Timedout`, as the runtime reports it. */
      lambdaTimeout?: true;
      /** Lambda refuses the invoke (e.g. its 429); the handler never runs. */
      reject?: AwsHttpError;
      /** Answer with this exact payload text (malformed output tests). */
      rawPayload?: string;
    };

interface Call {
  functionName: string;
  event: unknown;
  options?: InvokeOptions;
}

/**
 * A LambdaInvoker answering as the runtime's contract says (lambda-runtime/types.ts): a success carries
 * the JSON text of the handler's result (`null` for undefined); a throw is a function error with
 * `{errorType, errorMessage, trace}`; a refusal is `rejected`. Nothing here uses real time.
 */
export class FakeLambda implements LambdaInvoker {
  readonly calls: Call[] = [];
  private readonly held: Array<{ functionName: string; resolve: (o: InvokeOutcome) => void; requestId: string }> = [];
  private readonly waiters: Array<{ functionName: string; count: number; resolve: (c: Call) => void }> = [];

  constructor(readonly functions: Record<string, FakeFunction> = {}) {}

  hasFunction(name: string): boolean {
    return name in this.functions;
  }

  async invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const call: Call = { functionName, event: JSON.parse(JSON.stringify(event)) as unknown, options };
    this.calls.push(call);
    const requestId = `lambda-req-${this.calls.length}`;
    for (const w of this.waiters.filter((x) => x.functionName === functionName && this.countOf(functionName) >= x.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(call);
    }
    const fn = this.functions[functionName];
    if (fn === undefined) return { kind: 'rejected', error: new ResourceNotFoundException(`arn:aws:lambda:us-east-1:123456789012:function:${functionName}`) };
    const spec = typeof fn === 'function' ? { handler: fn } : fn;
    if (spec.reject) return { kind: 'rejected', error: spec.reject };
    if (spec.hang) return new Promise((resolve) => this.held.push({ functionName, resolve, requestId }));
    if (spec.lambdaTimeout) return functionError(requestId, timedOut(requestId, 3));
    if (spec.rawPayload !== undefined) return { kind: 'success', requestId, payload: spec.rawPayload };
    return execute(spec.handler ?? (() => undefined), call.event, requestId);
  }

  /** Resolves once `functionName` has been invoked `count` times in total. */
  invoked(functionName: string, count = 1): Promise<Call> {
    const calls = this.calls.filter((c) => c.functionName === functionName);
    if (calls.length >= count) return Promise.resolve(calls[count - 1]!);
    return new Promise((resolve) => this.waiters.push({ functionName, count, resolve }));
  }

  /** Lets a hanging invocation finish with this handler result. */
  release(functionName: string, result: unknown): void {
    const i = this.held.findIndex((h) => h.functionName === functionName);
    const [h] = this.held.splice(i, 1);
    h!.resolve({ kind: 'success', requestId: h!.requestId, payload: JSON.stringify(result) ?? 'null' });
  }

  eventsOf(functionName: string): unknown[] {
    return this.calls.filter((c) => c.functionName === functionName).map((c) => c.event);
  }

  countOf(functionName: string): number {
    return this.calls.filter((c) => c.functionName === functionName).length;
  }
}

function functionError(requestId: string, error: FunctionError): InvokeOutcome {
  return { kind: 'function-error', requestId, error, payload: JSON.stringify(error) };
}

async function execute(handler: FakeHandler, event: unknown, requestId: string): Promise<InvokeOutcome> {
  try {
    const result = await handler(event);
    return { kind: 'success', requestId, payload: JSON.stringify(result) ?? 'null' };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return functionError(requestId, { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') });
  }
}

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
  const lambda = new FakeLambda(functions);
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
