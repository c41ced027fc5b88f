import { getNamedType, isNonNullType, isObjectType, visit, type DocumentNode, type ASTNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { AwsHttpError } from '../../core/errors.ts';
import { AwsScalarError } from './scalars.ts';

/**
 * AppSync's error catalogue. Request-level faults are HTTP errors with Jackson-style pretty bodies
 * (`" : "`, reference §1.4) and `x-amzn-errortype`; everything past parsing is HTTP 200 with GraphQL
 * `errors` entries. AppSync runs graphql-java, so validation messages use its wording
 * ("Validation error of type FieldUndefined: ..."), captured in graphql/graphql-over-http#81.
 */

export function jacksonBody(entry: Array<[string, string]>): string {
  const fields = entry.map(([k, v]) => `    ${JSON.stringify(k)} : ${JSON.stringify(v)}`).join(',\n');
  return `{\n  "errors" : [ {\n${fields}\n  } ]\n}`;
}

/** 401: a missing or wrong API key. Message and bytes as the reference shows them ([O] §1.4). */
export class UnauthorizedException extends AwsHttpError {
  constructor(reason?: string, message = 'You are not authorized to make this call.') {
    super('UnauthorizedException', 401, jacksonBody([['errorType', 'UnauthorizedException'], ['message', message]]), [['x-amzn-errortype', 'UnauthorizedException']], reason);
  }
}

/**
 * 400: an empty body ("Request body is empty.") or one that is not a GraphQL request ("Unable to parse
 * GraphQL query.": `meow`, `{}`, `[]`). [O] graphql/graphql-over-http#81 (message before errorType).
 */
export class MalformedHttpRequestException extends AwsHttpError {
  constructor(message: 'Request body is empty.' | 'Unable to parse GraphQL query.') {
    super('MalformedHttpRequestException', 400, jacksonBody([['message', message], ['errorType', 'MalformedHttpRequestException']]), [['x-amzn-errortype', 'MalformedHttpRequestException']], message);
  }
}

/**
 * 400: a real-time upgrade that does not offer `graphql-ws` (AppSync would not select a subprotocol,
 * and clients fail such a handshake, reference §2.1). Type from Amplify's non-retryable list; text ours.
 */
export class BadRequestException extends AwsHttpError {
  constructor(message: string) {
    super('BadRequestException', 400, jacksonBody([['errorType', 'BadRequestException'], ['message', message]]), [['x-amzn-errortype', 'BadRequestException']], message);
  }
}

/**
 * A resolver's failure as AppSync reports it: `Lambda:Unhandled`, `ExecutionTimeout`, ... An APPSYNC_JS
 * `util.error(message, type?, data?, info?)` fills `data` and `errorInfo` too (null type when none given).
 */
export class ResolverError extends Error {
  constructor(
    readonly errorType: string | null,
    message: string,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
    this.name = 'ResolverError';
  }
}

export const executionTimeout = (): ResolverError => new ResolverError('ExecutionTimeout', 'Execution timed out.');

type Location = { line: number; column: number; sourceName: null };

/** One `errors` entry. Field errors carry AppSync's six keys in its order; request errors three. */
export type AppSyncErrorEntry =
  | { path: Array<string | number>; data: unknown; errorType: string | null; errorInfo: unknown; locations: Location[]; message: string }
  | { path: Array<string | number> | null; locations: Location[] | null; message: string };

const locations = (error: GraphQLError): Location[] => (error.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null }));

const slashPath = (path: ReadonlyArray<string | number>): string => `/${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('/').replace(/\/\[/g, '[')}`;

/** A field error from execution: a resolver's failure, a bad output value or a null in a non-null field. */
export function fieldErrorEntry(error: GraphQLError, schema: GraphQLSchema): AppSyncErrorEntry {
  const path = [...(error.path ?? [])];
  const original = error.originalError;
  if (original instanceof ResolverError) {
    return { path, data: original.data, errorType: original.errorType, errorInfo: original.errorInfo, locations: locations(error), message: original.message };
  }
  if (original instanceof AwsScalarError) {
    return { path, locations: null, message: `Can't serialize value (${slashPath(path)}) : ${original.appsyncMessage}` };
  }
  const nonNull = /^Cannot return null for non-nullable field ([_A-Za-z]\w*)\.([_A-Za-z]\w*)\.$/.exec(error.message);
  if (nonNull) {
    const parent = schema.getType(nonNull[1]!);
    const field = isObjectType(parent) ? parent.getFields()[nonNull[2]!] : undefined;
    const type = field && isNonNullType(field.type) ? String(field.type.ofType) : getNamedType(field?.type)?.name ?? '';
    return { path, locations: null, message: `Cannot return null for non-nullable type: '${type}' within parent '${nonNull[1]}' (${slashPath(path)})` };
  }
  return { path, data: null, errorType: null, errorInfo: null, locations: locations(error), message: error.message };
}

/** A syntax error in graphql-java's words: `Invalid Syntax : offending token 'x' at line 1 column 5`. */
export function syntaxErrorEntry(error: GraphQLError): AppSyncErrorEntry {
  const where = error.locations?.[0] ?? { line: 1, column: 1 };
  const position = error.positions?.[0] ?? 0;
  const rest = error.source?.body.slice(position) ?? '';
  const token = rest.length === 0 ? '<EOF>' : /^[_A-Za-z0-9]+/.exec(rest)?.[0] ?? /^"[^"]*"?/.exec(rest)?.[0] ?? rest[0]!;
  return { path: null, locations: [{ line: where.line, column: where.column, sourceName: null }], message: `Invalid Syntax : offending token '${token}' at line ${where.line} column ${where.column}` };
}

/** A validation error; the rules AppSync's captures show get graphql-java's wording, others graphql-js's. */
export function validationErrorEntry(error: GraphQLError, document: DocumentNode): AppSyncErrorEntry {
  const node = error.nodes?.[0];
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(error.message);
  if (undefinedField && node) {
    return { path: null, locations: locations(error), message: `Validation error of type FieldUndefined: Field '${undefinedField[1]}' in type '${undefinedField[2]}' is undefined @ '${fieldPath(document, node)}'` };
  }
  const original = error.originalError;
  if (original instanceof AwsScalarError && node) {
    const at = argumentAt(document, node);
    if (at) return { path: null, locations: locations(error), message: `Validation error of type WrongType: argument '${at.argument}' with value '${javaValue(node)}' is not a valid '${original.scalar}' @ '${at.field}'` };
  }
  return { path: null, locations: locations(error), message: error.message };
}

/** A variable that failed coercion: `Variable 'phone' has an invalid value. Unable to parse ...` ([O] amplify-flutter#822). */
export function variableErrorEntry(error: GraphQLError): AppSyncErrorEntry {
  const original = rootCause(error);
  const named = /^Variable "\$([^"]+)" got invalid value .*? at "[^"]*?\.?([_A-Za-z]\w*)(?:\[\d+\])*"/.exec(error.message) ?? /^Variable "\$([^"]+)"/.exec(error.message);
  if (original instanceof AwsScalarError && named) {
    return { path: null, locations: locations(error), message: `Variable '${named[2] ?? named[1]}' has an invalid value. ${original.appsyncMessage}` };
  }
  return { path: null, locations: locations(error), message: error.message };
}

/** graphql-js wraps a scalar's error once per layer (input coercion, then the variable). */
function rootCause(error: Error): Error | undefined {
  let cause: Error | undefined = error;
  while (cause && 'originalError' in cause && cause.originalError) cause = cause.originalError as Error;
  return cause === error ? undefined : cause;
}

/** `getPost/author/name`: the fields from the operation down to `target`. */
function fieldPath(document: DocumentNode, target: ASTNode): string {
  const stack: string[] = [];
  let found = '';
  visit(document, {
    Field: {
      enter(node) {
        stack.push(node.name.value);
        if (node === target) {
          found = stack.join('/');
          return false;
        }
        return undefined;
      },
      leave() {
        stack.pop();
      },
    },
  });
  // visit skips `leave` for a node whose `enter` returned false, so `found` was taken before the pop.
  return found;
}

/** Which argument (dotted through input objects) and which field a literal value belongs to. */
function argumentAt(document: DocumentNode, target: ASTNode): { argument: string; field: string } | undefined {
  const fields: string[] = [];
  const names: string[] = [];
  let found: { argument: string; field: string } | undefined;
  visit(document, {
    Field: { enter: (n) => void fields.push(n.name.value), leave: () => void fields.pop() },
    Argument: { enter: (n) => void names.push(n.name.value), leave: () => void names.pop() },
    ObjectField: { enter: (n) => void names.push(n.name.value), leave: () => void names.pop() },
    enter(node) {
      if (node === target && !found) found = { argument: names.join('.'), field: fields.join('/') };
    },
  });
  return found;
}

/** A literal as graphql-java's `toString` prints it: `StringValue{value='x'}`, `IntValue{value=1}`. */
function javaValue(node: ASTNode): string {
  switch (node.kind) {
    case 'StringValue':
      return `StringValue{value='${node.value}'}`;
    case 'IntValue':
      return `IntValue{value=${node.value}}`;
    case 'FloatValue':
      return `FloatValue{value=${node.value}}`;
    case 'BooleanValue':
      return `BooleanValue{value=${node.value}}`;
    case 'EnumValue':
      return `EnumValue{name='${node.value}'}`;
    case 'NullValue':
      return 'NullValue{}';
    case 'ListValue':
      return `ArrayValue{values=[${node.values.map(javaValue).join(', ')}]}`;
    case 'ObjectValue':
      return `ObjectValue{objectFields=[${node.fields.map((f) => `ObjectField{name='${f.name.value}', value=${javaValue(f.value)}}`).join(', ')}]}`;
    case 'Variable':
      return `VariableReference{name='${node.name.value}'}`;
    default:
      return node.kind;
  }
}

