import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildLambdaEvent, resolverHeaders } from '../../../emulator/services/appsync/lambda-event.ts';

function eventFor(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const field = operation.selectionSet.selections[0] as FieldNode;
  return buildLambdaEvent({ arguments: {}, source: undefined, headers: {}, fieldName: field.name.value, parentTypeName: 'Query', field, fragments, variables: {} });
}

describe('AppSync direct Lambda event', () => {
  it('AppSync: selectionSetList lists nested fields as parent/child, aliases by alias, fragments expanded once', () => {
    const event = eventFor('{ getPost { id title: heading author { name ... on Author { id } } ...F } } fragment F on Post { id comments { text } }');
    expect(event.info.selectionSetList).toEqual(['id', 'title', 'author', 'author/name', 'author/id', 'comments', 'comments/text']);
    expect(event.info.selectionSetGraphQL).toBe('{\n  id\n  title: heading\n  author {\n    name\n    ... on Author {\n      id\n    }\n  }\n  ...F\n}');
  });

  it('AppSync: a leaf field has an empty selection set; a root field has source null', () => {
    const event = eventFor('{ ping }');
    expect(event.info).toMatchObject({ selectionSetList: [], selectionSetGraphQL: '' });
    expect(event).toMatchObject({ source: null, identity: null, prev: null, stash: {}, request: { domainName: null } });
  });

  it('AppSync: request headers are lower-cased, repeated values joined', () => {
    expect(resolverHeaders(['X-Api-Key', 'k', 'Accept', 'a', 'accept', 'b'])).toEqual({ 'x-api-key': 'k', accept: 'a, b' });
  });
});
