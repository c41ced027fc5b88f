import { getArgumentValues, getNamedType, getOperationAST, getVariableValues, type FieldNode, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { compileDocument } from './documents.ts';
import { syntaxErrorEntry, validationErrorEntry, variableErrorEntry } from './errors.ts';
import { badStartPayload, unsupportedOperation, type RealtimeErrorEntry } from './realtime-messages.ts';
import type { CodeResolver } from './data-sources/compile.ts';
import { runSubscriptionStart } from './js/subscription-start.ts';
import type { SubscriptionFilter } from './js/subscription-filter.ts';
import { collectFields, fragmentsOf, type Fragments } from './selection.ts';

/** A registered subscription's query: its one root field, the arguments that filter, the selection to project. */
export interface SubscriptionQuery {
  /** The Subscription field, e.g. `onChunk`. */
  field: string;
  /** The key its data arrives under (the alias, or the field name). */
  responseKey: string;
  node: FieldNode;
  fragments: Fragments;
  args: Record<string, unknown>;
  type: GraphQLNamedType;
  /** Set by the field's APPSYNC_JS resolver at start (enhanced filtering); replaces the argument filters. */
  filter?: SubscriptionFilter;
}

/**
 * Subscription fields' APPSYNC_JS resolvers, per schema. Resolvers belong to the schema's fields, as on
 * AWS; keeping them beside the schema lets `start` run them without the connection knowing they exist.
 */
const startResolvers = new WeakMap<GraphQLSchema, ReadonlyMap<string, CodeResolver>>();

export function setSubscriptionResolvers(schema: GraphQLSchema, resolvers: ReadonlyMap<string, CodeResolver>): void {
  startResolvers.set(schema, resolvers);
}

/**
 * `payload.data` of a `start`: a JSON string of `{query, variables?, operationName?}`. Parse, syntax and
 * validation errors are the entries POST /graphql answers with (AppSync runs one engine for both; the
 * reference gives no realtime capture); anything but a subscription is UnsupportedOperation (§2.4).
 * A field with an APPSYNC_JS resolver runs it here: it may set the filter or reject the start.
 */
export function parseSubscription(schema: GraphQLSchema, data: unknown): SubscriptionQuery | RealtimeErrorEntry[] {
  if (typeof data !== 'string') return [badStartPayload()];
  let request: unknown;
  try {
    request = JSON.parse(data);
  } catch {
    return [badStartPayload()];
  }
  if (typeof request !== 'object' || request === null) return [badStartPayload()];
  const { query, variables, operationName } = request as Record<string, unknown>;
  if (typeof query !== 'string') return [badStartPayload()];
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return [badStartPayload()];
  const compiled = compileDocument(schema, query);
  if ('syntaxError' in compiled) return [syntaxErrorEntry(compiled.syntaxError) as RealtimeErrorEntry];
  const { document, invalid } = compiled;
  const operation = getOperationAST(document, typeof operationName === 'string' ? operationName : undefined);
  if (!operation) return [unsupportedOperation('unknown')];
  if (operation.operation !== 'subscription') return [unsupportedOperation(operation.operation)];
  if (invalid.length > 0) return invalid.map((e) => validationErrorEntry(e, document) as RealtimeErrorEntry);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) return coerced.errors.map((e) => variableErrorEntry(e) as RealtimeErrorEntry);
  const fragments = fragmentsOf(document);
  // Validation guarantees one root field on a subscription.
  const node = collectFields(operation.selectionSet, fragments)[0]!;
  const subscriptionType = schema.getSubscriptionType()!;
  const definition = subscriptionType.getFields()[node.name.value]!;
  const subscription: SubscriptionQuery = {
    field: node.name.value,
    responseKey: node.alias?.value ?? node.name.value,
    node,
    fragments,
    args: getArgumentValues(definition, node, coerced.coerced),
    type: getNamedType(definition.type),
  };
  const resolver = startResolvers.get(schema)?.get(`${subscriptionType.name}.${subscription.field}`);
  if (!resolver) return subscription;
  const started = runSubscriptionStart(resolver, { ...subscription, variables: coerced.coerced });
  if ('error' in started) return [started.error];
  return started.filter ? { ...subscription, filter: started.filter } : subscription;
}
