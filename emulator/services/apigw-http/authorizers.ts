import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { EmulatorError, type AwsHttpError } from '../../core/errors.ts';
import type { LocalIssuer } from '../../core/local-issuer.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { AuthorizerOutput, EventContext } from './event.ts';
import { parseIdentitySource } from './identity-source.ts';
import { JwtAuthorizer } from './jwt-authorizer.ts';
import { LambdaAuthorizer } from './lambda-authorizer.ts';
import type { HttpApiOptions } from './options.ts';
import type { IncomingRequest } from './request.ts';

/** Either kind of authorizer, as a route sees it. */
export interface RouteAuthorizer {
  authorize(request: IncomingRequest, context: EventContext, scopes: string[] | undefined): Promise<AuthorizerOutput | AwsHttpError>;
}

/**
 * Builds the API's authorizers once, at startup: identity sources parsed, JWKS files read. Problems
 * are reported here, with the config path, rather than as 500s at request time.
 */
export function createAuthorizers(
  api: string,
  options: HttpApiOptions,
  deps: ServiceDeps,
  extra: { baseDir: string; issuer: LocalIssuer },
): Map<string, RouteAuthorizer> {
  const out = new Map<string, RouteAuthorizer>();
  for (const [name, config] of Object.entries(options.authorizers)) {
    const where = `httpApis.${api}.authorizers.${name}`;
    if (config.type === 'JWT') {
      const jwks = config.jwksFile === undefined ? extra.issuer.jwks() : readJwks(resolve(extra.baseDir, config.jwksFile), where);
      if (config.jwksFile === undefined && config.issuer !== extra.issuer.issuer) {
        deps.log.warn(
          `Failed to match ${where}.issuer "${config.issuer}" with the local issuer "${extra.issuer.issuer}": without a jwksFile the authorizer trusts the local issuer's keys, and every token it signs carries its own "iss", so they will all be refused. Set issuer to "${extra.issuer.issuer}" or add a jwksFile.`,
        );
      }
      const identity = parseIdentitySource(config.identitySource, `${where}.identitySource`);
      const jwt = new JwtAuthorizer({ issuer: config.issuer, audience: config.audience, identity, jwks }, deps.clock);
      out.set(name, { authorize: (request, context, scopes) => jwt.authorize(request, context, scopes) });
    } else {
      if (config.resultTtlInSeconds > 0 && config.identitySource.length === 0) {
        throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure ${where}: caching (resultTtlInSeconds > 0) needs at least one identity source, as on AWS. Add an identitySource or set resultTtlInSeconds to 0.`);
      }
      if (config.enableSimpleResponses && config.payloadFormatVersion === '1.0') {
        throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure ${where}: simple responses need payloadFormatVersion "2.0", as on AWS. Set payloadFormatVersion to "2.0" or enableSimpleResponses to false.`);
      }
      const lambda = new LambdaAuthorizer(
        {
          api,
          region: deps.region,
          functionName: config.function,
          payloadFormatVersion: config.payloadFormatVersion,
          enableSimpleResponses: config.enableSimpleResponses,
          identity: config.identitySource.map((s, i) => parseIdentitySource(s, `${where}.identitySource[${i}]`)),
          ttlMs: config.resultTtlInSeconds * 1000,
          timeoutMs: deps.limits.httpLambdaAuthorizerTimeoutMs,
        },
        deps,
      );
      out.set(name, { authorize: (request, context) => lambda.authorize(request, context) });
    }
  }
  return out;
}

function readJwks(file: string, where: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to read ${where}.jwksFile "${file}": ${(cause as Error).message}. Point it at a JSON Web Key Set, as the issuer's jwks_uri serves it.`, { cause });
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to read ${where}.jwksFile "${file}": it has no "keys" array. Point it at a JSON Web Key Set, as the issuer's jwks_uri serves it.`);
  }
  return parsed as JSONWebKeySet;
}
