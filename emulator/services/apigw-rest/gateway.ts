import type { ServiceDeps } from '../../core/service.ts';
import { invokeIntegration, type IntegrationResult } from '../apigw-common/integration.ts';
import type { RestApiModel } from './api-model.ts';
import { authorize } from './authorizer.ts';
import { methodArn } from './authorizer-event.ts';
import { firstAcceptType } from './binary.ts';
import { GATEWAY_ERRORS, type RestApiError } from './errors.ts';
import { buildProxyEvent, type RequestContextInput, type RestProxyEvent } from './event.ts';
import { buildEventHeaders, eventHeader, type EdgeInfo, type EventHeaders } from './headers.ts';
import { parseQuery, rawPathParameters } from './request.ts';
import { validateRequest } from './request-validation.ts';
import { parseProxyResult, proxyResponseParts } from './result.ts';
import { streamIntegration } from './stream.ts';
import { canStream, type RestServiceDeps } from './stream-deps.ts';
import { consumeQuota, takeThrottleTokens } from './throttling.ts';

/**
 * The REST API's behaviour for one request, in AWS's order: payload quota, route, authorizer, API
 * key, throttling (usage plan, method, account), usage-plan quota, request validation, Lambda payload
 * limit, integration. It sees a decoded request and answers with a response or a typed fault;
 * router.ts owns the wire.
 */

export interface RestRequest {
  method: string;
  /** Without the stage, still percent-encoded. */
  path: string;
  rawQuery: string;
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  requestId: string;
  extendedRequestId: string;
  /** The `X-Amzn-Trace-Id` the request carries, or a fresh one. */
  traceId: string;
  /** Emulated epoch ms, whole. */
  receivedAt: number;
  edge?: EdgeInfo;
}

export type GatewayResult =
  | { kind: 'error'; error: RestApiError; integrated: boolean }
  | { kind: 'response'; status: number; headers: Array<[string, string]>; body: string | Buffer; integrated: boolean }
  /** A STREAM route's answer: the head is final, the body arrives as the function writes it (stream.ts). */
  | { kind: 'stream'; status: number; headers: Array<[string, string]>; body: AsyncIterable<Buffer>; integrated: true };

const fail = (error: RestApiError, integrated = false): GatewayResult => ({ kind: 'error', error, integrated });

export async function dispatch(api: RestApiModel, deps: RestServiceDeps, req: RestRequest): Promise<GatewayResult> {
  if (req.body.length > deps.limits.restPayloadBytes) return fail(api.contentTooLarge);
  const match = api.routes.match(req.method, req.path);
  if (match.kind !== 'match') return fail(GATEWAY_ERRORS.missingAuthenticationToken);
  const route = match.route.target;
  if (route.kind === 'cors') {
    const throttled = takeThrottleTokens(api, deps.trace, route, undefined);
    return throttled ? fail(throttled) : { kind: 'response', status: 200, headers: route.corsHeaders, body: '', integrated: false };
  }

  const headers = buildEventHeaders(req.rawHeaders, { sourceIp: req.sourceIp, traceId: req.traceId, edge: req.edge });
  const query = parseQuery(req.rawQuery);
  const pathParameters = rawPathParameters(match.route, req.path);
  const context: RequestContextInput = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName: api.domainName,
    deploymentId: api.deploymentId,
    stage: api.stage,
    resourceId: route.resourceId,
    resourcePath: match.route.resource,
    httpMethod: req.method,
    path: req.path,
    protocol: req.protocol,
    requestId: req.requestId,
    extendedRequestId: req.extendedRequestId,
    requestTimeEpoch: req.receivedAt,
    sourceIp: req.sourceIp,
    userAgent: eventHeader(headers, 'user-agent') ?? null,
  };

  let usageIdentifierKey: string | undefined;
  if (route.authorizer) {
    const arn = methodArn({ region: api.region, accountId: api.accountId, apiId: api.apiId, stage: api.stage, method: req.method, path: req.path });
    const auth = await authorize(api, deps, route.authorizer, { methodArn: arn, context, headers, query, pathParameters });
    if (!auth.ok) return fail(auth.error);
    context.authorizer = { principalId: auth.result.principalId, context: auth.result.context, integrationLatency: auth.integrationLatency };
    usageIdentifierKey = auth.result.usageIdentifierKey;
  }

  const key = route.apiKeyRequired ? api.apiKeys.get((api.apiKeySource === 'HEADER' ? eventHeader(headers, 'x-api-key') : usageIdentifierKey) ?? '') : undefined;
  if (route.apiKeyRequired && !key) return fail(GATEWAY_ERRORS.invalidApiKey);
  if (key) context.apiKey = { value: key.value, id: key.id };

  const throttled = takeThrottleTokens(api, deps.trace, route, key) ?? (key && consumeQuota(api, deps.trace, key));
  if (throttled) return fail(throttled);

  // AWS documents only that validation comes "before proceeding with the integration request". We put
  // it after access control, in the order of LocalStack's REST handler chain (authorizer, API key, then
  // the method request), so a request both unauthorised and invalid gets the 401/403. After metering
  // too (our choice, undocumented): an invalid request still spends its throttle token and quota.
  if (route.validation) {
    const invalid = validateRequest(route.validation, { headers, query, pathParameters, body: req.body });
    if (invalid) {
      deps.log.debug(`Failed to validate the request to ${route.key} on REST API "${api.name}": ${invalid.detail}. API Gateway answers ${invalid.error.status} without invoking the integration.`);
      return fail(invalid.error);
    }
  }

  const event = buildProxyEvent({
    context,
    headers,
    query,
    pathParameters,
    stageVariables: api.stageVariables,
    body: req.body,
    binaryBody: req.body.length > 0 && api.binary(eventHeader(headers, 'content-type') ?? 'application/json'),
  });
  if (exceedsLambdaPayload(event, req.body.length, deps.limits.lambdaSyncRequestBytes)) return fail(GATEWAY_ERRORS.requestTooLong);

  if (route.transferMode === 'STREAM' && canStream(deps)) {
    return streamIntegration(api, deps, { requestId: req.requestId, functionName: route.functionName, timeoutMs: route.timeoutMs }, event);
  }
  const result = await invokeIntegration(deps, { api: api.name, requestId: req.requestId, functionName: route.functionName, timeoutMs: route.timeoutMs }, event);
  return integrationResponse(api, deps, result, headers);
}

/**
 * Lambda's 6 MB synchronous limit applies to the whole event, so a body near it is measured as the
 * serialised event. A body under an eighth of the limit cannot reach it even if JSON escaping grew
 * every byte sixfold, so small requests never pay for the extra serialisation.
 */
function exceedsLambdaPayload(event: RestProxyEvent, bodyBytes: number, limit: number): boolean {
  if (bodyBytes < limit / 8) return false;
  return Buffer.byteLength(JSON.stringify(event)) > limit;
}

function integrationResponse(api: RestApiModel, deps: ServiceDeps, result: IntegrationResult, headers: EventHeaders): GatewayResult {
  if (result.kind === 'timeout') return fail(GATEWAY_ERRORS.integrationTimeout, true);
  const outcome = result.outcome;
  if (outcome.kind === 'rejected') return fail(outcome.error.status === 413 ? GATEWAY_ERRORS.requestTooLong : GATEWAY_ERRORS.invokeRejected, true);
  if (outcome.kind === 'function-error') return fail(GATEWAY_ERRORS.integrationFailure, true);
  const parsed = parseProxyResult(outcome.payload);
  if (!parsed.ok) {
    deps.log.debug(`Failed to map the Lambda response of ${api.name}: Malformed Lambda proxy response (${parsed.reason}). Return {statusCode, headers, multiValueHeaders, body, isBase64Encoded}.`);
    return fail(GATEWAY_ERRORS.integrationFailure, true);
  }
  const acceptIsBinary = parsed.result.isBase64Encoded && api.binary(firstAcceptType(eventHeader(headers, 'accept')));
  const parts = proxyResponseParts(parsed.result, acceptIsBinary);
  return { kind: 'response', status: parsed.result.statusCode, headers: parts.headers, body: parts.body, integrated: true };
}
