import { fileURLToPath } from 'node:url';
import { ScaledClock, type Clock } from '../../../emulator/core/clock.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import { memoryLog, type MemoryLog } from '../../../emulator/core/log.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { functionOptionsSchema, type FunctionOptionsInput } from '../../../emulator/services/lambda-runtime/options.ts';
import { createLambdaRuntime, type LambdaRuntime } from '../../../emulator/services/lambda-runtime/runtime.ts';
import type { InvokeOutcome } from '../../../emulator/services/lambda-runtime/types.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/handlers', import.meta.url));
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

export interface TestRuntime {
  runtime: LambdaRuntime;
  clock: Clock;
  trace: Trace;
  log: MemoryLog;
}

/**
 * A runtime over the fixture handlers. Default clock: 100x compressed, so a function's 3 s timeout is
 * 30 ms of real time. Functions that are not about timeouts get a long one, so a loaded machine cannot
 * time them out.
 */
export function testRuntime(
  functions: Record<string, FunctionOptionsInput>,
  options: { clock?: Clock; limits?: Partial<Record<LimitName, number>>; baseDir?: string; sharedEnvironment?: Record<string, string>; trustedCaPem?: string } = {},
): TestRuntime {
  const clock = options.clock ?? new ScaledClock({ timeScale: 0.01 });
  const trace = new Trace(clock);
  const log = memoryLog();
  // The schema's handler check is bypassed so tests can reach the runtime's own handler-name errors.
  const parsed = Object.fromEntries(
    Object.entries(functions).map(([name, f]) => [name, { ...functionOptionsSchema.parse({ timeout: 300, ...f, handler: 'index.handler' }), handler: f.handler }]),
  );
  const runtime = createLambdaRuntime({
    functions: parsed,
    baseDir: options.baseDir ?? FIXTURES,
    region: REGION,
    accountId: ACCOUNT,
    clock,
    trace,
    log,
    limits: resolveLimits(options.limits),
    ...(options.sharedEnvironment ? { sharedEnvironment: options.sharedEnvironment } : {}),
    ...(options.trustedCaPem ? { trustedCaPem: options.trustedCaPem } : {}),
  });
  return { runtime, clock, trace, log };
}

export function success(outcome: InvokeOutcome): unknown {
  if (outcome.kind !== 'success') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload) as unknown;
}

export function failure(outcome: InvokeOutcome): { errorType: string; errorMessage: string; trace?: string[] } {
  if (outcome.kind !== 'function-error') throw new Error(`expected function-error, got ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload) as { errorType: string; errorMessage: string; trace?: string[] };
}
