import { NotEmulatedError } from './signals.ts';

/**
 * Enhanced subscription filters (reference §2.6; https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html):
 * `{filterGroup: [{filters: [{fieldName, operator, value}]}]}`. A publication passes when any group
 * passes; a group passes when all its filters do. `fieldName` may name a nested field with dots.
 */
export interface SubscriptionFilter {
  filterGroup: Array<{ filters: FilterRule[] }>;
}

export interface FilterRule {
  fieldName: string;
  operator: Operator;
  value: unknown;
}

export const OPERATORS = ['eq', 'ne', 'le', 'lt', 'ge', 'gt', 'contains', 'notContains', 'beginsWith', 'in', 'notIn', 'between', 'containsAny'] as const;
export type Operator = (typeof OPERATORS)[number];

const isOperator = (key: string): key is Operator => (OPERATORS as readonly string[]).includes(key);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function matchesFilter(filter: SubscriptionFilter, value: Record<string, unknown>): boolean {
  return filter.filterGroup.some((group) => group.filters.every((rule) => matchesRule(rule, fieldAt(value, rule.fieldName))));
}

function fieldAt(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split('.')) at = isRecord(at) ? at[part] : undefined;
  return at;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Ordering works between two numbers or two strings; anything else does not match. */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function contains(field: unknown, value: unknown): boolean {
  if (Array.isArray(field)) return field.some((item) => same(item, value));
  return typeof field === 'string' && typeof value === 'string' && field.includes(value);
}

function matchesRule(rule: FilterRule, field: unknown): boolean {
  const { operator, value } = rule;
  const order = compare(field, value);
  switch (operator) {
    case 'eq':
      return field !== undefined && same(field, value);
    case 'ne':
      return !same(field, value);
    case 'le':
      return order !== undefined && order <= 0;
    case 'lt':
      return order !== undefined && order < 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'gt':
      return order !== undefined && order > 0;
    case 'contains':
      return contains(field, value);
    case 'notContains':
      return !contains(field, value);
    case 'beginsWith':
      return typeof field === 'string' && typeof value === 'string' && field.startsWith(value);
    case 'in':
      return Array.isArray(value) && field !== undefined && value.some((v) => same(v, field));
    case 'notIn':
      return Array.isArray(value) && !value.some((v) => same(v, field));
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return false;
      const low = compare(field, value[0]);
      const high = compare(field, value[1]);
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'containsAny':
      return Array.isArray(value) && value.some((v) => (Array.isArray(field) ? contains(field, v) : same(field, v)));
  }
}

/**
 * `util.transform.toSubscriptionFilter(filterObject, ignoredFields?, rules?)`: the resolver's simple
 * filter object (`{severity: {le: 2}, or: [{priority: {eq: 'high'}}, ...], and: [...]}`) as filter
 * JSON. Top-level fields and `and` entries are AND-ed; `or` entries make one group each (the result is
 * in disjunctive form, each group a conjunction). Nested objects name nested fields (`author.name`).
 */
export function toSubscriptionFilter(object: unknown, ignoredFields: unknown = [], rules?: unknown): SubscriptionFilter {
  if (rules !== undefined) throw new NotEmulatedError('util.transform.toSubscriptionFilter with its rules argument');
  if (!isRecord(object)) throw new TypeError('toSubscriptionFilter expects a filter object');
  const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.map(String) : []);
  return { filterGroup: disjunction(object, '', ignored).map((filters) => ({ filters })) };
}

/** Each element is one AND-group; the list is OR-ed. */
function disjunction(object: Record<string, unknown>, prefix: string, ignored: Set<string>): FilterRule[][] {
  let groups: FilterRule[][] = [[]];
  const and = (other: FilterRule[][]) => (groups = groups.flatMap((g) => other.map((o) => [...g, ...o])));
  for (const [key, value] of Object.entries(object)) {
    if (ignored.has(key)) continue;
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) throw new TypeError(`toSubscriptionFilter: "${key}" takes a list of filter objects`);
      const parts = value.map((v) => (isRecord(v) ? disjunction(v, prefix, ignored) : [[]]));
      if (key === 'and') for (const part of parts) and(part);
      else and(parts.flat());
      continue;
    }
    if (!isRecord(value)) throw new TypeError(`toSubscriptionFilter: field "${prefix}${key}" needs an object of operators, e.g. {"eq": 1}`);
    const operators = Object.keys(value);
    if (operators.length > 0 && operators.every(isOperator)) {
      and([operators.map((operator) => ({ fieldName: `${prefix}${key}`, operator: operator as Operator, value: value[operator] }))]);
    } else {
      and(disjunction(value, `${prefix}${key}.`, ignored));
    }
  }
  return groups;
}

/** What `extensions.setSubscriptionFilter` was given, checked (it may be a literal from the resolver's realm). */
export function parseFilter(value: unknown): SubscriptionFilter | string {
  const json = JSON.parse(JSON.stringify(value ?? null)) as unknown;
  if (!isRecord(json) || !Array.isArray(json.filterGroup)) return 'the subscription filter needs a filterGroup list';
  for (const group of json.filterGroup) {
    if (!isRecord(group) || !Array.isArray(group.filters)) return 'each filterGroup entry needs a filters list';
    for (const rule of group.filters) {
      if (!isRecord(rule) || typeof rule.fieldName !== 'string') return 'each filter needs a fieldName';
      if (typeof rule.operator !== 'string' || !isOperator(rule.operator)) return `unknown filter operator "${String(isRecord(rule) ? rule.operator : '')}"`;
    }
  }
  return json as unknown as SubscriptionFilter;
}
