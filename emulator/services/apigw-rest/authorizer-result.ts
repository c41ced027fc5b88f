import { parsePolicyDocument } from '../apigw-common/iam-policy.ts';
import type { CachedAuthorization } from './api-model.ts';

/**
 * A Lambda authorizer's output (reference §2.11), validated the way API Gateway does before it will
 * use it; anything unusable is an AUTHORIZER_CONFIGURATION_ERROR (500 `{"message":null}`).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 *
 * - `principalId` and `policyDocument` are required ("must include").
 * - `context` values must be strings, numbers or booleans; objects and arrays make it a 500
 *   (serverless-offline#1376, checked against AWS). They reach the integration stringified
 *   (`1` -> `"1"`, `true` -> `"true"`), and a `null` value passes through as `null` (AWS capture in
 *   DefinitelyTyped#69823).
 */
export function parseAuthorizerResult(payload: string): CachedAuthorization | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out = value as Record<string, unknown>;
  const principalId = typeof out.principalId === 'string' || typeof out.principalId === 'number' ? String(out.principalId) : undefined;
  if (principalId === undefined) return undefined;
  const policy = parsePolicyDocument(out.policyDocument);
  if (!policy) return undefined;
  const context: Record<string, string | null> = {};
  if (out.context !== undefined && out.context !== null) {
    if (typeof out.context !== 'object' || Array.isArray(out.context)) return undefined;
    for (const [k, v] of Object.entries(out.context as Record<string, unknown>)) {
      if (v === null) context[k] = null;
      else if (typeof v === 'string') context[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') context[k] = String(v);
      else return undefined;
    }
  }
  const usageIdentifierKey = typeof out.usageIdentifierKey === 'string' ? out.usageIdentifierKey : undefined;
  return { principalId, context, policy, usageIdentifierKey };
}
