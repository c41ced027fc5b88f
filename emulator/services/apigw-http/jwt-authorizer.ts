import { compactVerify, createLocalJWKSet, decodeProtectedHeader, errors, type JSONWebKeySet } from 'jose';
import type { Clock } from '../../core/clock.ts';
import type { AwsHttpError } from '../../core/errors.ts';
import { Forbidden, jwtUnauthorized, type JwtFailure } from './errors.ts';
import type { AuthorizerOutput, EventContext } from './event.ts';
import type { IdentityGetter } from './identity-source.ts';
import { stringifyClaims, tokenScopes } from './jwt-claims.ts';
import type { IncomingRequest } from './request.ts';

/** "Currently, only RSA-based algorithms are supported" (http-api-jwt-authorizer). */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const BEARER = /^bearer /i;

export interface JwtAuthorizerSettings {
  issuer: string;
  audience: string[];
  identity: IdentityGetter;
  jwks: JSONWebKeySet;
}

/**
 * An HTTP API JWT authorizer (§3.6), checking in the documented order: token from the identity source
 * (an optional `Bearer ` prefix), the header's `kid` and RSA algorithm, the signature against the JWKS,
 * `iss`, `aud` (or `client_id` only when there is no `aud`), `exp`, `nbf`, `iat`, then the route's
 * scopes. "Now" is the emulated clock, with no leeway, so advancing a ManualClock past `exp` expires a
 * token exactly then. A token without a numeric `exp` is refused as malformed.
 */
export class JwtAuthorizer {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    private readonly settings: JwtAuthorizerSettings,
    private readonly clock: Clock,
  ) {
    this.keys = createLocalJWKSet(settings.jwks);
  }

  async authorize(request: IncomingRequest, context: EventContext, routeScopes: string[] | undefined): Promise<AuthorizerOutput | AwsHttpError> {
    const raw = this.settings.identity(request, context);
    if (raw === undefined) return jwtUnauthorized('missing');
    const token = BEARER.test(raw) ? raw.slice(7).trim() : raw.trim();
    const verified = await this.verify(token);
    if (typeof verified === 'string') return jwtUnauthorized(verified);
    const failure = this.checkClaims(verified);
    if (failure) return jwtUnauthorized(failure);

    const scopes = tokenScopes(verified);
    if (routeScopes && routeScopes.length > 0) {
      if (!scopes || !scopes.some((s) => routeScopes.includes(s))) return new Forbidden('the token has none of the route\'s authorization scopes');
    }
    // Measured (floci-io/floci#2011): `scopes` is null unless the route requires scopes, and then it is
    // the token's whole scope list, not the intersection.
    return { kind: 'jwt', claims: stringifyClaims(verified), scopes: routeScopes && routeScopes.length > 0 ? scopes ?? null : null };
  }

  private async verify(token: string): Promise<Record<string, unknown> | JwtFailure> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      return 'malformed';
    }
    if (typeof header.alg !== 'string' || !RSA_ALGORITHMS.includes(header.alg)) return 'algorithm';
    if (typeof header.kid !== 'string') return 'kid';
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, this.keys, { algorithms: RSA_ALGORITHMS }));
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'kid';
      if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature';
      if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm';
      return 'malformed';
    }
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
      return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : 'malformed';
    } catch {
      return 'malformed';
    }
  }

  private checkClaims(claims: Record<string, unknown>): JwtFailure | undefined {
    if (claims.iss !== this.settings.issuer) return 'issuer';
    const audiences = this.settings.audience;
    if ('aud' in claims) {
      const aud = claims.aud;
      const list = Array.isArray(aud) ? aud : [aud];
      if (!list.some((a) => typeof a === 'string' && audiences.includes(a))) return 'audience';
    } else if (typeof claims.client_id !== 'string' || !audiences.includes(claims.client_id)) {
      return 'audience';
    }
    const now = this.clock.now() / 1000;
    if (typeof claims.exp !== 'number') return 'malformed';
    if (claims.exp <= now) return 'expired';
    if (typeof claims.nbf === 'number' && claims.nbf > now) return 'not-yet-valid';
    if (typeof claims.iat === 'number' && claims.iat > now) return 'issued-in-future';
    return undefined;
  }
}
