import { resolve } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { logStreamName } from '../../core/ids.ts';
import type { Limits } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import { lambdaEnvironment } from './env-vars.ts';
import { ExecutionEnvironment, SHUT_DOWN } from './execution-environment.ts';
import { exitError, runtimeUnknown, timedOut } from './function-errors.ts';
import { describeCause } from './invocation.ts';
import { FUNCTION_VERSION, logGroupName } from './names.ts';
import type { FunctionOptions } from './options.ts';
import type { WorkerInit } from './protocol.ts';
import type { FunctionError } from './types.ts';
import { RUNTIME_DIR } from './worker-bundle.ts';

/** One function's pool of execution environments. */
export interface FunctionState {
  name: string;
  config: FunctionOptions;
  arn: string;
  /** Warm environments; the most recently used is last and is taken first. */
  idle: ExecutionEnvironment[];
  live: Set<ExecutionEnvironment>;
}

export interface ColdStartDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
  limits: Limits;
  /** The module new workers start from (worker-bundle.ts), known before any cold start. */
  workerEntry(): URL;
  region: string;
  baseDir: string;
  sharedEnvironment: Record<string, string> | undefined;
  resolveEndpoint?: ((path: string) => string | undefined) | undefined;
  /** Certificates trusted inside every environment (LambdaRuntimeOptions.trustedCaPem). */
  trustedCaPem: string | undefined;
  /** Drops an environment from its pool and terminates it. */
  discard(fn: FunctionState, env: ExecutionEnvironment): void;
  isClosed(): boolean;
}

export type Started =
  | { kind: 'ready'; env: ExecutionEnvironment }
  | { kind: 'failed'; env: ExecutionEnvironment; error: FunctionError; traced: 'error' | 'exit' | 'timeout' };

/**
 * Creates an execution environment and runs its init (worker start, handler module load). An init that
 * fails is reported against the invocation that asked for it, as Lambda does, and the environment goes.
 */
export async function coldStart(deps: ColdStartDeps, fn: FunctionState, environmentId: string, requestId: string): Promise<Started> {
  const { clock, trace, log, limits } = deps;
  const stream = logStreamName(clock.now());
  // The function's code root, as a deployment package's root is /var/task: handler paths resolve
  // from here and, as on Lambda, may not climb out of it with "..".
  const taskRoot = resolve(deps.baseDir, fn.config.codeUri);
  const init: WorkerInit = {
    handler: fn.config.handler,
    taskRoot,
    runtimeDir: RUNTIME_DIR,
    time: clock.workerTime(),
    context: {
      functionName: fn.name,
      functionVersion: FUNCTION_VERSION,
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.config.memorySize),
      logGroupName: logGroupName(fn.name),
      logStreamName: stream,
    },
    ...(deps.trustedCaPem ? { trustedCaPem: deps.trustedCaPem } : {}),
  };
  const variables = lambdaEnvironment({
    functionName: fn.name,
    config: fn.config,
    region: deps.region,
    taskRoot,
    runtimeDir: RUNTIME_DIR,
    logStreamName: stream,
    shared: deps.sharedEnvironment,
    ...(deps.resolveEndpoint ? { resolveEndpoint: deps.resolveEndpoint } : {}),
  });
  const env = new ExecutionEnvironment(environmentId, deps.workerEntry(), init, variables, {
    onLogs(entries) {
      for (const { requestId: rid, stream: out, text } of entries) {
        trace.record('lambda.log', { functionName: fn.name, requestId: rid, stream: out, text });
        log.debug(`[${fn.name}] ${text}`);
      }
    },
    onGone(cause) {
      deps.discard(fn, env);
      log.warn(`Failed to keep environment ${environmentId} of ${fn.name} warm: ${describeCause(cause)}. The next invocation starts a new environment.`);
    },
  });
  fn.live.add(env);
  const begun = clock.realNow();
  // Lambda's 10 s init limit, in real time: the emulator's own worker start-up is part of this init.
  // Not under a manual clock, where no timer tracks real time and a test's advance() would end init.
  let initTimedOut = false;
  const initTimer =
    init.time.mode === 'manual'
      ? undefined
      : clock.setTimer(limits.lambdaInitTimeoutMs / clock.timeScale, () => {
          initTimedOut = true;
          void env.terminate();
        });
  const started = await env.ready;
  initTimer?.cancel();
  trace.record('lambda.cold-start', { functionName: fn.name, environmentId, initRealMs: clock.realNow() - begun });
  if (started.kind === 'ready' && !deps.isClosed()) return { kind: 'ready', env };
  deps.discard(fn, env);
  if (started.kind === 'init-error') return { kind: 'failed', env, error: started.error, traced: 'error' };
  if (started.kind === 'exit') return { kind: 'failed', env, error: exitError(requestId, started.code), traced: 'exit' };
  if (initTimedOut) {
    log.warn(`Failed to initialise ${fn.name}: its init phase ran past Lambda's ${limits.lambdaInitTimeoutMs} ms limit. Move slow work out of module scope or into the handler.`);
    return { kind: 'failed', env, error: timedOut(requestId, fn.config.timeout), traced: 'timeout' };
  }
  if (started.kind === 'crash' && started.cause !== SHUT_DOWN) {
    log.error(`Failed to start an execution environment for ${fn.name}: ${describeCause(started.cause)}. Check the emulator's installation (tsx must resolve from its folder).`);
  }
  return { kind: 'failed', env, error: runtimeUnknown(), traced: 'error' };
}
