import { defaultFieldResolver, execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { InvokeOutcome } from '../lambda-runtime/types.ts';
import type { AppSyncIdentity } from './auth/identity.ts';
import type { CodeResolver } from './data-sources/compile.ts';
import { ResolverError } from './errors.ts';
import { resolverCtx, runCodeResolver } from './js/run.ts';
import type { AppendedError } from './js/util.ts';
import { buildLambdaEvent } from './lambda-event.ts';
import type { ResolverOptions } from './options.ts';

/** What one request gives its resolvers: the way to call a Lambda under the request's 30 s budget. */
export interface ResolveContext {
  headers: Record<string, string>;
  /** The variables as the client sent them (`info.variables`). */
  variables: Record<string, unknown>;
  requestId: string;
  /** The authorizing mode's identity (`ctx.identity`); absent: null, as under API_KEY. */
  identity?: AppSyncIdentity;
  /** An `Unauthorized` error when the request's auth mode may not reach `Type.field` (directives). */
  denied?(typeName: string, fieldName: string): ResolverError | undefined;
  /** Invokes `functionName` for field `key`; rejects with ExecutionTimeout when the request's time is up. */
  invoke(key: string, functionName: string, event: unknown): Promise<InvokeOutcome>;
  /** Other data source work for field `key` (Bedrock) under the same budget: rejects with ExecutionTimeout when the time is up. */
  guard<T>(key: string, work: Promise<T>): Promise<T>;
}

/**
 * Runs an operation with graphql-js, dispatching the configured resolvers. Unconfigured fields use the
 * default property resolver (a root field without one is null, as on AppSync). `util.appendError`
 * entries join the errors after execution, each at its field.
 */
export async function executeOperation(
  schema: GraphQLSchema,
  resolvers: ReadonlyMap<string, ResolverOptions>,
  document: DocumentNode,
  operationName: string | undefined,
  rawVariables: Record<string, unknown> | undefined,
  context: ResolveContext,
  code: ReadonlyMap<string, CodeResolver> = new Map(),
): Promise<ExecutionResult> {
  const appended: GraphQLError[] = [];
  const fieldResolver: GraphQLFieldResolver<unknown, ResolveContext> = (source, args, ctx, info) => {
    const denial = ctx.denied?.(info.parentType.name, info.fieldName);
    if (denial) throw denial;
    const key = `${info.parentType.name}.${info.fieldName}`;
    const resolver = resolvers.get(key);
    if (!resolver) return defaultFieldResolver(source, args, ctx, info);
    const unit = code.get(key);
    // NONE: the local resolver's usual template, `{payload: ctx.args}`, then `ctx.result`.
    if (!unit && 'dataSource' in resolver) return args;
    const event = buildLambdaEvent({
      arguments: args,
      identity: ctx.identity ?? null,
      source,
      headers: ctx.headers,
      fieldName: info.fieldName,
      parentTypeName: info.parentType.name,
      field: info.fieldNodes[0]!,
      fragments: info.fragments,
      variables: ctx.variables,
    });
    if (unit) return runCodeResolver(unit, resolverCtx(event), ctx, (errors) => appended.push(...errors.map((e) => appendedError(e, info))));
    return ctx.invoke(key, (resolver as { function: string }).function, event).then(fieldValue);
  };
  const result = await execute({ schema, document, operationName, variableValues: rawVariables, contextValue: context, fieldResolver });
  if (appended.length === 0) return result;
  return { ...result, errors: [...(result.errors ?? []), ...appended] };
}

function appendedError(entry: AppendedError, info: GraphQLResolveInfo): GraphQLError {
  const path: Array<string | number> = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return new GraphQLError(entry.message, { nodes: info.fieldNodes, path, originalError: new ResolverError(entry.errorType, entry.message, entry.data, entry.errorInfo) });
}

/**
 * A direct Lambda resolver's field: the function's result, or `Lambda:Unhandled` with the thrown message
 * when it failed (the function's own errorType is not passed on, reference §1.3).
 */
function fieldValue(outcome: InvokeOutcome): unknown {
  if (outcome.kind === 'success') return JSON.parse(outcome.payload) as unknown;
  if (outcome.kind === 'function-error') throw new ResolverError('Lambda:Unhandled', outcome.error.errorMessage);
  throw new ResolverError(`Lambda:${outcome.error.errorType}`, outcome.error.message);
}
