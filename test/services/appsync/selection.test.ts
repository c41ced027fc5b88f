import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../../../emulator/services/appsync/schema.ts';
import { collectFields, fragmentsOf, matchesArguments, project, publicationsOf, subscriptionTriggers } from '../../../emulator/services/appsync/selection.ts';

const schema = buildAppSyncSchema(
  `type Item { id: ID! tags: [Tag] n: Int }
   type Tag { name: String }
   type Query { a: Int }
   type Mutation { put(id: ID!): Item  del(id: ID!): Item }
   type Subscription { onPut(id: ID): Item @aws_subscribe(mutations: ["put"]) onAny: Item @aws_subscribe(mutations: ["put", "del"]) plain: Item }`,
  'selection.graphql',
);

describe('AppSync subscription semantics (pure)', () => {
  it('AppSync selection: @aws_subscribe maps each mutation to its subscription fields', () => {
    expect(Object.fromEntries(subscriptionTriggers(schema))).toEqual({ put: ['onPut', 'onAny'], del: ['onAny'] });
  });

  it('AppSync selection: a mutation publishes each root field under field names, aliases and fragments undone', () => {
    const document = parse('mutation { x: put(id: "1") { id ...F } y: del(id: "2") { id } } fragment F on Item { t: tags { name } }');
    expect(publicationsOf(document, undefined, { x: { id: '1', t: [{ name: 'a' }] }, y: null })).toEqual([{ mutationField: 'put', value: { id: '1', tags: [{ name: 'a' }] } }]);
    expect(publicationsOf(parse('{ a }'), undefined, { a: 1 })).toEqual([]);
  });

  it('AppSync selection: argument filters are equality on published fields; null arguments do not filter', () => {
    expect(matchesArguments({ id: '1' }, { id: '1', n: 2 })).toBe(true);
    expect(matchesArguments({ id: '1' }, { id: '2' })).toBe(false);
    expect(matchesArguments({ id: '1' }, { n: 2 })).toBe(false);
    expect(matchesArguments({ id: null }, { n: 2 })).toBe(true);
    expect(matchesArguments({}, {})).toBe(true);
  });

  it('AppSync selection: the subscriber sees its selection over the published value, lists included, missing fields omitted', () => {
    const document = parse('subscription { onAny { __typename id n tags { __typename label: name } } }');
    const node = collectFields((document.definitions[0] as { selectionSet: Parameters<typeof collectFields>[0] }).selectionSet, {})[0]!;
    expect(project({ id: '1', tags: [{ name: 'a' }, null] }, node.selectionSet, fragmentsOf(document), schema.getType('Item')!)).toEqual({
      __typename: 'Item',
      id: '1',
      tags: [{ __typename: 'Tag', label: 'a' }, null],
    });
  });
});
