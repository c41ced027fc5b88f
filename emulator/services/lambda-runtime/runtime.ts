import type { Clock } from '../../core/clock.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import type { Limits } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import { Concurrency } from './concurrency.ts';
import { coldStart, type ColdStartDeps, type FunctionState } from './cold-start.ts';
import { Scheduler, type Grant } from './scheduler.ts';
import { reservedKeysIn } from './env-vars.ts';
import { InvalidRequestContentException, RequestTooLargeException, ResourceNotFoundException, TooManyRequestsException } from './errors.ts';
import type { ChunkSink, ExecutionEnvironment } from './execution-environment.ts';
import { runtimeUnknown } from './function-errors.ts';
import { describeCause, exceedsBytes, functionErrorOutcome, runInvocation } from './invocation.ts';
import { functionArn } from './names.ts';
import type { FunctionOptions } from './options.ts';
import { StreamInvocation } from './stream-invocation.ts';
import type { InvokeOptions, InvokeOutcome, InvokeStream, LambdaInvoker, LambdaStreamInvoker } from './types.ts';
import { workerEntry } from './worker-bundle.ts';

export interface LambdaRuntimeOptions {
  /** Parsed by the config schema: defaults applied. */
  functions: Record<string, FunctionOptions>;
  /** Handler paths are relative to this folder (the functions' LAMBDA_TASK_ROOT). */
  baseDir: string;
  region: string;
  accountId: string;
  clock: Clock;
  trace: Trace;
  log: Log;
  limits: Limits;
  /** Variables every function gets below its own, e.g. an `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` for a mock. */
  sharedEnvironment?: Record<string, string>;
  /** Resolves `{endpoint}` references in functions' environments (see options.ts); `startEmulator` answers from its endpoints. */
  resolveEndpoint?: (path: string) => string | undefined;
  /**
   * Certificates (PEM, one or more) that TLS clients in handler code trust besides Node's bundled
   * roots: the emulator's local CA, so `https://` calls to its own ports verify, plus the process's
   * NODE_EXTRA_CA_CERTS (core/local-ca.ts `workerTrustPem` builds it). No environment variable shows it.
   */
  trustedCaPem?: string;
}

export interface LambdaRuntime extends LambdaInvoker, LambdaStreamInvoker {
  /** Terminates every environment and waits for them; invocations still running end with a function error. */
  close(): Promise<void>;
}

/**
 * Lambda for the emulator: one pool of execution environments (worker threads) per function, reused
 * warm, created on demand (cold start) as scheduler.ts decides, under reserved and account concurrency.
 */
export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const { clock, trace, log, limits, region, accountId } = options;
  const functions = new Map<string, FunctionState>();
  for (const [name, config] of Object.entries(options.functions)) {
    // Lambda refuses reserved keys at deploy time; the emulator keeps Lambda's values and says so.
    for (const key of reservedKeysIn(config.environment)) {
      log.warn(`Failed to set ${key} for function ${name}: Lambda reserves this variable and sets it itself. Remove it from the function's environment.`);
    }
    functions.set(name, { name, config, arn: functionArn(region, accountId, name), idle: [], live: new Set() });
  }
  const concurrency = new Concurrency(
    limits.lambdaAccountConcurrency,
    new Map([...functions.values()].map((fn) => [fn.name, fn.config.reservedConcurrency])),
  );
  const deps = { clock, trace, log, limits };
  // What new environments' workers run: known on the first invocation, or after one wait while the
  // runtime's bundle is built (the first run of these sources). Cold starts only follow that wait.
  let entry: URL | Promise<URL> | undefined;
  const coldStartDeps: ColdStartDeps = {
    ...deps,
    workerEntry: () => entry as URL,
    region,
    baseDir: options.baseDir,
    sharedEnvironment: options.sharedEnvironment,
    resolveEndpoint: options.resolveEndpoint,
    trustedCaPem: options.trustedCaPem,
    discard,
    isClosed: () => closed,
  };
  // Manual clocks: handler timers fire when the test moves time, in every live environment.
  const stopFollowingClock = clock.onAdvance((now) => {
    for (const fn of functions.values()) for (const env of fn.live) env.postTime(now);
  });
  let closed = false;
  let environmentSeq = 0;
  // Cold starts are reported against the invocation that asked for them, as Lambda does.
  const scheduler = new Scheduler((fn, requestId) => coldStart(coldStartDeps, fn, `${fn.name}-${++environmentSeq}`, requestId));

  function discard(fn: FunctionState, env: ExecutionEnvironment): void {
    fn.live.delete(env);
    const at = fn.idle.indexOf(env);
    if (at !== -1) fn.idle.splice(at, 1);
    void env.terminate();
    scheduler.discarded(fn);
  }

  /**
   * The scheduler counts an environment from the moment its start begins; waiting for the entry first
   * keeps that true, so invocations that arrive together still share one cold start.
   */
  async function acquireOnceEntryKnown(pending: Promise<URL>, fn: FunctionState, requestId: string): Promise<Grant> {
    entry = await pending;
    return closed ? { kind: 'closed' } : scheduler.acquire(fn, requestId);
  }

  async function execute(fn: FunctionState, requestId: string, event: string, invokeOptions: InvokeOptions, sink: ChunkSink | undefined): Promise<InvokeOutcome> {
    entry ??= workerEntry(log);
    let grant = entry instanceof URL ? scheduler.acquire(fn, requestId) : acquireOnceEntryKnown(entry, fn, requestId);
    if (grant instanceof Promise) {
      // Waiting for an environment (free or new) is the emulator's time, not emulated time.
      invokeOptions.onInitStart?.();
      try {
        grant = await grant;
      } finally {
        invokeOptions.onInitEnd?.();
      }
    }
    if (grant.kind === 'warm') return runOn(fn, grant.env, requestId, event, false, sink);
    if (grant.kind === 'closed') return functionErrorOutcome(requestId, runtimeUnknown());
    const started = grant.started;
    if (started.kind === 'ready') return runOn(fn, started.env, requestId, event, true, sink);
    const environmentId = started.env.id;
    trace.record('lambda.invoke.start', { functionName: fn.name, requestId, environmentId, coldStart: true });
    trace.record('lambda.invoke.end', { functionName: fn.name, requestId, environmentId, outcome: started.traced, durationMs: 0, errorType: started.error.errorType });
    return functionErrorOutcome(requestId, started.error);
  }

  async function runOn(fn: FunctionState, env: ExecutionEnvironment, requestId: string, event: string, isColdStart: boolean, sink: ChunkSink | undefined): Promise<InvokeOutcome> {
    const request = { functionName: fn.name, timeoutSeconds: fn.config.timeout, requestId, event, coldStart: isColdStart, ...(sink ? { sink } : {}) };
    const { outcome, keep } = await runInvocation(deps, env, request);
    if (keep && !env.dead && !closed) scheduler.release(fn, env);
    else discard(fn, env);
    return outcome;
  }

  /** `sink`: a streamed invoke (invokeStream); without it the buffered Invoke. */
  async function invokeWith(functionName: string, event: unknown, invokeOptions: InvokeOptions, sink?: ChunkSink): Promise<InvokeOutcome> {
    const fn = functions.get(functionName);
    if (!fn) return { kind: 'rejected', error: new ResourceNotFoundException(functionArn(region, accountId, functionName)) };
    let payload: string;
    try {
      // Invoke with no payload hands the handler an empty object.
      payload = JSON.stringify(event) ?? '{}';
    } catch (error) {
      return { kind: 'rejected', error: new InvalidRequestContentException(describeCause(error)) };
    }
    if (exceedsBytes(payload, limits.lambdaSyncRequestBytes)) {
      trace.record('limit.hit', { limit: 'lambdaSyncRequestBytes', functionName, detail: `request payload over ${limits.lambdaSyncRequestBytes} bytes` });
      return { kind: 'rejected', error: new RequestTooLargeException(limits.lambdaSyncRequestBytes) };
    }
    const throttled = concurrency.acquire(functionName);
    if (throttled) {
      trace.record('lambda.throttle', { functionName, reason: throttled });
      return { kind: 'rejected', error: new TooManyRequestsException(throttled) };
    }
    const requestId = invokeOptions.requestId ?? newRequestId();
    try {
      if (closed) {
        log.warn(`Failed to invoke ${functionName}: the Lambda runtime is closed. Create a new emulator to invoke again.`);
        return functionErrorOutcome(requestId, runtimeUnknown());
      }
      return await execute(fn, requestId, payload, invokeOptions, sink);
    } catch (error) {
      log.error(`Failed to invoke ${functionName} (request ${requestId}): ${describeCause(error)}. This is an emulator fault; the invocation returns Runtime.Unknown.`);
      return functionErrorOutcome(requestId, runtimeUnknown());
    } finally {
      concurrency.release(functionName);
    }
  }

  function invokeStream(functionName: string, event: unknown, invokeOptions: InvokeOptions = {}): InvokeStream {
    const requestId = invokeOptions.requestId ?? newRequestId();
    const stream = new StreamInvocation(functionName, requestId, trace);
    void invokeWith(functionName, event, { ...invokeOptions, requestId }, stream).then((outcome) => stream.finish(outcome));
    return stream.api;
  }

  return {
    invoke: (functionName, event, invokeOptions = {}) => invokeWith(functionName, event, invokeOptions),
    invokeStream,
    hasFunction: (functionName) => functions.has(functionName),
    async close() {
      if (closed) return;
      closed = true;
      stopFollowingClock();
      scheduler.close();
      const all = [...functions.values()].flatMap((fn) => [...fn.live]);
      for (const fn of functions.values()) fn.idle.length = 0;
      await Promise.all(all.map((env) => env.terminate()));
    },
  };
}
