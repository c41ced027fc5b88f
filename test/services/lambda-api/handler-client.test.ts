import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../../emulator/core/log.ts';
import { LAMBDA_ENDPOINT_VARIABLE, startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { FIXTURES } from './support.ts';

// The callee's cold start is real time (worker start-up) that the caller's emulated timeout, 100x
// compressed, also counts: the longest timeout keeps a busy machine from timing the caller out.
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator(
    {
      functions: {
        caller: { codeUri: '.', handler: 'caller.handler', timeout: 900 },
        echo: { codeUri: '.', handler: 'handlers.echo', timeout: 900 },
        httpStream: { codeUri: '.', handler: 'handlers.httpStream', timeout: 900 },
      },
    },
    { port: 0, timeScale: 0.01, log: silentLog, baseDir: FIXTURES },
  );
});
afterAll(() => emulator.close());

function success(outcome: Awaited<ReturnType<RunningEmulator['lambda']['invoke']>>): unknown {
  if (outcome.kind !== 'success') throw new Error(`invoke failed: ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload);
}

describe('handler code invokes other functions through the emulator unmodified', () => {
  it(`lambda api: a handler's no-argument LambdaClient reaches the emulator through ${LAMBDA_ENDPOINT_VARIABLE} (Invoke)`, async () => {
    const result = success(await emulator.lambda.invoke('caller', { target: 'echo', payload: { from: 'caller' } }));
    expect(result).toEqual({ statusCode: 200, executedVersion: '$LATEST', payload: { echo: { from: 'caller' } }, endpoint: emulator.endpoints.lambda });
  });

  it('lambda api: a handler reads another function\'s stream with InvokeWithResponseStream', async () => {
    const result = success(await emulator.lambda.invoke('caller', { target: 'httpStream', stream: true }));
    expect(result).toEqual({ chunks: [`{"statusCode":201,"headers":{"content-type":"text/plain"}}${'\0'.repeat(8)}`, 'body'] });
  });
});
