import { pausableTimer, type Clock } from '../../core/clock.ts';
import type { Trace } from '../../core/trace.ts';
import type { InvokeOutcome, LambdaInvoker } from '../lambda-runtime/types.ts';

export type IntegrationResult = { kind: 'invoked'; outcome: InvokeOutcome } | { kind: 'timeout' };

export interface IntegrationDeps {
  clock: Clock;
  lambda: LambdaInvoker;
  trace: Trace;
}

/**
 * Invokes a Lambda integration under the gateway's integration timeout. On timeout the gateway answers
 * but the invocation is not cancelled: it runs on to its own end or its own timeout, as on AWS, and
 * the trace shows it finishing after the gateway gave up.
 */
export function invokeIntegration(
  deps: IntegrationDeps,
  request: { api: string; requestId: string; functionName: string; timeoutMs: number },
  event: unknown,
): Promise<IntegrationResult> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = pausableTimer(deps.clock, request.timeoutMs, () => {
      if (settled) return;
      settled = true;
      deps.trace.record('gateway.integration-timeout', {
        api: request.api,
        requestId: request.requestId,
        functionName: request.functionName,
        timeoutMs: request.timeoutMs,
      });
      resolve({ kind: 'timeout' });
    });
    deps.lambda
      .invoke(request.functionName, event, { onInitStart: () => timer.pause(), onInitEnd: () => timer.resume() })
      .then((outcome) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        resolve({ kind: 'invoked', outcome });
      });
  });
}
