import type { AppSyncLambdaEvent } from '../lambda-event.ts';
import { ResolverError } from '../errors.ts';
import type { ResolveContext } from '../execute.ts';
import type { CodeResolver } from '../data-sources/compile.ts';
import { EarlyReturnSignal, UnauthorizedSignal, UtilErrorSignal } from './signals.ts';
import { describe } from './unit.ts';
import type { AppendedError, Invocation } from './util.ts';

/**
 * The APPSYNC_JS `ctx` (resolver-context-reference-js): `arguments`/`args`, `identity`, `source`,
 * `stash`, `prev`, `info`, `request`, and after the data source `result` and `error`.
 */
export interface ResolverCtx {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  stash: Record<string, unknown>;
  prev: unknown;
  info: AppSyncLambdaEvent['info'];
  request: AppSyncLambdaEvent['request'];
  result?: unknown;
  error?: { message: string; type: string };
}

/** The direct Lambda event is the same context without result/error; build it once, reuse its fields. */
export function resolverCtx(event: AppSyncLambdaEvent): ResolverCtx {
  return { arguments: event.arguments, args: event.arguments, identity: event.identity, source: event.source, stash: event.stash, prev: event.prev, info: event.info, request: event.request };
}

/**
 * A unit resolver: `request(ctx)`, the data source, `response(ctx)`. `util.error` and
 * `util.unauthorized` fail the field; `runtime.earlyReturn` in `request` skips the rest; an error the
 * code throws itself fails the field with errorType `Code` (our choice: AWS documents none for runtime
 * errors in resolver code). `appendError` entries go to `append` whether or not the field succeeds.
 */
export async function runCodeResolver(resolver: CodeResolver, ctx: ResolverCtx, context: ResolveContext, append: (errors: AppendedError[]) => void): Promise<unknown> {
  const invocation: Invocation = { appended: [], subscription: false };
  const step = (handler: 'request' | 'response'): { early: boolean; value: unknown } => {
    try {
      return { early: false, value: normalize(resolver.unit.call(handler, ctx, invocation)) };
    } catch (error) {
      if (error instanceof EarlyReturnSignal) return { early: true, value: normalize(error.value) };
      throw fieldError(error, ctx);
    } finally {
      append(invocation.appended.splice(0));
    }
  };
  const request = step('request');
  if (request.early) return request.value;
  const outcome = await resolver.dataSource.call({ field: resolver.key, request: request.value, context });
  resolver.trace.record('appsync.datasource', { api: resolver.api, requestId: context.requestId, field: resolver.key, dataSource: resolver.dataSource.name, outcome: outcomeName(outcome) });
  if ('error' in outcome) ctx.error = outcome.error;
  else ctx.result = outcome.result;
  return step('response').value;
}

function outcomeName(outcome: { traced?: 'event' | 'timeout'; error?: unknown }): 'success' | 'error' | 'timeout' | 'event' {
  return outcome.traced ?? ('error' in outcome ? 'error' : 'success');
}

/** What a handler threw, as the field's error. */
export function fieldError(error: unknown, ctx: Pick<ResolverCtx, 'info'>): ResolverError {
  if (error instanceof UtilErrorSignal) return new ResolverError(error.errorType, error.message, error.data, error.errorInfo);
  if (error instanceof UnauthorizedSignal) return new ResolverError('Unauthorized', `Not Authorized to access ${ctx.info.fieldName} on type ${ctx.info.parentTypeName}`);
  if (error instanceof ResolverError) return error;
  return new ResolverError('Code', describe(error));
}

/** Values cross from the vm realm as JSON, as AppSync passes them between its steps. */
function normalize(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value) ?? 'null') as unknown);
}
