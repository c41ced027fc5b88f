import type { ServiceDeps } from '../../core/service.ts';
import { invokeIntegration } from '../apigw-common/integration.ts';
import type { LambdaInvoker } from '../lambda-runtime/types.ts';
import { evaluatePolicy } from '../apigw-common/iam-policy.ts';
import type { CachedAuthorization, RestApiModel, RestAuthorizer } from './api-model.ts';
import { buildRequestAuthorizerEvent, buildTokenAuthorizerEvent } from './authorizer-event.ts';
import { parseAuthorizerResult } from './authorizer-result.ts';
import { GATEWAY_ERRORS, type RestApiError } from './errors.ts';
import { buildRequestContext, type RequestContextInput } from './event.ts';
import { eventHeader, type EventHeaders } from './headers.ts';
import { identityValues } from './identity-sources.ts';
import type { QueryParameters } from './request.ts';

/**
 * Lambda authorizers, TOKEN and REQUEST (reference §2.11):
 * 1. Identity sources missing or empty, or a TOKEN failing `identityValidationExpression`: 401,
 *    the authorizer is not invoked.
 * 2. The result is cached per identity for `resultTtlInSeconds` on the emulated clock. The WHOLE
 *    policy is cached and evaluated again against each new method ARN: a policy naming only the first
 *    method denies the others until it expires (AWS's documented caching gotcha).
 * 3. A function error whose message is exactly "Unauthorized" is a 401; any other error, a timeout
 *    (the REST integration limit) or unusable output is a 500 `{"message":null}`. Only usable
 *    policies are cached.
 * 4. Explicit Deny: 403 "...with an explicit deny"; no matching Allow: 403 implicit deny.
 */

export type Authorization = { ok: true; result: CachedAuthorization; integrationLatency: number } | { ok: false; error: RestApiError };

export interface AuthorizeRequest {
  methodArn: string;
  context: RequestContextInput;
  headers: EventHeaders;
  query: QueryParameters;
  pathParameters: Record<string, string> | null;
}

export async function authorize(api: RestApiModel, deps: ServiceDeps, authorizer: RestAuthorizer, req: AuthorizeRequest): Promise<Authorization> {
  const values = identityValues(authorizer.sources, {
    header: (name) => eventHeader(req.headers, name),
    query: (name) => req.query.single?.[name],
    stageVariable: (name) => api.stageVariables?.[name],
    context: () => buildRequestContext(req.context),
  });
  if (!values) return { ok: false, error: GATEWAY_ERRORS.unauthorized };
  if (authorizer.validation && !authorizer.validation.test(values[0]!)) return { ok: false, error: GATEWAY_ERRORS.unauthorized };

  const cacheKey = authorizer.ttlMs > 0 && values.length > 0 ? `${authorizer.name}\n${values.join('\n')}` : undefined;
  const cached = cacheKey === undefined ? undefined : api.authorizerCache.get(cacheKey);
  let result = cached;
  let integrationLatency = 0;
  if (!result) {
    const invoked = await invokeAuthorizer(api, deps, authorizer, req, values);
    if (!invoked.ok) return invoked;
    result = invoked.result;
    integrationLatency = invoked.latencyMs;
    if (cacheKey !== undefined) api.authorizerCache.set(cacheKey, result, authorizer.ttlMs);
  }

  const decision = evaluatePolicy(result.policy, 'execute-api:Invoke', req.methodArn);
  if (decision === 'explicit-deny') return { ok: false, error: GATEWAY_ERRORS.explicitDeny };
  if (decision === 'implicit-deny') return { ok: false, error: GATEWAY_ERRORS.implicitDeny };
  return { ok: true, result, integrationLatency };
}

async function invokeAuthorizer(
  api: RestApiModel,
  deps: ServiceDeps,
  authorizer: RestAuthorizer,
  req: AuthorizeRequest,
  values: string[],
): Promise<{ ok: true; result: CachedAuthorization; latencyMs: number } | { ok: false; error: RestApiError }> {
  const event =
    authorizer.type === 'TOKEN'
      ? buildTokenAuthorizerEvent(values[0]!, req.methodArn)
      : buildRequestAuthorizerEvent({
          methodArn: req.methodArn,
          context: req.context,
          headers: req.headers,
          query: req.query,
          pathParameters: req.pathParameters,
          stageVariables: api.stageVariables,
        });
  const watch = initExcludingStopwatch(deps);
  const invoked = await invokeIntegration(
    { clock: deps.clock, trace: deps.trace, lambda: watch.lambda },
    { api: api.name, requestId: req.context.requestId, functionName: authorizer.functionName, timeoutMs: deps.limits.restIntegrationTimeoutMs },
    event,
  );
  if (invoked.kind === 'timeout') return { ok: false, error: GATEWAY_ERRORS.authorizerFailure };
  const outcome = invoked.outcome;
  if (outcome.kind === 'rejected') return { ok: false, error: GATEWAY_ERRORS.authorizerFailure };
  if (outcome.kind === 'function-error') {
    return { ok: false, error: outcome.error.errorMessage === 'Unauthorized' ? GATEWAY_ERRORS.unauthorized : GATEWAY_ERRORS.authorizerFailure };
  }
  const result = parseAuthorizerResult(outcome.payload);
  if (!result) {
    deps.log.debug(`Failed to use the result of authorizer "${authorizer.name}": it is not a valid authorizer response. Return principalId, policyDocument and a flat context.`);
    return { ok: false, error: GATEWAY_ERRORS.authorizerConfiguration };
  }
  return { ok: true, result, latencyMs: watch.elapsed() };
}

/**
 * Measures an invocation in emulated time minus the emulator's own environment start-up, as the
 * integration timer does (apigw-common/integration.ts): with compressed time a worker's real start-up
 * would otherwise show as many emulated seconds of `integrationLatency`.
 */
function initExcludingStopwatch(deps: ServiceDeps): { lambda: LambdaInvoker; elapsed(): number } {
  let total = 0;
  let since: number | undefined = deps.clock.now();
  const stop = () => {
    if (since !== undefined) total += deps.clock.now() - since;
    since = undefined;
  };
  const lambda: LambdaInvoker = {
    hasFunction: (name) => deps.lambda.hasFunction(name),
    invoke: (name, event, options) =>
      deps.lambda.invoke(name, event, {
        ...options,
        onInitStart() {
          stop();
          options?.onInitStart?.();
        },
        onInitEnd() {
          since = deps.clock.now();
          options?.onInitEnd?.();
        },
      }),
  };
  const elapsed = () => {
    stop();
    return Math.round(total);
  };
  return { lambda, elapsed };
}
