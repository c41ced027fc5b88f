import type { ApiRef } from '../../emulator/harness/http-client.ts';

/** The pattern folder; every scenario here reports under it. */
export const PATTERN = 'sync-request-response';

/**
 * The example app's APIs, by their names in the endpoints file. A real deployment's endpoints file
 * must use the same names (`restApis.chat`, `httpApis.chat`) for these scenarios to find it.
 */
export const REST: ApiRef = { kind: 'restApis', name: 'chat' };
export const HTTP: ApiRef = { kind: 'httpApis', name: 'chat' };

/**
 * API Gateway's error bodies, byte for byte: REST bodies built on the integration path have a space
 * after the colon, gateway responses and HTTP API bodies do not. Where the docs only name the message,
 * the bytes come from public captures (content-length checked).
 */
export const BODY = {
  // https://repost.aws/knowledge-center/api-gateway-504-errors (41 bytes in captures)
  restTimeout: '{"message": "Endpoint request timed out"}',
  // https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
  restInternal: '{"message": "Internal server error"}',
  // Not documented; observed (github.com/cortexlabs/cortex/issues/1225, 33 bytes).
  httpUnavailable: '{"message":"Service Unavailable"}',
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
  httpInternal: '{"message":"Internal Server Error"}',
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
  tooManyRequests: '{"message":"Too Many Requests"}',
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
  unauthorized: '{"message":"Unauthorized"}',
  // Capital M on the wire, though the docs print it lowercase:
  // https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
  restExplicitDeny: '{"Message":"User is not authorized to access this resource with an explicit deny"}',
  // HTTP API Lambda authorizer denial; observed, not documented.
  forbidden: '{"message":"Forbidden"}',
} as const;

export const PROMPT = { prompt: 'Say hello in five words.' };
