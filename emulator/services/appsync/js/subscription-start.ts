import type { FieldNode } from 'graphql';
import type { CodeResolver } from '../data-sources/compile.ts';
import { noneResult } from '../data-sources/none.ts';
import { buildLambdaEvent } from '../lambda-event.ts';
import type { Fragments } from '../selection.ts';
import { fieldError, resolverCtx } from './run.ts';
import { EarlyReturnSignal } from './signals.ts';
import { parseFilter, type SubscriptionFilter } from './subscription-filter.ts';
import type { Invocation } from './util.ts';

export interface SubscriptionStartInput {
  field: string;
  node: FieldNode;
  fragments: Fragments;
  args: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** `start` may go on (with the filter the response set, if any) or fails with AppSync's error entry. */
export type SubscriptionStartResult = { filter?: SubscriptionFilter } | { error: { errorType?: string; message: string } };

/**
 * A Subscription field's resolver at `start` (aws-appsync-real-time-enhanced-filtering): `request`,
 * the NONE data source (synchronous, so the connection's `start` stays synchronous), then `response`,
 * where `extensions.setSubscriptionFilter` sets the filter. `util.unauthorized()` or `util.error(...)`
 * turn `start_ack` into an `error` carrying the same errorType and message a query would get.
 * The context has no request headers here (the start's authorization object does not reach this far).
 */
export function runSubscriptionStart(resolver: CodeResolver, input: SubscriptionStartInput): SubscriptionStartResult {
  const event = buildLambdaEvent({ arguments: input.args, source: null, headers: {}, fieldName: input.field, parentTypeName: resolver.key.split('.')[0]!, field: input.node, fragments: input.fragments, variables: input.variables });
  const ctx = resolverCtx(event);
  const invocation: Invocation = { appended: [], subscription: false };
  try {
    let request: unknown;
    try {
      request = resolver.unit.call('request', ctx, invocation);
    } catch (error) {
      if (error instanceof EarlyReturnSignal) return {};
      throw error;
    }
    ctx.result = noneResult(request);
    invocation.subscription = true;
    try {
      resolver.unit.call('response', ctx, invocation);
    } catch (error) {
      if (!(error instanceof EarlyReturnSignal)) throw error;
    }
    if (invocation.filter === undefined) return {};
    const filter = parseFilter(invocation.filter);
    return typeof filter === 'string' ? { error: { errorType: 'Code', message: filter } } : { filter };
  } catch (error) {
    const failure = fieldError(error, ctx);
    return { error: failure.errorType === null ? { message: failure.message } : { errorType: failure.errorType, message: failure.message } };
  }
}
