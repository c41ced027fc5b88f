import { describe, expect, it } from 'vitest';
import { MANUAL_CLOCK_START, ManualClock } from '../../../emulator/core/clock.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { invokeIntegration } from '../../../emulator/services/apigw-common/integration.ts';
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../../../emulator/services/lambda-runtime/types.ts';

/** An invoker the test finishes by hand, reporting a cold start if asked. */
function manualInvoker() {
  const calls: Array<{ options: InvokeOptions; finish(outcome: InvokeOutcome): void }> = [];
  const invoker: LambdaInvoker = {
    hasFunction: () => true,
    invoke: (_fn, _event, options = {}) => new Promise((resolve) => calls.push({ options, finish: resolve })),
  };
  return { invoker, calls };
}

const success: InvokeOutcome = { kind: 'success', requestId: 'r', payload: '{"statusCode":200}' };
const request = { api: 'a', requestId: 'req-1', functionName: 'fn', timeoutMs: 29_000 };

describe('invokeIntegration', () => {
  it('integration: answers with the outcome when the function finishes in time', async () => {
    const clock = new ManualClock();
    const { invoker, calls } = manualInvoker();
    const result = invokeIntegration({ clock, lambda: invoker, trace: new Trace(clock) }, request, {});
    await clock.advance(28_999);
    calls[0]!.finish(success);
    expect(await result).toEqual({ kind: 'invoked', outcome: success });
  });

  it('integration: times out at the limit, records it, and leaves the invocation running', async () => {
    const clock = new ManualClock();
    const trace = new Trace(clock);
    const { invoker, calls } = manualInvoker();
    const result = invokeIntegration({ clock, lambda: invoker, trace }, request, {});
    await clock.advance(29_000);
    expect(await result).toEqual({ kind: 'timeout' });
    const [event] = trace.events('gateway.integration-timeout');
    expect(event).toMatchObject({ api: 'a', requestId: 'req-1', functionName: 'fn', timeoutMs: 29_000, at: MANUAL_CLOCK_START + 29_000 });
    // The function finishing later changes nothing for the client that already got its answer.
    calls[0]!.finish(success);
    expect(await result).toEqual({ kind: 'timeout' });
  });

  it('integration: the emulator starting an environment does not count toward the limit', async () => {
    const clock = new ManualClock();
    const { invoker, calls } = manualInvoker();
    let settled = false;
    const result = invokeIntegration({ clock, lambda: invoker, trace: new Trace(clock) }, request, {});
    void result.then(() => (settled = true));
    await clock.advance(1_000);
    calls[0]!.options.onInitStart!();
    await clock.advance(60_000);
    calls[0]!.options.onInitEnd!();
    await clock.advance(27_999);
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await result).toEqual({ kind: 'timeout' });
  });
});
