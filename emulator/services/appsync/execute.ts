import { defaultFieldResolver, execute, type DocumentNode, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { InvokeOutcome } from '../lambda-runtime/types.ts';
import { ResolverError } from './errors.ts';
import { buildLambdaEvent, type AppSyncLambdaEvent } from './lambda-event.ts';
import type { ResolverOptions } from './options.ts';

/** What one request gives its resolvers: the way to call a Lambda under the request's 30 s budget. */
export interface ResolveContext {
  headers: Record<string, string>;
  /** The variables as the client sent them (`info.variables`). */
  variables: Record<string, unknown>;
  /** Invokes `functionName` for field `key`; rejects with ExecutionTimeout when the request's time is up. */
  invoke(key: string, functionName: string, event: AppSyncLambdaEvent): Promise<InvokeOutcome>;
}

/**
 * Runs an operation with graphql-js, dispatching the configured resolvers. Unconfigured fields use the
 * default property resolver (a root field without one is null, as on AppSync).
 */
export function executeOperation(
  schema: GraphQLSchema,
  resolvers: ReadonlyMap<string, ResolverOptions>,
  document: DocumentNode,
  operationName: string | undefined,
  rawVariables: Record<string, unknown> | undefined,
  context: ResolveContext,
): Promise<ExecutionResult> {
  const fieldResolver: GraphQLFieldResolver<unknown, ResolveContext> = (source, args, ctx, info) => {
    const key = `${info.parentType.name}.${info.fieldName}`;
    const resolver = resolvers.get(key);
    if (!resolver) return defaultFieldResolver(source, args, ctx, info);
    // NONE: the local resolver's usual template, `{payload: ctx.args}`, then `ctx.result`.
    if ('dataSource' in resolver) return args;
    const event = buildLambdaEvent({
      arguments: args,
      source,
      headers: ctx.headers,
      fieldName: info.fieldName,
      parentTypeName: info.parentType.name,
      field: info.fieldNodes[0]!,
      fragments: info.fragments,
      variables: ctx.variables,
    });
    return ctx.invoke(key, resolver.function, event).then(fieldValue);
  };
  return Promise.resolve(execute({ schema, document, operationName, variableValues: rawVariables, contextValue: context, fieldResolver }));
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
