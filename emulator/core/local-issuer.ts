import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { Clock } from './clock.ts';

/**
 * The emulator's own OpenID-style token issuer, so JWT authorizers (HTTP API today, AppSync's
 * Cognito/OIDC modes later) can be exercised without a real identity provider. It holds one RS256
 * key pair made at startup, publishes the public half as a JWKS, and signs tokens whose `iat`/`exp`
 * come from the emulator's Clock: with compressed or manual time a token expires in emulated time,
 * exactly when the verifier (which also reads the Clock) says it does.
 *
 * The default issuer URL uses the reserved `.invalid` TLD (RFC 2606): it names this emulator and can
 * never resolve, so nobody mistakes it for a reachable provider.
 */
export const LOCAL_ISSUER_URL = 'https://local-issuer.genai-offline.invalid';

/** Default token lifetime, as Cognito's default access-token validity (1 hour). */
const DEFAULT_LIFETIME_S = 3600;

export interface LocalIssuerClaims {
  sub?: string;
  aud?: string | string[];
  /** Space-separated OAuth scopes, as Cognito and most OIDC providers write them. */
  scope?: string;
  client_id?: string;
  /** Epoch seconds; default `iat` + 1 hour. */
  exp?: number;
  /** Epoch seconds; default now on the Clock. */
  iat?: number;
  nbf?: number;
  /** Default: the issuer's own URL. Override to test issuer mismatches. */
  iss?: string;
  [claim: string]: unknown;
}

export interface LocalIssuer {
  /** The `iss` value tokens carry, e.g. for an authorizer's `issuer` setting. */
  readonly issuer: string;
  /** The `kid` header of every token this issuer signs (the RFC 7638 thumbprint of its key). */
  readonly kid: string;
  /** The public keys, as a JWKS endpoint would serve them. */
  jwks(): JSONWebKeySet;
  /** A compact RS256 JWT with `iat`/`exp` on the emulated clock unless the claims set them. */
  sign(claims?: LocalIssuerClaims): Promise<string>;
}

export interface LocalIssuerOptions {
  issuer?: string;
}

export async function createLocalIssuer(clock: Clock, options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const issuer = options.issuer ?? LOCAL_ISSUER_URL;
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  const publicJwk: JWK = { ...exported, kid, alg: 'RS256', use: 'sig' };
  return {
    issuer,
    kid,
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    sign: (claims = {}) => signToken(privateKey, kid, issuer, clock, claims),
  };
}

function signToken(key: CryptoKey, kid: string, issuer: string, clock: Clock, claims: LocalIssuerClaims): Promise<string> {
  const iat = claims.iat ?? Math.floor(clock.now() / 1000);
  const payload = { ...claims, iss: claims.iss ?? issuer, iat, exp: claims.exp ?? iat + DEFAULT_LIFETIME_S };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}
