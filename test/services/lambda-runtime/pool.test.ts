import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { RequestTooLargeException, ResourceNotFoundException, TooManyRequestsException } from '../../../emulator/services/lambda-runtime/errors.ts';
import { failure, success, testRuntime } from './helpers.ts';

describe('lambda: execution environments', () => {
  const { runtime, trace } = testRuntime({ echo: { handler: 'echo.handler' } });
  afterAll(() => runtime.close());

  it('lambda: the first invoke is a cold start (traced with init time); the next reuses the warm environment and its module state', async () => {
    const calls: string[] = [];
    const first = await runtime.invoke('echo', 1, { onInitStart: () => calls.push('init-start'), onInitEnd: () => calls.push('init-end') });
    const second = await runtime.invoke('echo', 2, { onInitStart: () => calls.push('init-start'), onInitEnd: () => calls.push('init-end') });
    expect(success(first)).toMatchObject({ count: 1 });
    expect(success(second)).toMatchObject({ count: 2 });
    expect(calls).toEqual(['init-start', 'init-end']);
    const [coldStart] = trace.events('lambda.cold-start').filter((e) => e.functionName === 'echo');
    expect(coldStart!.initRealMs).toBeGreaterThan(0);
    const starts = trace.events('lambda.invoke.start').filter((e) => e.functionName === 'echo');
    expect(starts.map((e) => [e.coldStart, e.environmentId])).toEqual([[true, coldStart!.environmentId], [false, coldStart!.environmentId]]);
  });

  it('lambda: a second concurrent invoke gets its own environment; afterwards the most recently used is reused', async () => {
    const clock = new ManualClock();
    const manual = testRuntime({ slow: { handler: 'time.sleepFor' } }, { clock });
    try {
      const a = manual.runtime.invoke('slow', { ms: 500 }, { requestId: 'a' });
      const b = manual.runtime.invoke('slow', { ms: 1_000 }, { requestId: 'b' });
      await manual.trace.waitFor('lambda.invoke.start', (e) => e.requestId === 'a');
      await manual.trace.waitFor('lambda.invoke.start', (e) => e.requestId === 'b');
      await clock.advance(500);
      expect((await a).kind).toBe('success');
      await clock.advance(500);
      expect((await b).kind).toBe('success');
      const envOf = (id: string) => manual.trace.events('lambda.invoke.start').find((e) => e.requestId === id)!.environmentId;
      expect(envOf('a')).not.toBe(envOf('b'));
      const c = manual.runtime.invoke('slow', { ms: 1 }, { requestId: 'c' });
      await clock.advance(1);
      expect((await c).kind).toBe('success');
      expect(envOf('c')).toBe(envOf('b'));
      expect(manual.trace.events('lambda.cold-start')).toHaveLength(2);
    } finally {
      await manual.runtime.close();
    }
  });

  it('lambda: an unknown function is rejected with ResourceNotFoundException (404)', async () => {
    const outcome = await runtime.invoke('nope', {});
    expect(outcome.kind).toBe('rejected');
    const error = outcome.kind === 'rejected' ? outcome.error : undefined;
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error?.render()).toEqual({
      status: 404,
      headers: [['content-type', 'application/json'], ['x-amzn-ErrorType', 'ResourceNotFoundException']],
      body: '{"Type":"User","message":"Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope"}',
    });
    expect(runtime.hasFunction('echo')).toBe(true);
    expect(runtime.hasFunction('nope')).toBe(false);
  });
});

describe('lambda: concurrency', () => {
  it('lambda: past reserved concurrency an invoke is throttled with 429 TooManyRequestsException', async () => {
    const clock = new ManualClock();
    const { runtime, trace } = testRuntime({ capped: { handler: 'time.sleepFor', reservedConcurrency: 1 }, zero: { handler: 'echo.handler', reservedConcurrency: 0 } }, { clock });
    try {
      const running = runtime.invoke('capped', { ms: 1_000 });
      const throttled = await runtime.invoke('capped', { ms: 1 });
      expect(throttled.kind).toBe('rejected');
      const error = throttled.kind === 'rejected' ? throttled.error : undefined;
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect(error?.render()).toEqual({
        status: 429,
        headers: [['content-type', 'application/json'], ['x-amzn-ErrorType', 'TooManyRequestsException']],
        body: '{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}',
      });
      expect(trace.events('lambda.throttle')).toMatchObject([{ functionName: 'capped', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' }]);
      expect((await runtime.invoke('zero', {})).kind).toBe('rejected');
      await trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'capped');
      await clock.advance(1_000);
      expect(success(await running)).toMatchObject({ dateDelta: 1_000 });
      expect((await Promise.all([runtime.invoke('capped', { ms: 0 }), clock.advance(1)]))[0].kind).toBe('success');
    } finally {
      await runtime.close();
    }
  });

  it('lambda: past the account limit (minus reservations) an unreserved function is throttled with ConcurrentInvocationLimitExceeded', async () => {
    const clock = new ManualClock();
    const { runtime, trace } = testRuntime(
      { a: { handler: 'time.sleepFor' }, reserved: { handler: 'echo.handler', reservedConcurrency: 1 } },
      { clock, limits: { lambdaAccountConcurrency: 2 } },
    );
    try {
      const running = runtime.invoke('a', { ms: 1_000 });
      const throttled = await runtime.invoke('a', { ms: 1 });
      expect(throttled.kind === 'rejected' && throttled.error.body).toBe('{"Reason":"ConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}');
      // The reserved function keeps its own slot.
      expect((await runtime.invoke('reserved', {})).kind).toBe('success');
      await trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'a');
      await clock.advance(1_000);
      expect((await running).kind).toBe('success');
    } finally {
      await runtime.close();
    }
  });
});

describe('lambda: payload limits', () => {
  const { runtime, trace } = testRuntime({ size: { handler: 'size.handler' }, length: { handler: 'size.length' } }, { limits: { lambdaSyncRequestBytes: 1_000, lambdaSyncResponseBytes: 2_000 } });
  afterAll(() => runtime.close());

  it('lambda: a request over the limit is rejected with 413 RequestTooLargeException and never runs', async () => {
    const outcome = await runtime.invoke('length', { data: 'é'.repeat(495) }); // 990 chars + 11, 1001 bytes of JSON
    const error = outcome.kind === 'rejected' ? outcome.error : undefined;
    expect(error).toBeInstanceOf(RequestTooLargeException);
    expect(error?.render()).toEqual({
      status: 413,
      headers: [['content-type', 'application/json'], ['x-amzn-ErrorType', 'RequestTooLargeException']],
      body: '{"Type":"User","message":"Request must be smaller than 1000 bytes for the InvokeFunction operation"}',
    });
    expect(trace.events('lambda.invoke.start')).toHaveLength(0);
    expect(success(await runtime.invoke('length', { data: 'é'.repeat(494) }))).toBe(494);
  });

  it('lambda: a response over the limit fails with Function.ResponseSizeTooLarge', async () => {
    expect(success(await runtime.invoke('size', { bytes: 2_000 }))).toHaveLength(1_998);
    const outcome = await runtime.invoke('size', { bytes: 2_001 });
    expect(failure(outcome)).toEqual({ errorMessage: 'Response payload size exceeded maximum allowed payload size (2000 bytes).', errorType: 'Function.ResponseSizeTooLarge' });
    expect(outcome.kind === 'function-error' && outcome.payload).toBe(
      '{"errorMessage":"Response payload size exceeded maximum allowed payload size (2000 bytes).","errorType":"Function.ResponseSizeTooLarge"}',
    );
  });

  it('lambda: the real limits are 6291456 bytes in and 6291556 bytes out', async () => {
    const real = testRuntime({ size: { handler: 'size.handler' } });
    try {
      const tooBig = await real.runtime.invoke('size', { bytes: 6_291_557, pad: 'x'.repeat(6_291_456) });
      expect(tooBig.kind === 'rejected' && tooBig.error.body).toBe('{"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"}');
      expect(failure(await real.runtime.invoke('size', { bytes: 6_291_557 })).errorMessage).toBe('Response payload size exceeded maximum allowed payload size (6291556 bytes).');
      expect((await real.runtime.invoke('size', { bytes: 6_291_556 })).kind).toBe('success');
    } finally {
      await real.runtime.close();
    }
  });
});
