import { requestId as newRequestId } from '../../core/ids.ts';
import { tailLog } from './log-tail.ts';
import { invocationType, parsePayload, resolveFunction, type InvokeRequest, type LambdaApiDeps } from './target.ts';

/**
 * Invoke (reference §5.3): RequestResponse waits and answers 200 with the handler's payload (a function
 * error is still 200, flagged `X-Amz-Function-Error: Unhandled`); Event answers 202 at once and the
 * function runs on; DryRun checks the function exists and answers 204. Lambda's refusals throw their
 * AwsHttpError, which the router renders.
 */

export type InvokeResult =
  | { kind: 'response'; requestId: string; payload: string; functionError?: 'Unhandled'; logResult?: string }
  | { kind: 'accepted'; requestId: string; status: 202 | 204 };

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;

export async function invoke(deps: LambdaApiDeps, request: InvokeRequest): Promise<InvokeResult> {
  const type = invocationType(request, INVOCATION_TYPES);
  const name = resolveFunction(deps, request);
  const requestId = newRequestId();
  if (type === 'DryRun') return { kind: 'accepted', requestId, status: 204 };
  if (type === 'Event') {
    const event = parsePayload(deps, request.payload, 'lambdaAsyncRequestBytes');
    // [choice] Lambda queues an event and retries a failed one twice; here it runs once, now, and a
    // refusal (throttled) is only logged, since the caller has its 202 already.
    void deps.lambda.invoke(name, event, { requestId }).then((outcome) => {
      if (outcome.kind === 'rejected') deps.log.warn(`Failed to run the Event invocation ${requestId} of ${name}: ${outcome.error.errorType}. Lambda would have queued it; the emulator drops it.`);
    });
    return { kind: 'accepted', requestId, status: 202 };
  }
  const event = parsePayload(deps, request.payload, 'lambdaSyncRequestBytes');
  const tail = request.tail ? tailLog(deps.trace, requestId, deps.memorySize?.(name)) : undefined;
  const outcome = await deps.lambda.invoke(name, event, { requestId });
  const logResult = tail?.result();
  if (outcome.kind === 'rejected') throw outcome.error;
  return {
    kind: 'response',
    requestId,
    payload: outcome.payload,
    ...(outcome.kind === 'function-error' ? { functionError: 'Unhandled' as const } : {}),
    ...(logResult === undefined ? {} : { logResult }),
  };
}
