import { dict } from './request.ts';

/**
 * How a verified token's claims reach the integration (`requestContext.authorizer.jwt.claims`). AWS
 * publishes no rule; two independent measurements against real HTTP APIs agree (floci-io/floci#2011,
 * kensio/yulin's apigatewayv2 notes): every value becomes a string, numbers and booleans as their text,
 * an array in Go's slice form `[a b]` (not JSON), and a null claim is left out. Nested objects have no
 * capture; we write them as JSON text.
 */
export function stringifyClaims(claims: Record<string, unknown>): Record<string, string> {
  const out = dict<string>();
  for (const name in claims) {
    const rendered = renderClaim(claims[name]);
    if (rendered !== undefined) out[name] = rendered;
  }
  return out;
}

function renderClaim(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * The token's scopes for route authorization: `scope` (space-separated, as OAuth 2.0 writes it) or
 * `scp` (an array, as Okta and Entra ID write it, or a string). `scp` wins when both are present, as the
 * floci measurement found. Undefined when the token carries neither.
 */
const WHITESPACE = /\s+/;

export function tokenScopes(claims: Record<string, unknown>): string[] | undefined {
  for (const name of ['scp', 'scope']) {
    const value = claims[name];
    if (Array.isArray(value)) {
      const scopes = value.filter((s): s is string => typeof s === 'string');
      if (scopes.length > 0) return scopes;
    } else if (typeof value === 'string' && value.trim() !== '') {
      return value.trim().split(WHITESPACE);
    }
  }
  return undefined;
}
