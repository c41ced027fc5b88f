import { readFileSync } from 'node:fs';
import { buildASTSchema, GraphQLError, GraphQLScalarType, Kind, parse, Source, validateSchema, type DocumentNode, type GraphQLSchema } from 'graphql';
// Not re-exported by the package index; the SDL rules keep each error's location (assertValidSDL drops them).
import { validateSDL } from 'graphql/validation/validate.js';
import { EmulatorError } from '../../core/errors.ts';
import { AWS_SCALARS } from './scalars.ts';

/**
 * What AppSync defines before a schema is read: its scalars (reference §1.7) and directives (§1.8), so
 * a schema written for AppSync loads unchanged. The auth directives are enforced by auth/directives.ts.
 */
const PRELUDE = `
${AWS_SCALARS.map((s) => `scalar ${s.name}`).join('\n')}
directive @aws_api_key on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_iam on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_oidc on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_lambda on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_auth(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
`;

const PRELUDE_DOCUMENT = parse(new Source(PRELUDE, 'AppSync built-ins'));

/** Builds an executable schema from SDL text; `file` names it in errors. Throws GraphQLError. */
export function buildAppSyncSchema(sdl: string, file: string): GraphQLSchema {
  const user = parse(new Source(sdl, file));
  for (const definition of user.definitions) {
    // AppSync reserves the prefix for its own types (scalars page); it has no user-defined scalars either.
    if ('name' in definition && definition.name && definition.kind !== Kind.DIRECTIVE_DEFINITION && definition.name.value.startsWith('AWS')) {
      throw new GraphQLError(`Type name "${definition.name.value}" uses the prefix "AWS", which AppSync reserves.`, { nodes: definition.name });
    }
  }
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...PRELUDE_DOCUMENT.definitions, ...user.definitions] };
  const [sdlError] = validateSDL(document);
  if (sdlError) throw sdlError;
  const schema = buildASTSchema(document, { assumeValidSDL: true });
  const [schemaError] = validateSchema(schema);
  if (schemaError) throw schemaError;
  // buildASTSchema makes plain scalars; give the AWS ones AppSync's parsing and serialising.
  for (const scalar of AWS_SCALARS) {
    const built = schema.getType(scalar.name);
    if (built instanceof GraphQLScalarType) Object.assign(built, { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
  }
  return schema;
}

/**
 * Duck-typed: under a bundler `graphql` may load as ESM and the deep `validate.js` import as CommonJS,
 * giving two GraphQLError classes.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && 'locations' in error && 'positions' in error;
}

/** Reads and builds the schema at startup; a bad schema fails with its file, line and column. */
export function loadAppSyncSchema(api: string, file: string): GraphQLSchema {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to read the schema of appsyncApis.${api}: ${(cause as Error).message}. Point "schema" at an SDL file, relative to the config file.`, { cause });
  }
  try {
    return buildAppSyncSchema(sdl, file);
  } catch (error) {
    if (!isGraphQLError(error)) throw error;
    const where = error.locations?.[0];
    const at = where ? `${error.source?.name ?? file}:${where.line}:${where.column}` : file;
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to load the schema of appsyncApis.${api}: ${at}: ${error.message} Fix the SDL; AWS scalars and AppSync directives are predefined.`, { cause: error });
  }
}
