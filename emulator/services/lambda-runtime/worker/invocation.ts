import type { ContextData } from '../protocol.ts';
import type { FunctionError } from '../types.ts';
import type { EventLoopWatch } from './event-loop.ts';
import type { Handler } from './load-handler.ts';

/** What one invocation needs inside the worker, and the context object fields every handler style shares. */

/** `streamed`: the bytes went to the main thread as the handler wrote them; `payload` is then empty. */
export type Settle = (result: { payload: string; streamed?: { contentType: string } } | { error: FunctionError }) => void;

export interface Invocation {
  handler: Handler;
  event: unknown;
  requestId: string;
  /** Emulated epoch ms; `getRemainingTimeInMillis` reads the (emulated) Date against it. */
  deadline: number;
  context: ContextData;
  watch: EventLoopWatch;
  settle: Settle;
}

/** Adds the invocation's data to `target`, in the order Lambda's runtime assigns it. */
export function attachContext<T extends object>(target: T, inv: Invocation): T & Record<string, unknown> {
  const deadline = inv.deadline;
  return Object.assign(target, {
    functionVersion: inv.context.functionVersion,
    functionName: inv.context.functionName,
    memoryLimitInMB: inv.context.memoryLimitInMB,
    logGroupName: inv.context.logGroupName,
    logStreamName: inv.context.logStreamName,
    clientContext: undefined,
    identity: undefined,
    invokedFunctionArn: inv.context.invokedFunctionArn,
    awsRequestId: inv.requestId,
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function';
}
