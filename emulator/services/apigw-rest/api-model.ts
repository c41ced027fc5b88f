import { EmulatorError } from '../../core/errors.ts';
import { stableId } from '../../core/ids.ts';
import { RouteTable } from '../apigw-common/routes.ts';
import { TokenBucket } from '../apigw-common/token-bucket.ts';
import { TtlCache } from '../apigw-common/ttl-cache.ts';
import type { PolicyDocument } from '../apigw-common/iam-policy.ts';
import { compileBinaryMediaTypes, type MediaTypeMatcher } from './binary.ts';
import { preflightRoutes } from './cors.ts';
import { ContentLengthExceeded } from './errors.ts';
import { integrationTimeoutMs, maxIntegrationTimeoutMs } from './integration-timeout.ts';
import { parseIdentitySources, type IdentitySource } from './identity-sources.ts';
import { compileModels } from './models.ts';
import type { RestApiOptions } from './options.ts';
import { compileRequestValidation, type RequestValidation } from './request-validation.ts';
import { requireStreaming, type RestServiceDeps } from './stream-deps.ts';
import { compileApiKeys, type ApiKeyRecord } from './usage-plans.ts';

/**
 * A REST API's configuration compiled once into what the request path needs: the route table with
 * per-method settings, buckets, compiled regular expressions and lookup maps. Nothing here is
 * recomputed per request.
 */

export interface RestAuthorizer {
  name: string;
  type: 'TOKEN' | 'REQUEST';
  functionName: string;
  sources: IdentitySource[];
  /** TOKEN only; anchored, as API Gateway matches the whole token. */
  validation?: RegExp;
  ttlMs: number;
}

export interface RestRoute {
  kind: 'lambda' | 'cors';
  key: string;
  resourceId: string;
  functionName: string;
  timeoutMs: number;
  /** STREAM: the response is streamed (stream.ts); BUFFERED otherwise, CORS preflights included. */
  transferMode: 'BUFFERED' | 'STREAM';
  authorizer?: RestAuthorizer;
  apiKeyRequired: boolean;
  /**
   * The route's own limits, or else the stage's default method throttling. AWS applies the default
   * per method ("default per-method limits"), so every route gets its own bucket.
   */
  throttle?: { bucket: TokenBucket; detail: string };
  /** The method's request validator with its parameters and models resolved; absent without one. */
  validation?: RequestValidation;
  /** Preflight answer headers (kind 'cors'). */
  corsHeaders: Array<[string, string]>;
}

export interface CachedAuthorization {
  principalId: string;
  context: Record<string, string | null>;
  policy: PolicyDocument;
  usageIdentifierKey?: string;
}

export interface RestApiModel {
  name: string;
  apiId: string;
  stage: string;
  deploymentId: string;
  domainName: string;
  region: string;
  accountId: string;
  edge: boolean;
  stageVariables: Record<string, string> | null;
  routes: RouteTable<RestRoute>;
  binary: MediaTypeMatcher;
  apiKeySource: 'HEADER' | 'AUTHORIZER';
  apiKeys: Map<string, ApiKeyRecord>;
  accountBucket: TokenBucket;
  authorizerCache: TtlCache<CachedAuthorization>;
  contentTooLarge: ContentLengthExceeded;
}

function authorizerOf(apiName: string, routeKey: string, authorizerName: string, authorizers: Map<string, RestAuthorizer>): RestAuthorizer {
  const found = authorizers.get(authorizerName);
  if (!found) {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to create REST API "${apiName}": route "${routeKey}" names unknown authorizer "${authorizerName}". Declare it under "authorizers".`);
  }
  return found;
}

export function compileRestApi(name: string, options: RestApiOptions, deps: RestServiceDeps, accountBucket: TokenBucket): RestApiModel {
  const apiId = stableId(name, 10);
  const maxTimeoutMs = maxIntegrationTimeoutMs(name, options, deps.limits);
  const authorizers = new Map<string, RestAuthorizer>();
  for (const [authName, a] of Object.entries(options.authorizers)) {
    authorizers.set(authName, {
      name: authName,
      type: a.type,
      functionName: a.function,
      sources: parseIdentitySources(name, authName, a.identitySource, a.type),
      validation: a.type === 'TOKEN' && a.identityValidationExpression ? new RegExp(`^(?:${a.identityValidationExpression})$`) : undefined,
      ttlMs: a.resultTtlInSeconds * 1000,
    });
  }
  const models = compileModels(name, apiId, options.models);
  const stageThrottle = options.throttle;
  const entries: Array<[string, RestRoute]> = [];
  for (const [key, raw] of Object.entries(options.routes)) {
    const route = typeof raw === 'string' ? { function: raw, apiKeyRequired: false } : raw;
    const resource = key.slice(key.indexOf(' ') + 1);
    const throttle = ('throttle' in route ? route.throttle : undefined) ?? stageThrottle;
    const transferMode = 'responseTransferMode' in route ? route.responseTransferMode : 'BUFFERED';
    if (transferMode === 'STREAM') requireStreaming(name, key, deps);
    // STREAM routes may wait up to 15 minutes for their first byte without a raised quota.
    const routeMaxTimeoutMs = transferMode === 'STREAM' ? deps.limits.restStreamIntegrationTimeoutMaxMs : maxTimeoutMs;
    entries.push([key, {
      kind: 'lambda',
      key,
      resourceId: stableId(`${apiId}:${resource}`, 6),
      functionName: route.function,
      timeoutMs: integrationTimeoutMs(name, key, 'integrationTimeoutMs' in route ? route.integrationTimeoutMs : undefined, routeMaxTimeoutMs, deps.limits, transferMode === 'STREAM'),
      transferMode,
      authorizer: 'authorizer' in route && route.authorizer ? authorizerOf(name, key, route.authorizer, authorizers) : undefined,
      apiKeyRequired: route.apiKeyRequired,
      validation: typeof raw === 'string' ? undefined : compileRequestValidation(name, key, raw, models),
      throttle: throttle && {
        bucket: new TokenBucket(deps.clock, throttle.rateLimit, throttle.burstLimit),
        detail: `stage "${options.stage}" method ${key}: rate ${throttle.rateLimit}/s, burst ${throttle.burstLimit}`,
      },
      corsHeaders: [],
    }]);
  }
  for (const p of preflightRoutes(options)) {
    const resource = p.key.slice(p.key.indexOf(' ') + 1);
    entries.push([p.key, {
      kind: 'cors',
      key: p.key,
      resourceId: stableId(`${apiId}:${resource}`, 6),
      functionName: '',
      timeoutMs: 0,
      transferMode: 'BUFFERED',
      apiKeyRequired: false,
      throttle: stageThrottle && {
        bucket: new TokenBucket(deps.clock, stageThrottle.rateLimit, stageThrottle.burstLimit),
        detail: `stage "${options.stage}" method ${p.key}: rate ${stageThrottle.rateLimit}/s, burst ${stageThrottle.burstLimit}`,
      },
      corsHeaders: p.headers,
    }]);
  }
  return {
    name,
    apiId,
    stage: options.stage,
    deploymentId: stableId(`${apiId}:deployment`, 6),
    domainName: `${apiId}.execute-api.${deps.region}.amazonaws.com`,
    region: deps.region,
    accountId: deps.accountId,
    edge: options.endpointType === 'EDGE',
    stageVariables: options.stageVariables && Object.keys(options.stageVariables).length > 0 ? options.stageVariables : null,
    routes: new RouteTable(entries),
    binary: compileBinaryMediaTypes(options.binaryMediaTypes),
    apiKeySource: options.apiKeySource,
    apiKeys: compileApiKeys(name, apiId, options, deps.clock),
    accountBucket,
    authorizerCache: new TtlCache(deps.clock),
    contentTooLarge: new ContentLengthExceeded(deps.limits.restPayloadBytes),
  };
}
