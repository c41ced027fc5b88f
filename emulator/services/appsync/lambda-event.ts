import { Kind, print, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { AppSyncIdentity } from './auth/identity.ts';

/**
 * The event of a direct Lambda resolver: AppSync's whole resolver context (reference §1.9;
 * https://docs.aws.amazon.com/appsync/latest/devguide/direct-lambda-reference.html), in the order of
 * AWS's example. Powertools' schema types the same fields.
 */
export interface AppSyncLambdaEvent {
  arguments: Record<string, unknown>;
  /** The authorizing mode's identity (auth/identity.ts); `null` under API_KEY. */
  identity: AppSyncIdentity;
  /** The parent field's value; `null` for Query, Mutation and Subscription fields. */
  source: Record<string, unknown> | null;
  request: { headers: Record<string, string>; domainName: string | null };
  prev: null;
  info: {
    fieldName: string;
    parentTypeName: string;
    selectionSetList: string[];
    selectionSetGraphQL: string;
    variables: Record<string, unknown>;
  };
  stash: Record<string, unknown>;
}

export interface LambdaEventInput {
  arguments: Record<string, unknown>;
  /** Absent: `null`, as under API_KEY. */
  identity?: AppSyncIdentity;
  source: unknown;
  headers: Record<string, string>;
  fieldName: string;
  parentTypeName: string;
  field: FieldNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

export function buildLambdaEvent(input: LambdaEventInput): AppSyncLambdaEvent {
  const selection = input.field.selectionSet;
  return {
    arguments: input.arguments,
    identity: input.identity ?? null,
    source: input.source === undefined || input.source === null ? null : (input.source as Record<string, unknown>),
    request: { headers: input.headers, domainName: null },
    prev: null,
    info: {
      fieldName: input.fieldName,
      parentTypeName: input.parentTypeName,
      selectionSetList: selection ? selectionList(selection, input.fragments, '') : [],
      // Fragments are not merged here; AppSync prints the selection set as the client wrote it.
      selectionSetGraphQL: selection ? print(selection) : '',
      variables: input.variables,
    },
    stash: {},
  };
}

/**
 * Every selected field below the resolver's, nested ones as `parent/child`. An aliased field appears
 * under its alias only (resolver context reference); fragments are expanded in place.
 */
function selectionList(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, prefix: string): string[] {
  const out: string[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = `${prefix}${(selection.alias ?? selection.name).value}`;
      if (!out.includes(name)) out.push(name);
      if (selection.selectionSet) for (const nested of selectionList(selection.selectionSet, fragments, `${name}/`)) if (!out.includes(nested)) out.push(nested);
    } else {
      const nestedSet = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
      if (nestedSet) for (const nested of selectionList(nestedSet, fragments, prefix)) if (!out.includes(nested)) out.push(nested);
    }
  }
  return out;
}

/** Request headers as AppSync hands them to resolvers: lower-case names, repeated values joined. */
export function resolverHeaders(rawHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    out[name] = name in out ? `${out[name]}, ${rawHeaders[i + 1]!}` : rawHeaders[i + 1]!;
  }
  return out;
}
