import type { Clock } from '../../core/clock.ts';
import type { AwsHttpError } from '../../core/errors.ts';
import type { Trace } from '../../core/trace.ts';
import { evaluatePolicy, parsePolicyDocument, type PolicyDocument } from '../apigw-common/iam-policy.ts';
import { invokeIntegration } from '../apigw-common/integration.ts';
import { TtlCache } from '../apigw-common/ttl-cache.ts';
import type { LambdaInvoker } from '../lambda-runtime/types.ts';
import { buildAuthorizerEventV1, buildAuthorizerEventV2, routeArn } from './authorizer-event.ts';
import { Forbidden, InternalServerError, Unauthorized } from './errors.ts';
import type { AuthorizerOutput, EventContext } from './event.ts';
import type { IdentityGetter } from './identity-source.ts';
import type { IncomingRequest } from './request.ts';

export interface LambdaAuthorizerSettings {
  api: string;
  region: string;
  functionName: string;
  payloadFormatVersion: '1.0' | '2.0';
  enableSimpleResponses: boolean;
  identity: IdentityGetter[];
  ttlMs: number;
  /** 10 s on AWS (`httpLambdaAuthorizerTimeoutMs`). */
  timeoutMs: number;
}

/** What the authorizer said, cached as said: a policy is re-evaluated for each route it is reused on. */
type Decision =
  | { kind: 'simple'; authorized: boolean; context: Record<string, unknown> }
  | { kind: 'policy'; policy: PolicyDocument; principalId?: string; context: Record<string, unknown> };

/**
 * An HTTP API Lambda (`REQUEST`) authorizer (§3.6, http-api-lambda-authorizer). A missing identity
 * source is a 401 without invoking; an invoke that fails, times out (10 s) or returns an unusable
 * shape is a 500; `isAuthorized: false`, an explicit Deny or no matching Allow is a 403. Results are
 * cached by identity-source values for `resultTtlInSeconds` on the emulated clock, for every route
 * using the authorizer, as AWS documents: a policy naming only the first route denies the others
 * until it expires. AWS's REST convention of an error named exactly "Unauthorized" meaning 401 is not
 * applied: the HTTP API documentation lists only the 500 for a failed authorizer.
 */
export class LambdaAuthorizer {
  private readonly cache: TtlCache<Decision>;

  constructor(
    private readonly settings: LambdaAuthorizerSettings,
    private readonly deps: { clock: Clock; lambda: LambdaInvoker; trace: Trace },
  ) {
    this.cache = new TtlCache(deps.clock);
  }

  async authorize(request: IncomingRequest, context: EventContext): Promise<AuthorizerOutput | AwsHttpError> {
    const identity: string[] = [];
    for (const get of this.settings.identity) {
      const value = get(request, context);
      if (value === undefined) return new Unauthorized('identity source missing');
      identity.push(value);
    }
    const arn = routeArn(this.settings.region, context, request);
    const key = identity.join('\u0000');
    let decision = this.settings.ttlMs > 0 ? this.cache.get(key) : undefined;
    if (!decision) {
      const invoked = await this.invoke(request, context, arn, identity);
      if (typeof invoked === 'string') return new InternalServerError(`authorizer ${invoked}`);
      decision = invoked;
      this.cache.set(key, decision, this.settings.ttlMs);
    }
    return decide(decision, arn);
  }

  private async invoke(request: IncomingRequest, context: EventContext, arn: string, identity: string[]): Promise<Decision | string> {
    const { api, functionName, payloadFormatVersion, timeoutMs } = this.settings;
    const event = payloadFormatVersion === '2.0' ? buildAuthorizerEventV2(request, context, arn, identity) : buildAuthorizerEventV1(request, context, arn, identity);
    const result = await invokeIntegration(this.deps, { api, requestId: context.requestId, functionName, timeoutMs }, event);
    if (result.kind === 'timeout') return 'timed out';
    const outcome = result.outcome;
    if (outcome.kind === 'rejected') return `invoke rejected: ${outcome.error.errorType}`;
    if (outcome.kind === 'function-error') return `failed: ${outcome.error.errorType}`;
    let value: unknown;
    try {
      value = JSON.parse(outcome.payload);
    } catch {
      return 'returned invalid JSON';
    }
    return this.parse(value) ?? 'returned an invalid response';
  }

  private parse(value: unknown): Decision | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const response = value as Record<string, unknown>;
    const context = response.context ?? {};
    if (typeof context !== 'object' || context === null || Array.isArray(context)) return undefined;
    if (this.settings.payloadFormatVersion === '2.0' && this.settings.enableSimpleResponses) {
      if (typeof response.isAuthorized !== 'boolean') return undefined;
      return { kind: 'simple', authorized: response.isAuthorized, context: context as Record<string, unknown> };
    }
    const policy = parsePolicyDocument(response.policyDocument);
    if (!policy) return undefined;
    const principalId = typeof response.principalId === 'string' ? response.principalId : undefined;
    return { kind: 'policy', policy, principalId, context: context as Record<string, unknown> };
  }
}

function decide(decision: Decision, arn: string): AuthorizerOutput | AwsHttpError {
  if (decision.kind === 'simple') {
    return decision.authorized ? { kind: 'lambda', context: decision.context } : new Forbidden('the authorizer returned isAuthorized: false');
  }
  const verdict = evaluatePolicy(decision.policy, 'execute-api:Invoke', arn);
  if (verdict !== 'allow') return new Forbidden(`the authorizer policy ${verdict === 'explicit-deny' ? 'denies' : 'does not allow'} ${arn}`);
  return decision.principalId === undefined ? { kind: 'lambda', context: decision.context } : { kind: 'lambda', context: decision.context, principalId: decision.principalId };
}
