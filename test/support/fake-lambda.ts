import type { Clock } from '../../emulator/core/clock.ts';
import type { AwsHttpError } from '../../emulator/core/errors.ts';
import { ResourceNotFoundException } from '../../emulator/services/lambda-runtime/errors.ts';
import { timedOut } from '../../emulator/services/lambda-runtime/function-errors.ts';
import type { FunctionError, InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../emulator/services/lambda-runtime/types.ts';

/** A handler run in-process; its event has been through JSON, as a real one has. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FakeHandler = (event: any) => unknown;

export type FakeFunction =
  | FakeHandler
  | {
      handler?: FakeHandler;
      /** Never answers until `release(name, result)`: otherwise the gateway's timeout is the only way out. */
      hang?: true;
      /** Answers after this much emulated time (the handler runs first, its result is held back). */
      delayMs?: number;
      /** Lambda's own timeout: a `delayMs` at or past it ends as `Sandbox.Timedout` at that instant. */
      lambdaTimeoutMs?: number;
      /**
       * Lambda's own timeout has already fired (at its default 3 s), with no emulated time spent: for
       * tests that want the outcome, not the timing. `delayMs` with `lambdaTimeoutMs` is the timed form.
       */
      lambdaTimeout?: true;
      /** Lambda refuses the invoke (e.g. its 429); the handler never runs. */
      reject?: AwsHttpError;
      /** Answer with this exact payload text instead of a serialised result (malformed output tests). */
      rawPayload?: string;
    };

export interface FakeCall {
  functionName: string;
  event: unknown;
  options?: InvokeOptions;
}

/** Lambda's default function timeout, which `lambdaTimeout: true` reports. */
const DEFAULT_TIMEOUT_MS = 3_000;

/**
 * A LambdaInvoker answering as the runtime's contract says (lambda-runtime/types.ts): a success carries
 * the JSON text of the handler's result (`null` for undefined); a throw is a function error with
 * `{errorType, errorMessage, trace}`; a refusal is `rejected`. Time passes only on the clock given.
 */
export class FakeLambda implements LambdaInvoker {
  readonly calls: FakeCall[] = [];
  /** Invocations that have returned (to the gateway or, after a gateway timeout, to nobody). */
  readonly finished: Array<{ functionName: string; outcome: InvokeOutcome }> = [];
  private readonly held: Array<{ functionName: string; requestId: string; resolve: (o: InvokeOutcome) => void }> = [];
  private readonly waiters: Array<{ functionName: string; count: number; resolve: (c: FakeCall) => void }> = [];

  constructor(
    private readonly clock: Clock,
    private readonly functions: Record<string, FakeFunction> = {},
  ) {}

  hasFunction(name: string): boolean {
    return name in this.functions;
  }

  async invoke(functionName: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome> {
    const call: FakeCall = { functionName, event: JSON.parse(JSON.stringify(event)) as unknown, options };
    this.calls.push(call);
    for (const w of this.waiters.filter((x) => x.functionName === functionName && this.countOf(functionName) >= x.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(call);
    }
    const outcome = await this.run(functionName, call.event, `lambda-req-${this.calls.length}`);
    this.finished.push({ functionName, outcome });
    return outcome;
  }

  /** Resolves once `functionName` has been invoked `count` times in total. */
  invoked(functionName: string, count = 1): Promise<FakeCall> {
    const calls = this.calls.filter((c) => c.functionName === functionName);
    if (calls.length >= count) return Promise.resolve(calls[count - 1]!);
    return new Promise((resolve) => this.waiters.push({ functionName, count, resolve }));
  }

  /** Lets the oldest hanging invocation of `functionName` finish with this handler result. */
  release(functionName: string, result: unknown): void {
    const i = this.held.findIndex((h) => h.functionName === functionName);
    if (i < 0) throw new Error(`Failed to release ${functionName}: no invocation of it is hanging. Give it { hang: true } and await invoked() first.`);
    const [h] = this.held.splice(i, 1);
    h!.resolve(success(h!.requestId, result));
  }

  eventsOf(functionName: string): unknown[] {
    return this.calls.filter((c) => c.functionName === functionName).map((c) => c.event);
  }

  countOf(functionName: string): number {
    return this.calls.filter((c) => c.functionName === functionName).length;
  }

  /** Timers are armed before anything awaits, so `clock.advance` right after a request sees them. */
  private run(functionName: string, event: unknown, requestId: string): Promise<InvokeOutcome> {
    const fn = this.functions[functionName];
    if (fn === undefined) return Promise.resolve({ kind: 'rejected', error: new ResourceNotFoundException(`arn:aws:lambda:us-east-1:123456789012:function:${functionName}`) });
    const spec = typeof fn === 'function' ? { handler: fn } : fn;
    if (spec.reject) return Promise.resolve({ kind: 'rejected', error: spec.reject });
    if (spec.hang) return new Promise((resolve) => this.held.push({ functionName, requestId, resolve }));
    if (spec.lambdaTimeout) return Promise.resolve(timeout(requestId, DEFAULT_TIMEOUT_MS));
    const delay = spec.delayMs ?? 0;
    const limit = spec.lambdaTimeoutMs ?? Infinity;
    if (delay >= limit) return this.wait(limit).then(() => timeout(requestId, limit));
    const answer = spec.rawPayload !== undefined ? Promise.resolve<InvokeOutcome>({ kind: 'success', requestId, payload: spec.rawPayload }) : execute(spec.handler, event, requestId);
    if (delay === 0) return answer;
    return Promise.all([this.wait(delay), answer]).then(([, outcome]) => outcome);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }
}

async function execute(handler: FakeHandler | undefined, event: unknown, requestId: string): Promise<InvokeOutcome> {
  try {
    return success(requestId, await handler?.(event));
  } catch (thrown) {
    const e = thrown instanceof Error ? thrown : new Error(String(thrown));
    return functionError(requestId, { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') });
  }
}

function success(requestId: string, result: unknown): InvokeOutcome {
  return { kind: 'success', requestId, payload: JSON.stringify(result) ?? 'null' };
}

function timeout(requestId: string, limitMs: number): InvokeOutcome {
  return functionError(requestId, timedOut(requestId, limitMs / 1000));
}

function functionError(requestId: string, error: FunctionError): InvokeOutcome {
  return { kind: 'function-error', requestId, error, payload: JSON.stringify(error) };
}
