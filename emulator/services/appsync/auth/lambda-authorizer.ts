import type { ServiceDeps } from '../../../core/service.ts';
import { TtlCache } from '../../apigw-common/ttl-cache.ts';
import { fail, NOT_AUTHORIZED, principal, type AuthResult } from './identity.ts';
import type { AuthModeOptions } from './options.ts';

type LambdaOptions = Extract<AuthModeOptions, { type: 'AWS_LAMBDA' }>;

/** The GraphQL operation the authorizer is told about (`requestContext`). */
export interface AuthorizedOperation {
  queryString: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

/** What the function answered, cached as answered. */
interface Decision {
  isAuthorized: boolean;
  resolverContext: Record<string, unknown>;
  deniedFields: Set<string>;
}

/** A denied field as `Type.field` or its ARN, `arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>`. */
const FIELD_ARN = /^arn:aws:appsync:[^:]*:[^:]*:apis\/[^/]+\/types\/([^/]+)\/fields\/([^/]+)$/;

/**
 * AppSync's AWS_LAMBDA mode (security-authz.html; reference §1.4): the function gets
 * `{authorizationToken, requestContext}` and answers `{isAuthorized, resolverContext?, deniedFields?,
 * ttlOverride?}`. A token failing `identityValidationExpression` is refused without an invoke. The
 * answer is cached by token for `ttlOverride` (else `resultTtlInSeconds`) on the emulated clock; the
 * cache ignores the operation, as AWS warns it does. A function that fails or answers an unusable
 * shape refuses the request (AWS documents no other outcome).
 */
export class LambdaAuthorizer {
  private readonly cache: TtlCache<Decision>;
  private readonly validation: RegExp | undefined;

  constructor(
    private readonly options: LambdaOptions,
    private readonly api: { name: string; apiId: string },
    private readonly deps: ServiceDeps,
  ) {
    this.cache = new TtlCache(deps.clock);
    this.validation = options.identityValidationExpression ? new RegExp(`^(?:${options.identityValidationExpression})$`) : undefined;
  }

  async authorize(token: string, requestId: string, operation: AuthorizedOperation): Promise<AuthResult> {
    if (this.validation && !this.validation.test(token)) return fail(NOT_AUTHORIZED, 'AWS_LAMBDA: the token does not match identityValidationExpression');
    let decision = this.cache.get(token);
    if (!decision) {
      const answered = await this.invoke(token, requestId, operation);
      if (typeof answered === 'string') return fail(NOT_AUTHORIZED, `AWS_LAMBDA: ${answered}`);
      decision = answered.decision;
      this.cache.set(token, decision, (answered.ttlOverride ?? this.options.resultTtlInSeconds) * 1000);
    }
    if (!decision.isAuthorized) return fail(NOT_AUTHORIZED, 'AWS_LAMBDA: isAuthorized is false');
    return principal('AWS_LAMBDA', { resolverContext: decision.resolverContext }, [], decision.deniedFields);
  }

  private async invoke(token: string, requestId: string, operation: AuthorizedOperation): Promise<{ decision: Decision; ttlOverride?: number } | string> {
    const { deps, api, options } = this;
    const requestContext = { apiId: api.apiId, accountId: deps.accountId, requestId, queryString: operation.queryString, ...(operation.operationName === undefined ? {} : { operationName: operation.operationName }), variables: operation.variables };
    const outcome = await deps.lambda.invoke(options.function, { authorizationToken: token, requestContext });
    deps.trace.record('appsync.authorizer', { api: api.name, requestId, functionName: options.function, outcome: outcome.kind });
    if (outcome.kind === 'rejected') return `invoke rejected: ${outcome.error.errorType}`;
    if (outcome.kind === 'function-error') return `the function failed: ${outcome.error.errorType}`;
    let value: unknown;
    try {
      value = JSON.parse(outcome.payload);
    } catch {
      return 'the answer is not JSON';
    }
    if (typeof value !== 'object' || value === null || typeof (value as { isAuthorized?: unknown }).isAuthorized !== 'boolean') return 'the answer has no boolean isAuthorized';
    const { isAuthorized, resolverContext, deniedFields, ttlOverride } = value as Record<string, unknown>;
    const denied = new Set<string>();
    if (Array.isArray(deniedFields)) {
      for (const entry of deniedFields) {
        if (typeof entry !== 'string') continue;
        const arn = FIELD_ARN.exec(entry);
        denied.add(arn ? `${arn[1]}.${arn[2]}` : entry);
      }
    }
    const context = typeof resolverContext === 'object' && resolverContext !== null && !Array.isArray(resolverContext) ? (resolverContext as Record<string, unknown>) : {};
    return { decision: { isAuthorized: isAuthorized as boolean, resolverContext: context, deniedFields: denied }, ...(typeof ttlOverride === 'number' ? { ttlOverride } : {}) };
  }
}
