import type { Clock } from '../../core/clock.ts';
import type { Limits } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace, TraceEventMap } from '../../core/trace.ts';
import { SHUT_DOWN, type ChunkSink, type ExecutionEnvironment, type RunResult } from './execution-environment.ts';
import { exitError, responseSizeTooLarge, runtimeUnknown, timedOut } from './function-errors.ts';
import type { FunctionError, InvokeOutcome } from './types.ts';

/**
 * One invocation on a ready environment: the function timeout (emulated, started only now that init is
 * over), the response size limit, and what each ending means for the environment. Lambda keeps an
 * environment after a handled error and discards it after a timeout, crash or exit.
 */

export interface InvocationDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
  limits: Limits;
}

export interface InvocationRequest {
  functionName: string;
  timeoutSeconds: number;
  requestId: string;
  event: string;
  coldStart: boolean;
  /** A streamed invoke: where the handler's writes go as they happen. */
  sink?: ChunkSink;
}

type EndOutcome = TraceEventMap['lambda.invoke.end']['outcome'];

interface Ending {
  outcome: InvokeOutcome;
  traced: EndOutcome;
  /** False: Lambda would not reuse this environment. */
  keep: boolean;
}

/** True when `text` is over `limit` bytes as UTF-8, without encoding it when the length alone decides. */
export function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return Buffer.byteLength(text, 'utf8') > limit;
}

export function functionErrorOutcome(requestId: string, error: FunctionError): InvokeOutcome {
  return { kind: 'function-error', requestId, error, payload: JSON.stringify(error) };
}

export async function runInvocation(deps: InvocationDeps, env: ExecutionEnvironment, request: InvocationRequest): Promise<{ outcome: InvokeOutcome; keep: boolean }> {
  const { clock, trace } = deps;
  const { functionName, requestId } = request;
  trace.record('lambda.invoke.start', { functionName, requestId, environmentId: env.id, coldStart: request.coldStart });
  const startedAt = clock.now();
  const timeoutMs = request.timeoutSeconds * 1000;
  const result = await new Promise<RunResult | { kind: 'timeout' }>((resolve) => {
    const timer = clock.setTimer(timeoutMs, () => resolve({ kind: 'timeout' }));
    void env.run(requestId, request.event, Math.floor(startedAt) + timeoutMs, request.sink).then((r) => {
      timer.cancel();
      resolve(r);
    });
  });
  const ending = toEnding(deps, request, result);
  trace.record('lambda.invoke.end', {
    functionName,
    requestId,
    environmentId: env.id,
    outcome: ending.traced,
    durationMs: clock.now() - startedAt,
    ...(ending.outcome.kind === 'function-error' ? { errorType: ending.outcome.error.errorType } : {}),
  });
  return { outcome: ending.outcome, keep: ending.keep };
}

function toEnding(deps: InvocationDeps, request: InvocationRequest, result: RunResult | { kind: 'timeout' }): Ending {
  const { requestId, functionName } = request;
  const fail = (error: FunctionError, traced: EndOutcome, keep: boolean): Ending => ({ outcome: functionErrorOutcome(requestId, error), traced, keep });
  switch (result.kind) {
    case 'response':
      if (exceedsBytes(result.payload, deps.limits.lambdaSyncResponseBytes)) {
        deps.trace.record('limit.hit', { limit: 'lambdaSyncResponseBytes', functionName, detail: `response of request ${requestId} is over ${deps.limits.lambdaSyncResponseBytes} bytes` });
        return fail(responseSizeTooLarge(deps.limits.lambdaSyncResponseBytes), 'error', true);
      }
      return { outcome: { kind: 'success', requestId, payload: result.payload }, traced: 'success', keep: true };
    case 'error':
      return fail(result.error, 'error', !result.fatal);
    case 'exit':
      return fail(exitError(requestId, result.code), 'exit', false);
    case 'timeout': {
      // Lambda's platform log line for a timeout.
      const message = timedOut(requestId, request.timeoutSeconds);
      const text = `${new Date(deps.clock.now()).toISOString()} ${requestId} Task timed out after ${request.timeoutSeconds.toFixed(2)} seconds`;
      deps.trace.record('lambda.log', { functionName, requestId, stream: 'stdout', text });
      return fail(message, 'timeout', false);
    }
    case 'crash':
      if (result.cause === SHUT_DOWN) {
        deps.log.warn(`Failed to finish ${functionName} (request ${requestId}): the Lambda runtime was closed while it ran. Await invocations before closing the emulator.`);
      } else deps.log.error(`Failed to run ${functionName} (request ${requestId}): ${describeCause(result.cause)}. The invocation returns Runtime.Unknown; see the cause above.`);
      return fail(runtimeUnknown(), 'error', false);
  }
}

export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
