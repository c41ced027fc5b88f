import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { failure, testRuntime } from './helpers.ts';

describe('lambda: closing the runtime', () => {
  it('lambda: close() terminates every environment; invocations still running end with Runtime.Unknown', async () => {
    const clock = new ManualClock();
    const { runtime, trace, log } = testRuntime({ sleep: { handler: 'time.sleepFor' }, echo: { handler: 'echo.handler' } }, { clock });
    await runtime.invoke('echo', {});
    const pending = runtime.invoke('sleep', { ms: 60_000 }, { requestId: 'cut-short' });
    await trace.waitFor('lambda.invoke.start', (e) => e.requestId === 'cut-short');
    await runtime.close();
    expect(failure(await pending)).toEqual({ errorType: 'Runtime.Unknown', errorMessage: 'Unknown application error occurred' });
    expect(log.lines).toContainEqual({
      level: 'warn',
      message: 'Failed to finish sleep (request cut-short): the Lambda runtime was closed while it ran. Await invocations before closing the emulator.',
    });
    expect(failure(await runtime.invoke('echo', {}))).toMatchObject({ errorType: 'Runtime.Unknown' });
    expect(clock.pendingCount()).toBe(0);
  });
});
