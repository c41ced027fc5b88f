import type { AuthModeType } from './options.ts';

/**
 * `ctx.identity` per authorization mode, as the direct Lambda resolver event carries it (reference
 * §1.9, Powertools' AppSyncResolverEvent schema); `null` under API_KEY. Key order follows the reference.
 */
export interface CognitoIdentity {
  claims: Record<string, unknown>;
  defaultAuthStrategy: 'ALLOW';
  groups: string[] | null;
  issuer: string;
  sourceIp: string[];
  sub: string;
  username: string;
}

export interface OidcIdentity {
  claims: Record<string, unknown>;
  issuer: string;
  sub: string;
}

export interface LambdaIdentity {
  resolverContext: Record<string, unknown>;
}

export interface IamIdentity {
  accountId: string;
  cognitoIdentityAuthProvider: null;
  cognitoIdentityAuthType: null;
  cognitoIdentityId: null;
  cognitoIdentityPoolId: null;
  sourceIp: string[];
  userArn: string;
  username: string;
}

export type AppSyncIdentity = CognitoIdentity | OidcIdentity | LambdaIdentity | IamIdentity | null;

/** Who a request authenticated as: the mode that accepted it, and what that mode knows. */
export interface Principal {
  mode: AuthModeType;
  identity: AppSyncIdentity;
  /** `cognito:groups`, for `@aws_cognito_user_pools(cognito_groups: [...])`. */
  groups: string[];
  /** `Type.field` names a Lambda authorizer denied (its `deniedFields`). */
  deniedFields: ReadonlySet<string>;
}

/**
 * The 401 texts of reference §1.4. Which cause gets which text is observed, not documented ([O]):
 * a wrong or missing API key, a Lambda authorizer's refusal and a bad SigV4 signature get the generic
 * one; a JWT that fails verification the Cognito one; no credentials at all (without an API_KEY mode)
 * the missing-header one.
 */
export const NOT_AUTHORIZED = 'You are not authorized to make this call.';
export const INVALID_HEADER = 'Valid authorization header not provided.';
export const MISSING_HEADER = 'Missing authorization header';
export const TOKEN_EXPIRED = 'Token has expired.';

export type UnauthorizedMessage = typeof NOT_AUTHORIZED | typeof INVALID_HEADER | typeof MISSING_HEADER | typeof TOKEN_EXPIRED;

/** A refusal: the text the client sees and, for the trace, why. */
export interface AuthFailure {
  failure: UnauthorizedMessage;
  reason: string;
}

export type AuthResult = Principal | AuthFailure;

export const fail = (failure: UnauthorizedMessage, reason: string): AuthFailure => ({ failure, reason });

export function principal(mode: AuthModeType, identity: AppSyncIdentity, groups: string[] = [], deniedFields: ReadonlySet<string> = new Set()): Principal {
  return { mode, identity, groups, deniedFields };
}
