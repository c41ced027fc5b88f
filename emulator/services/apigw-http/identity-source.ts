import { EmulatorError } from '../../core/errors.ts';
import { clfTime } from '../../core/ids.ts';
import { domainPrefix, type EventContext } from './event.ts';
import type { IncomingRequest } from './request.ts';

/**
 * Identity source selection expressions (http-api-lambda-authorizer, "Identity sources"), parsed once
 * at startup into getters: `$request.header.<name>` (case-insensitive), `$request.querystring.<name>`
 * (case-sensitive), `$context.<variable>` and `$stageVariables.<name>`. An empty value counts as
 * missing, so the request is refused with 401 before any authorizer runs.
 */
export type IdentityGetter = (request: IncomingRequest, context: EventContext) => string | undefined;

const CONTEXT_VARIABLES: Record<string, (request: IncomingRequest, context: EventContext) => string> = {
  accountId: (_, c) => c.accountId,
  apiId: (_, c) => c.apiId,
  domainName: (_, c) => c.domainName,
  domainPrefix: (_, c) => domainPrefix(c.domainName),
  httpMethod: (r) => r.method,
  'identity.sourceIp': (r) => r.sourceIp,
  'identity.userAgent': (r) => r.userAgent,
  path: (r) => r.rawPath,
  protocol: (r) => r.protocol,
  requestId: (_, c) => c.requestId,
  requestTime: (_, c) => clfTime(c.timeEpoch),
  requestTimeEpoch: (_, c) => String(Math.floor(c.timeEpoch)),
  routeKey: (_, c) => c.routeKey,
  stage: (_, c) => c.stage,
};

export function parseIdentitySource(expression: string, where: string): IdentityGetter {
  const header = prefixed(expression, '$request.header.');
  if (header !== undefined) {
    const name = header.toLowerCase();
    // `cookie` is not in the 2.0 header map (it became `cookies`), so rebuild it for the authorizer.
    if (name === 'cookie') return (r) => nonEmpty(r.cookies.join('; '));
    return (r) => nonEmpty(r.headers[name]);
  }
  const query = prefixed(expression, '$request.querystring.');
  if (query !== undefined) return (r) => nonEmpty(r.query?.[query]);
  const stageVariable = prefixed(expression, '$stageVariables.');
  if (stageVariable !== undefined) return (_, c) => nonEmpty(c.stageVariables?.[stageVariable]);
  const variable = prefixed(expression, '$context.');
  const read = variable === undefined ? undefined : CONTEXT_VARIABLES[variable];
  if (read) return (r, c) => nonEmpty(read(r, c));
  throw new EmulatorError(
    'ERR_CONFIG_VALIDATION',
    `Failed to read identity source "${expression}" at ${where}: it is not a supported selection expression. Use $request.header.<name>, $request.querystring.<name>, $stageVariables.<name> or $context.<${Object.keys(CONTEXT_VARIABLES).join('|')}>.`,
  );
}

function prefixed(expression: string, prefix: string): string | undefined {
  return expression.startsWith(prefix) && expression.length > prefix.length ? expression.slice(prefix.length) : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
