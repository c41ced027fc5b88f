import { EmulatorError } from '../../core/errors.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { LambdaInvoker, LambdaStreamInvoker } from '../lambda-runtime/types.ts';

/**
 * The REST service's deps: ServiceDeps, with a Lambda that may also stream. Only STREAM routes need
 * `invokeStream`, so invokers that only buffer (test fakes) still serve every BUFFERED API.
 */
export interface RestServiceDeps extends ServiceDeps {
  lambda: LambdaInvoker & Partial<LambdaStreamInvoker>;
}

export type StreamingDeps = RestServiceDeps & { lambda: LambdaInvoker & LambdaStreamInvoker };

export function canStream(deps: RestServiceDeps): deps is StreamingDeps {
  return typeof deps.lambda.invokeStream === 'function';
}

/** Checked at startup, so a STREAM route never meets a Lambda that cannot stream at request time. */
export function requireStreaming(apiName: string, routeKey: string, deps: RestServiceDeps): void {
  if (canStream(deps)) return;
  throw new EmulatorError(
    'ERR_CONFIG_VALIDATION',
    `Failed to create REST API "${apiName}": route "${routeKey}" has responseTransferMode STREAM but the Lambda invoker given to the API cannot stream. Pass the emulator's Lambda runtime, or use BUFFERED.`,
  );
}
