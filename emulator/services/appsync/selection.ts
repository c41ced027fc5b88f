import { getNamedType, getOperationAST, isObjectType, Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { matchesFilter, type SubscriptionFilter } from './js/subscription-filter.ts';

/**
 * AppSync's subscription semantics as pure functions (reference §2.6): which mutations trigger which
 * subscription fields, what a mutation published (its own selection set, keyed by field name), the
 * argument filters, and the subscriber's view (its selection set over what was published).
 */

export type Fragments = Record<string, FragmentDefinitionNode>;

/** `mutation field name -> subscription field names`, from `@aws_subscribe(mutations: [...])`. */
export function subscriptionTriggers(schema: GraphQLSchema): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const list = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (list?.kind !== Kind.LIST) continue;
    for (const item of list.values) {
      if (item.kind !== Kind.STRING) continue;
      triggers.set(item.value, [...(triggers.get(item.value) ?? []), field.name]);
    }
  }
  return triggers;
}

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/** The fields a selection set asks for, fragments flattened (type conditions are not needed for object results). */
export function collectFields(set: SelectionSetNode, fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of set.selections) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...collectFields(s.selectionSet, fragments));
    else if (fragments[s.name.value]) out.push(...collectFields(fragments[s.name.value]!.selectionSet, fragments));
  }
  return out;
}

export interface Publication {
  /** The mutation field, e.g. `publishChunk`. */
  mutationField: string;
  /** Its result restricted to the mutation's selection set, keyed by field name (aliases undone). */
  value: Record<string, unknown>;
}

/** What an executed mutation publishes: one entry per root field that returned an object. */
export function publicationsOf(document: DocumentNode, operationName: string | undefined, data: Record<string, unknown>): Publication[] {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'mutation') return [];
  const fragments = fragmentsOf(document);
  const out: Publication[] = [];
  for (const field of collectFields(operation.selectionSet, fragments)) {
    const value = data[field.alias?.value ?? field.name.value];
    if (!isRecord(value)) continue;
    out.push({ mutationField: field.name.value, value: byFieldName(value, field.selectionSet, fragments) as Record<string, unknown> });
  }
  return out;
}

function byFieldName(value: unknown, set: SelectionSetNode | undefined, fragments: Fragments): unknown {
  if (Array.isArray(value)) return value.map((v) => byFieldName(v, set, fragments));
  if (!isRecord(value) || !set) return value;
  const out: Record<string, unknown> = {};
  for (const field of collectFields(set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    if (!(key in value)) continue;
    out[field.name.value] = merge(out[field.name.value], byFieldName(value[key], field.selectionSet, fragments));
  }
  return out;
}

/** The same field selected twice (aliases, fragments): their sub-selections add up. */
function merge(a: unknown, b: unknown): unknown {
  if (!isRecord(a) || !isRecord(b)) return a === undefined ? b : a;
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(out[k], v);
  return out;
}

/**
 * Basic filtering: every argument the subscriber gave (not null) must equal the published field of
 * that name. A field the mutation did not select cannot match.
 */
export function matchesArguments(args: Record<string, unknown>, value: Record<string, unknown>): boolean {
  return Object.entries(args).every(([name, expected]) => expected === null || expected === undefined || (name in value && JSON.stringify(value[name]) === JSON.stringify(expected)));
}

/** Whether a subscriber gets a publication: its resolver's enhanced filter when it set one, else its arguments. */
export function matchesSubscription(query: { args: Record<string, unknown>; filter?: SubscriptionFilter }, value: Record<string, unknown>): boolean {
  return query.filter ? matchesFilter(query.filter, value) : matchesArguments(query.args, value);
}

/**
 * The subscriber's view: its selection set over the published value. Fields the mutation did not
 * return are omitted (reference §7 item 10); `__typename` comes from the schema, as the engine computes it.
 */
export function project(value: unknown, set: SelectionSetNode | undefined, fragments: Fragments, type: GraphQLNamedType | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => project(v, set, fragments, type));
  if (!isRecord(value) || !set) return value;
  const out: Record<string, unknown> = {};
  for (const field of collectFields(set, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    const name = field.name.value;
    if (name === '__typename') {
      const typename = isObjectType(type) ? type.name : value.__typename;
      if (typename !== undefined) out[key] = typename;
      continue;
    }
    if (!(name in value)) continue;
    const child = isObjectType(type) ? type.getFields()[name] : undefined;
    out[key] = project(value[name], field.selectionSet, fragments, child ? getNamedType(child.type) : undefined);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
