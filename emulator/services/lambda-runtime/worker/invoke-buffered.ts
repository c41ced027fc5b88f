import { attachContext, isPromise, type Invocation } from './invocation.ts';
import { formatError, logError } from './runtime-errors.ts';

/**
 * A buffered invocation, with the semantics of Lambda's Node.js 20 runtime (runtime interface client
 * 3.x, Runtime.js and CallbackContext.js): a promise settles it; otherwise the first of callback /
 * context.succeed / fail / done does. `callbackWaitsForEmptyEventLoop` (default true) is honoured: after
 * `callback(null, result)` the response waits until the event loop is empty (see event-loop.ts), so an
 * open socket or a pending timer holds the invocation until its timeout, as on Lambda. A handler that
 * returns no promise and never calls back answers `null` once the loop is empty.
 */

function serialize(result: unknown): string {
  return JSON.stringify(result === undefined ? null : result) ?? 'null';
}

function isAsyncFunction(fn: unknown): boolean {
  return (fn as { constructor?: { name?: string } }).constructor?.name === 'AsyncFunction';
}

export function invokeBuffered(inv: Invocation): void {
  let cancelWatch: (() => void) | undefined;
  const setBeforeExit = (listener?: () => void): void => {
    cancelWatch?.();
    cancelWatch = listener ? inv.watch.whenEmpty(listener) : undefined;
  };

  let completed = false;
  const complete = (result: unknown): void => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    let payload: string;
    try {
      payload = serialize(result);
    } catch {
      // Node 20's runtime reports this as a plain Error (its Node 24 runtime says Runtime.JSONStringifyError).
      postError(new Error('Unable to stringify response body'));
      return;
    }
    inv.settle({ payload });
  };
  const postError = (error: unknown): void => {
    completed = true;
    logError('Invoke Error', error);
    inv.settle({ error: formatError(error) });
  };

  let waitForEmptyEventLoop = true;
  const callback = (error: unknown, result?: unknown): void => {
    setBeforeExit();
    if (error !== undefined && error !== null) postError(error);
    else if (!waitForEmptyEventLoop) complete(result);
    else setBeforeExit(() => complete(result));
  };
  const done = (error: unknown, result?: unknown): void => {
    setBeforeExit();
    if (error !== undefined && error !== null) postError(error);
    else complete(result);
  };

  // Only the first of callback / succeed / fail / done counts.
  let finished = false;
  const once = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A): void => {
    if (finished) return;
    fn(...args);
    finished = true;
  };
  const context = attachContext(
    {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value: boolean) {
        waitForEmptyEventLoop = value;
      },
      succeed: once((result: unknown) => done(null, result)),
      fail: once((error: unknown) => (error === undefined || error === null ? done('handled') : done(error, null))),
      done: once(done),
    },
    inv,
  );
  const wrappedCallback = once(callback);

  // No callback and no promise: Lambda answers null when the event loop empties. (An async function
  // always returns a promise, so the watch is skipped for it: it costs a poll per invocation.)
  if (!isAsyncFunction(inv.handler)) setBeforeExit(() => complete(null));
  try {
    const result = inv.handler(inv.event, context, wrappedCallback);
    if (isPromise(result)) {
      setBeforeExit();
      result.then(context.succeed, context.fail).catch(context.fail);
    }
  } catch (error) {
    wrappedCallback(error);
  }
}
