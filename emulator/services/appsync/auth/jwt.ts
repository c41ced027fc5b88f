import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Clock } from '../../../core/clock.ts';
import { fail, INVALID_HEADER, principal, TOKEN_EXPIRED, type AuthResult } from './identity.ts';
import type { AuthModeOptions } from './options.ts';

type CognitoOptions = Extract<AuthModeOptions, { type: 'AMAZON_COGNITO_USER_POOLS' }>;
type OidcOptions = Extract<AuthModeOptions, { type: 'OPENID_CONNECT' }>;

/** Cognito and the local issuer sign with RSA keys; anything else is refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** Three base64url segments: what `Authorization` holds under Cognito or OIDC (an optional `Bearer ` is allowed, §2.2). */
export function jwtOf(header: string): string | undefined {
  const token = header.replace(/^bearer\s+/i, '').trim();
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token) ? token : undefined;
}

/**
 * One Cognito user pool or OIDC provider: the signature against the local issuer's JWKS, then `iss`,
 * the client, and expiry, all on the emulated clock with no leeway, so advancing a ManualClock past
 * `exp` (or OIDC's `iatTTL`/`authTTL`) expires the token exactly then.
 */
export class JwtMode {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;
  private readonly clientPattern: RegExp | undefined;

  constructor(
    private readonly options: CognitoOptions | OidcOptions,
    /** The `iss` tokens must carry. */
    readonly issuer: string,
    jwks: JSONWebKeySet,
    private readonly clock: Clock,
  ) {
    this.keys = createLocalJWKSet(jwks);
    this.clientPattern = options.type === 'AMAZON_COGNITO_USER_POOLS' && options.appIdClientRegex ? new RegExp(`^(?:${options.appIdClientRegex})$`) : undefined;
  }

  get type(): AuthModeOptions['type'] {
    return this.options.type;
  }

  async authorize(token: string, sourceIp: string): Promise<AuthResult> {
    let claims: Record<string, unknown>;
    try {
      const { payload } = await compactVerify(token, this.keys, { algorithms: ALGORITHMS });
      claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
    } catch {
      return fail(INVALID_HEADER, `${this.options.type}: the token's signature does not verify against the local issuer's keys`);
    }
    if (typeof claims !== 'object' || claims === null) return fail(INVALID_HEADER, `${this.options.type}: the token's payload is not a JSON object`);
    if (claims.iss !== this.issuer) return fail(INVALID_HEADER, `${this.options.type}: iss ${String(claims.iss)} is not ${this.issuer}`);
    if (!this.clientMatches(claims)) return fail(INVALID_HEADER, `${this.options.type}: the token's client is not accepted`);
    const now = this.clock.now();
    if (typeof claims.exp !== 'number') return fail(INVALID_HEADER, `${this.options.type}: the token has no exp`);
    if (claims.exp * 1000 <= now) return fail(TOKEN_EXPIRED, `${this.options.type}: exp passed`);
    if (this.options.type === 'OPENID_CONNECT') {
      const { iatTTL, authTTL } = this.options;
      if (iatTTL && typeof claims.iat === 'number' && claims.iat * 1000 + iatTTL <= now) return fail(TOKEN_EXPIRED, 'OPENID_CONNECT: iatTTL passed');
      if (authTTL && typeof claims.auth_time === 'number' && claims.auth_time * 1000 + authTTL <= now) return fail(TOKEN_EXPIRED, 'OPENID_CONNECT: authTTL passed');
    }
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (this.options.type === 'OPENID_CONNECT') return principal('OPENID_CONNECT', { claims, issuer: this.issuer, sub });
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]).filter((g): g is string => typeof g === 'string') : null;
    const username = [claims['cognito:username'], claims.username, sub].find((u): u is string => typeof u === 'string') ?? '';
    return principal('AMAZON_COGNITO_USER_POOLS', { claims, defaultAuthStrategy: 'ALLOW', groups, issuer: this.issuer, sourceIp: [sourceIp], sub, username }, groups ?? []);
  }

  /** Cognito: `appIdClientRegex` against `client_id` (access token) or `aud` (ID token). OIDC: `clientId` equals `aud` or `client_id`. */
  private clientMatches(claims: Record<string, unknown>): boolean {
    const ids = [claims.client_id, ...(Array.isArray(claims.aud) ? claims.aud : [claims.aud])].filter((v): v is string => typeof v === 'string');
    if (this.options.type === 'OPENID_CONNECT') return this.options.clientId === undefined || ids.includes(this.options.clientId);
    return this.clientPattern === undefined || ids.some((id) => this.clientPattern!.test(id));
  }
}
