import { EmulatorError } from '../../core/errors.ts';

/**
 * Lambda authorizer identity sources as REST APIs write them (reference §2.11):
 * `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`, `context.X[.Y]`.
 * Parsed once per API; the identity values of a request are these, in order, and they form the
 * authorizer cache key.
 */
export type IdentitySource =
  | { from: 'header'; name: string }
  | { from: 'query'; name: string }
  | { from: 'stageVariables'; name: string }
  | { from: 'context'; path: string[] };

export const DEFAULT_TOKEN_SOURCE = 'method.request.header.Authorization';

export function parseIdentitySources(apiName: string, authorizerName: string, raw: string | string[] | undefined, type: 'TOKEN' | 'REQUEST'): IdentitySource[] {
  const list = (raw === undefined ? (type === 'TOKEN' ? [DEFAULT_TOKEN_SOURCE] : []) : Array.isArray(raw) ? raw : [raw])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const fail = (why: string): never => {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to create REST API "${apiName}": authorizer "${authorizerName}" ${why}.`);
  };
  const sources = list.map((s): IdentitySource => {
    let m: RegExpExecArray | null;
    if ((m = /^method\.request\.header\.(.+)$/.exec(s))) return { from: 'header', name: m[1]!.toLowerCase() };
    if ((m = /^method\.request\.querystring\.(.+)$/.exec(s))) return { from: 'query', name: m[1]! };
    if ((m = /^stageVariables\.(.+)$/.exec(s))) return { from: 'stageVariables', name: m[1]! };
    if ((m = /^context\.(.+)$/.exec(s))) return { from: 'context', path: m[1]!.split('.') };
    return fail(`has identity source "${s}"; use method.request.header.X, method.request.querystring.X, stageVariables.X or context.X`);
  });
  if (type === 'TOKEN' && (sources.length !== 1 || sources[0]!.from !== 'header')) {
    fail('is a TOKEN authorizer, whose identity source must be one header (method.request.header.X)');
  }
  return sources;
}

export interface IdentityLookup {
  header(lowerName: string): string | undefined;
  query(name: string): string | undefined;
  stageVariable(name: string): string | undefined;
  context(): Record<string, unknown>;
}

/** The identity values, or undefined when one is missing or empty (API Gateway: 401, no invoke). */
export function identityValues(sources: readonly IdentitySource[], lookup: IdentityLookup): string[] | undefined {
  const values: string[] = [];
  for (const source of sources) {
    let value: unknown;
    if (source.from === 'header') value = lookup.header(source.name);
    else if (source.from === 'query') value = lookup.query(source.name);
    else if (source.from === 'stageVariables') value = lookup.stageVariable(source.name);
    else value = source.path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), lookup.context());
    if (value === undefined || value === null || value === '') return undefined;
    values.push(String(value));
  }
  return values;
}
