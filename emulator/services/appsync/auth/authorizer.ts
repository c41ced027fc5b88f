import type { GraphQLSchema } from 'graphql';
import { EmulatorError } from '../../../core/errors.ts';
import type { LocalIssuer } from '../../../core/local-issuer.ts';
import type { ServiceDeps } from '../../../core/service.ts';
import { DirectiveRules } from './directives.ts';
import { IamMode, type SignedRequest } from './iam.ts';
import { fail, INVALID_HEADER, MISSING_HEADER, NOT_AUTHORIZED, principal, TOKEN_EXPIRED, type AuthFailure, type AuthResult, type Principal } from './identity.ts';
import { jwtOf, JwtMode } from './jwt.ts';
import { LambdaAuthorizer, type AuthorizedOperation } from './lambda-authorizer.ts';
import type { AuthModeOptions, AuthModeType } from './options.ts';

/** One request's credentials and what the modes may need to judge them. */
export interface AuthRequest {
  /** Lower-case names (HTTP headers, or the real-time header object). */
  headers: Record<string, string>;
  sourceIp: string;
  requestId: string;
  /** The operation, for a Lambda authorizer's `requestContext`. */
  operation: AuthorizedOperation;
  /** What a SigV4 signature covers. */
  signed: SignedRequest;
}

export const isFailure = (result: AuthResult): result is AuthFailure => 'failure' in result;

/**
 * An AppSync API's authorization: which configured mode a request's headers speak to, that mode's
 * verdict, and (through the directives) which fields the principal may read. A request is tried only
 * against the modes its headers could match: `x-api-key` -> API_KEY; `Authorization: AWS4-HMAC-SHA256`
 * -> AWS_IAM; a JWT in `Authorization` -> the Cognito and OIDC modes (first acceptance wins); any other
 * `Authorization` value -> AWS_LAMBDA. API_KEY answers synchronously, so real-time code keeps its order.
 */
export class AppSyncAuthorizer {
  readonly modes: AuthModeType[];
  private readonly apiKey: string | undefined;
  private readonly jwt: JwtMode[] = [];
  private readonly lambda: LambdaAuthorizer | undefined;
  private readonly iam: IamMode | undefined;
  /** None for an Events-only API: no schema, no directives. */
  private readonly rules: DirectiveRules | undefined;

  constructor(api: { name: string; apiId: string; apiKey: string }, modes: AuthModeOptions[], schema: GraphQLSchema | undefined, deps: ServiceDeps, issuer: LocalIssuer | undefined) {
    this.modes = modes.map((m) => m.type);
    this.rules = schema && new DirectiveRules(schema, this.modes);
    let lambda: LambdaAuthorizer | undefined;
    let iam: IamMode | undefined;
    modes.forEach((mode, i) => {
      const where = `appsyncApis.${api.name}.auth[${i}]`;
      if (mode.type === 'API_KEY') return;
      if (mode.type === 'AWS_LAMBDA') lambda = new LambdaAuthorizer(mode, api, deps);
      else if (mode.type === 'AWS_IAM') iam = new IamMode(mode, deps.accountId, deps.clock);
      else {
        if (!issuer) throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure ${where}: ${mode.type} verifies tokens with the emulator's local issuer, which this API was not given. Start the API through startEmulator.`);
        const expected = mode.type === 'OPENID_CONNECT' ? (mode.issuer ?? issuer.issuer) : mode.userPoolId ? `https://cognito-idp.${deps.region}.amazonaws.com/${mode.userPoolId}` : issuer.issuer;
        this.jwt.push(new JwtMode(mode, expected, issuer.jwks(), deps.clock));
      }
    });
    this.apiKey = modes.some((m) => m.type === 'API_KEY') ? api.apiKey : undefined;
    this.lambda = lambda;
    this.iam = iam;
  }

  /** Whether `principal` may read `Type.field` (directives, Cognito groups, Lambda deniedFields). */
  allows(principal: Principal, typeName: string, fieldName: string): boolean {
    return this.rules?.allows(principal, typeName, fieldName) ?? true;
  }

  authorize(request: AuthRequest): AuthResult | Promise<AuthResult> {
    const { headers } = request;
    const key = headers['x-api-key'];
    const authorization = headers.authorization;
    if (key !== undefined && this.apiKey !== undefined) return key === this.apiKey ? principal('API_KEY', null) : fail(NOT_AUTHORIZED, 'API_KEY: wrong API key');
    if (authorization !== undefined && authorization.length > 0) {
      if (authorization.startsWith('AWS4-HMAC-SHA256')) {
        return this.iam ? this.iam.authorize(headers, request.signed, request.sourceIp) : fail(NOT_AUTHORIZED, 'a SigV4 signature, and AWS_IAM is not configured');
      }
      const token = jwtOf(authorization);
      if (token !== undefined && this.jwt.length > 0) return this.tryJwt(token, request.sourceIp);
      if (this.lambda) return this.lambda.authorize(authorization, request.requestId, request.operation);
      if (this.jwt.length > 0) return fail(INVALID_HEADER, 'the Authorization header is not a JWT');
    }
    if (key !== undefined || this.apiKey !== undefined) return fail(NOT_AUTHORIZED, key === undefined ? 'API_KEY: no x-api-key header' : 'an x-api-key header, and API_KEY is not configured');
    return fail(authorization === undefined ? MISSING_HEADER : NOT_AUTHORIZED, 'no credentials for any configured mode');
  }

  /** Each JWT mode in order; the first acceptance wins. An expiry anywhere is reported as such. */
  private async tryJwt(token: string, sourceIp: string): Promise<AuthResult> {
    const failures: AuthFailure[] = [];
    for (const mode of this.jwt) {
      const result = await mode.authorize(token, sourceIp);
      if (!isFailure(result)) return result;
      failures.push(result);
    }
    return failures.find((f) => f.failure === TOKEN_EXPIRED) ?? failures[0]!;
  }
}
