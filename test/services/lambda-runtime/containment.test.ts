import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { failure, success, testRuntime } from './helpers.ts';

describe('lambda: failures stay inside their execution environment', () => {
  const { runtime, trace, log } = testRuntime({
    exit: { handler: 'crash.exit' },
    asyncThrow: { handler: 'crash.asyncThrow' },
    throwAfterResponse: { handler: 'crash.throwAfterResponse' },
    unhandled: { handler: 'crash.unhandledRejection' },
    echo: { handler: 'echo.handler' },
  });
  afterAll(() => runtime.close());

  it('lambda: a handler past its timeout fails with Sandbox.Timedout after 3.00 seconds, and an infinite loop is ended', async () => {
    const clock = new ManualClock();
    const manual = testRuntime({ loop: { handler: 'crash.loop', timeout: 3 }, echo: { handler: 'echo.handler' } }, { clock });
    try {
      await manual.runtime.invoke('echo', {});
      const looping = manual.runtime.invoke('loop', {}, { requestId: 'loop-1' });
      await manual.trace.waitFor('lambda.invoke.start', (e) => e.requestId === 'loop-1');
      // The loop holds its own worker only: another request is served meanwhile.
      expect(success(await manual.runtime.invoke('echo', { during: 'loop' }))).toMatchObject({ event: { during: 'loop' } });
      await clock.advance(3_000);
      expect(await looping).toEqual({
        kind: 'function-error',
        requestId: 'loop-1',
        error: { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: loop-1 Error: Task timed out after 3.00 seconds' },
        payload: '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: loop-1 Error: Task timed out after 3.00 seconds"}',
      });
      expect(manual.trace.events('lambda.invoke.end').find((e) => e.requestId === 'loop-1')).toMatchObject({ outcome: 'timeout', errorType: 'Sandbox.Timedout', durationMs: 3_000 });
      expect(manual.trace.events('lambda.log').find((e) => e.requestId === 'loop-1')?.text).toBe('2026-01-01T00:00:03.000Z loop-1 Task timed out after 3.00 seconds');
      // The environment was discarded: the next invocation starts a new one.
      const again = manual.runtime.invoke('loop', {});
      await manual.trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'loop' && e.requestId !== 'loop-1');
      await clock.advance(3_000);
      expect((await again).kind).toBe('function-error');
      expect(manual.trace.events('lambda.cold-start').filter((e) => e.functionName === 'loop')).toHaveLength(2);
    } finally {
      await manual.runtime.close();
    }
  });

  it('lambda: process.exit(1) fails with Runtime.ExitError and the next invocation gets a new environment', async () => {
    const outcome = await runtime.invoke('exit', { code: 1 }, { requestId: 'exit-1' });
    expect(failure(outcome)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-1 Error: Runtime exited with error: exit status 1' });
    expect(trace.events('lambda.invoke.end').find((e) => e.requestId === 'exit-1')).toMatchObject({ outcome: 'exit' });
    expect(trace.events('lambda.log').find((e) => e.requestId === 'exit-1')?.text).toMatch(/\texit-1\tINFO\texiting$/);
    const zero = await runtime.invoke('exit', { code: 0 }, { requestId: 'exit-0' });
    expect(failure(zero)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-0 Error: Runtime exited without providing a reason' });
    expect(trace.events('lambda.cold-start').filter((e) => e.functionName === 'exit')).toHaveLength(2);
  });

  it('lambda: an exception thrown from a timer during the invocation fails it with that error', async () => {
    const served = runtime.invoke('echo', { during: 'async throw' });
    const error = failure(await runtime.invoke('asyncThrow', {}));
    expect(error).toMatchObject({ errorType: 'Error', errorMessage: 'later' });
    expect(error.trace?.[0]).toBe('Error: later');
    expect(success(await served)).toMatchObject({ event: { during: 'async throw' } });
  });

  it('lambda: an exception thrown after the response discards the environment, not the emulator', async () => {
    expect(success(await runtime.invoke('throwAfterResponse', {}))).toBe('answered');
    await expect.poll(() => log.lines.some((l) => l.message.startsWith('Failed to keep environment'))).toBe(true);
    expect(log.lines.find((l) => l.message.startsWith('Failed to keep environment'))).toEqual({
      level: 'warn',
      message: expect.stringMatching(/^Failed to keep environment throwAfterResponse-\d+ of throwAfterResponse warm: Error: after the response\. The next invocation starts a new environment\.$/),
    });
    expect(success(await runtime.invoke('throwAfterResponse', {}))).toBe('answered');
    expect(trace.events('lambda.cold-start').filter((e) => e.functionName === 'throwAfterResponse')).toHaveLength(2);
  });

  it('lambda: an unhandled rejection fails the invocation with Runtime.UnhandledPromiseRejection', async () => {
    const error = failure(await runtime.invoke('unhandled', {}));
    expect(error).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody catches me' });
    expect(error.trace?.[0]).toBe('Runtime.UnhandledPromiseRejection: Error: nobody catches me');
  });
});
