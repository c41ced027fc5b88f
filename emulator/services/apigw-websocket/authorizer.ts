import { headerValue, type HttpRequest } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import { evaluatePolicy, parsePolicyDocument } from '../apigw-common/iam-policy.ts';
import { invokeIntegration } from '../apigw-common/integration.ts';
import { HandshakeRefused } from './errors.ts';

export interface AuthorizerSettings {
  api: string;
  functionName: string;
  identitySource: string[];
  timeoutMs: number;
}

export type AuthorizerResult = { kind: 'allow'; context: Record<string, unknown> } | { kind: 'refuse'; error: HandshakeRefused };

/**
 * A WebSocket API Lambda REQUEST authorizer on `$connect` (apigateway-websocket-api-lambda-auth). It
 * takes REST's REQUEST authorizer event (type, methodArn, headers, query, requestContext of the
 * CONNECT event) and answers with an IAM policy: Allow on the `$connect` ARN lets the upgrade through
 * and its `context` (plus `principalId` and `integrationLatency`) rides on every later event; a missing
 * identity source is a 401 without invoking; an error named "Unauthorized" is a 401 (REST's
 * convention); Deny or no matching Allow is a 403; any other failure is a 500. No result cache: AWS's
 * WebSocket authorizers do not cache ($connect is once per connection).
 */
export async function authorize(
  settings: AuthorizerSettings,
  deps: Pick<ServiceDeps, 'clock' | 'lambda' | 'trace'>,
  request: HttpRequest,
  connectEvent: Record<string, unknown>,
  methodArn: string,
): Promise<AuthorizerResult> {
  const query = new URLSearchParams(request.rawUrl.includes('?') ? request.rawUrl.slice(request.rawUrl.indexOf('?') + 1) : '');
  for (const source of settings.identitySource) {
    const [, , where, name] = source.split('.');
    const value = where === 'header' ? headerValue(request.rawHeaders, name!) : query.get(name!);
    if (value === undefined || value === null || value === '') return { kind: 'refuse', error: HandshakeRefused.unauthorized(`identity source ${source} missing`) };
  }
  const event = {
    type: 'REQUEST',
    methodArn,
    headers: connectEvent.headers,
    multiValueHeaders: connectEvent.multiValueHeaders,
    ...(connectEvent.queryStringParameters ? { queryStringParameters: connectEvent.queryStringParameters, multiValueQueryStringParameters: connectEvent.multiValueQueryStringParameters } : {}),
    stageVariables: {},
    requestContext: connectEvent.requestContext,
  };
  const requestContext = connectEvent.requestContext as { requestId: string };
  const started = deps.clock.now();
  const result = await invokeIntegration(deps, { api: settings.api, requestId: requestContext.requestId, functionName: settings.functionName, timeoutMs: settings.timeoutMs }, event);
  if (result.kind === 'timeout') return { kind: 'refuse', error: HandshakeRefused.internalError('authorizer timed out') };
  const outcome = result.outcome;
  if (outcome.kind === 'rejected') return { kind: 'refuse', error: HandshakeRefused.internalError(`authorizer invoke rejected: ${outcome.error.errorType}`) };
  if (outcome.kind === 'function-error') {
    if (outcome.error.errorMessage === 'Unauthorized') return { kind: 'refuse', error: HandshakeRefused.unauthorized('authorizer said Unauthorized') };
    return { kind: 'refuse', error: HandshakeRefused.internalError(`authorizer error: ${outcome.error.errorType}`) };
  }
  const answer = parseJson(outcome.payload);
  const policy = parsePolicyDocument(answer?.policyDocument);
  if (!answer || !policy) return { kind: 'refuse', error: HandshakeRefused.internalError('authorizer returned no usable policy') };
  if (evaluatePolicy(policy, 'execute-api:Invoke', methodArn) !== 'allow') return { kind: 'refuse', error: HandshakeRefused.forbidden('authorizer denied') };
  const context = answer.context && typeof answer.context === 'object' ? (answer.context as Record<string, unknown>) : {};
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : '';
  return { kind: 'allow', context: { ...context, principalId, integrationLatency: Math.round(deps.clock.now() - started) } };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
