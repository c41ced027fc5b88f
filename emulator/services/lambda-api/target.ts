import type { Limits } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import { functionArn, FUNCTION_VERSION } from '../lambda-runtime/names.ts';
import type { LambdaInvoker, LambdaStreamInvoker } from '../lambda-runtime/types.ts';
import { InvalidParameterValueException, InvalidRequestContentException, RequestTooLargeException, ResourceNotFoundException } from './errors.ts';
import type { FunctionTarget } from './function-name.ts';

/** What the Invoke APIs need: the runtime, and where their logs and limits come from. */
export interface LambdaApiDeps {
  lambda: LambdaInvoker & LambdaStreamInvoker;
  trace: Trace;
  log: Log;
  limits: Limits;
  region: string;
  accountId: string;
  /** A function's configured memory, for the REPORT line of a log tail. */
  memorySize?: (functionName: string) => number | undefined;
}

/** What both operations read from the request once the router has decoded it. */
export interface InvokeRequest {
  /** Undefined: the label does not match Lambda's function-name pattern. */
  target: FunctionTarget | undefined;
  rawFunctionName: string;
  /** `X-Amz-Invocation-Type`, absent = RequestResponse. */
  invocationType: string | undefined;
  /** `X-Amz-Log-Type: Tail`. */
  tail: boolean;
  payload: Buffer;
}

/**
 * The function the request names, as the runtime knows it. The emulator has no versions or aliases:
 * only `$LATEST` (or no qualifier) exists, and an ARN must name the emulator's own Region and account.
 */
export function resolveFunction(deps: LambdaApiDeps, request: InvokeRequest): string {
  const { target } = request;
  const region = target?.region ?? deps.region;
  const accountId = target?.accountId ?? deps.accountId;
  const name = target?.name ?? request.rawFunctionName;
  const known = target !== undefined && region === deps.region && accountId === deps.accountId && deps.lambda.hasFunction(name);
  if (known && (target.qualifier === undefined || target.qualifier === FUNCTION_VERSION)) return name;
  const qualified = target?.qualifier === undefined ? '' : `:${target.qualifier}`;
  throw new ResourceNotFoundException(`${functionArn(region, accountId, name)}${qualified}`);
}

/** Invalid values are refused before anything runs; the message lists what Lambda accepts. */
export function invocationType<T extends string>(request: InvokeRequest, allowed: readonly T[]): T {
  const value = request.invocationType ?? 'RequestResponse';
  if ((allowed as readonly string[]).includes(value)) return value as T;
  // [choice] The docs name no error text for this; the form is the one AWS's validators use.
  throw new InvalidParameterValueException(`1 validation error detected: Value '${value}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** The payload limit by invocation type (6 MB sync, 1 MB async), then the JSON the handler receives. */
export function parsePayload(deps: LambdaApiDeps, payload: Buffer, limit: 'lambdaSyncRequestBytes' | 'lambdaAsyncRequestBytes'): unknown {
  const max = deps.limits[limit];
  if (payload.length > max) {
    deps.trace.record('limit.hit', { limit, detail: `request payload of ${payload.length} bytes over ${max}` });
    throw new RequestTooLargeException(max);
  }
  // No payload: the handler gets `{}`, as on Lambda (the runtime's default for an undefined event).
  if (payload.length === 0) return undefined;
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch (error) {
    throw new InvalidRequestContentException(`Could not parse payload into json: ${(error as Error).message}`);
  }
}
