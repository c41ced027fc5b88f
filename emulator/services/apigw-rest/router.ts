import { headerValue, splitUrl, type AnyHttpResponse, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import { extendedRequestId, randomBytes, requestId as newRequestId, traceId } from '../../core/ids.ts';
import type { HttpService } from '../../core/service.ts';
import { accountThrottleBucket } from '../apigw-common/account-throttle.ts';
import type { TokenBucket } from '../apigw-common/token-bucket.ts';
import { compileRestApi, type RestApiModel } from './api-model.ts';
import { GATEWAY_ERRORS } from './errors.ts';
import { dispatch, type GatewayResult } from './gateway.ts';
import type { EdgeInfo } from './headers.ts';
import type { RestApiOptions } from './options.ts';
import { parseInvokeUrl } from './request.ts';
import type { RestServiceDeps } from './stream-deps.ts';

/**
 * An API Gateway REST API (v1) stage with Lambda proxy integrations. This file is its wire side: it
 * decodes the listener's request, runs the gateway, and encodes the answer with the headers API
 * Gateway puts on every response (reference §1.2):
 * - `x-amzn-RequestId` (= `requestContext.requestId`) and `x-amz-apigw-id` (= `extendedRequestId`);
 * - `x-amzn-ErrorType` on responses API Gateway generates itself;
 * - `X-Amzn-Trace-Id` once the request reached the integration (seen on AWS 504 captures).
 * The one exception is the 10 MB payload rejection, which AWS's front door sends bare.
 */

export interface RequestIds {
  requestId(): string;
  extendedRequestId(): string;
  /** X-Ray trace header value for an emulated epoch time. */
  traceId(epochMs: number): string;
  /** CloudFront values for edge-optimized APIs. */
  edge(): EdgeInfo;
}

export interface RestApiHooks {
  /** Fixed ids for golden tests; each defaults to AWS-format random ids. */
  ids?: Partial<RequestIds>;
  /**
   * The account-level bucket. Defaults to the one shared by every API built with the same `Trace`
   * (apigw-common/account-throttle.ts), as AWS shares it across an account's APIs.
   */
  accountBucket?: TokenBucket;
}

const randomEdge = (): EdgeInfo => ({
  viaId: randomBytes(16).toString('hex'),
  cfId: randomBytes(40).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
  edgeIp: '130.176.98.91',
});

/** Invoke URL path `/{stage}/{resource path}`; `apiId` is stable per name; `handle` never rejects. */
export function createRestApi(name: string, options: RestApiOptions, deps: RestServiceDeps, hooks: RestApiHooks = {}): HttpService {
  const api = compileRestApi(name, options, deps, hooks.accountBucket ?? accountThrottleBucket(deps));
  const ids: RequestIds = {
    requestId: hooks.ids?.requestId ?? newRequestId,
    extendedRequestId: hooks.ids?.extendedRequestId ?? extendedRequestId,
    traceId: hooks.ids?.traceId ?? traceId,
    edge: hooks.ids?.edge ?? randomEdge,
  };
  // HttpService predates streaming and types `handle` as buffered-only; a STREAM route answers with a
  // StreamingHttpResponse, which the listener (gateway/http-listener.ts) writes chunk by chunk.
  const handle = restHandler(api, deps, ids) as (request: HttpRequest) => Promise<HttpResponse>;
  return { name, basePath: `/${api.stage}`, apiId: api.apiId, handle };
}

function restHandler(api: RestApiModel, deps: RestServiceDeps, ids: RequestIds): (request: HttpRequest) => Promise<AnyHttpResponse> {
  return async (request) => {
    const requestId = ids.requestId();
    const extendedRequestId = ids.extendedRequestId();
    let result: GatewayResult;
    let traceId = '';
    try {
      const url = parseInvokeUrl(request.rawUrl, api.stage);
      deps.trace.record('http.request', { api: api.name, requestId, method: request.method, path: url ? `/${api.stage}${url.path}` : splitUrl(request.rawUrl).path });
      if (!url) {
        result = { kind: 'error', error: GATEWAY_ERRORS.missingAuthenticationToken, integrated: false };
      } else {
        const receivedAt = Math.floor(deps.clock.now());
        traceId = headerValue(request.rawHeaders, 'x-amzn-trace-id') ?? ids.traceId(receivedAt);
        result = await dispatch(api, deps, {
          method: request.method,
          path: url.path,
          rawQuery: url.rawQuery,
          rawHeaders: request.rawHeaders,
          body: request.body,
          sourceIp: request.sourceIp,
          protocol: request.protocol,
          requestId,
          extendedRequestId,
          traceId,
          receivedAt,
          edge: api.edge ? ids.edge() : undefined,
        });
      }
    } catch (cause) {
      deps.log.error(`Failed to handle ${request.method} ${request.rawUrl} on REST API "${api.name}": ${(cause as Error).stack ?? String(cause)}. This is an emulator bug; please report it.`);
      result = { kind: 'error', error: GATEWAY_ERRORS.invokeRejected, integrated: false };
    }
    const response = encode(result, requestId, extendedRequestId, traceId);
    try {
      deps.trace.record('http.response', {
        api: api.name,
        requestId,
        status: response.status,
        ...(result.kind === 'error' && result.error.hasRequestHeaders ? { errorType: result.error.errorType } : {}),
      });
    } catch (cause) {
      deps.log.error(`Failed to record the response of REST API "${api.name}" in the trace: ${String(cause)}. Check the trace subscribers.`);
    }
    return response;
  };
}

function encode(result: GatewayResult, requestId: string, extendedRequestId: string, traceId: string): AnyHttpResponse {
  if (result.kind === 'error') {
    const error = result.error;
    if (!error.hasRequestHeaders) return error.render();
    const headers: Array<[string, string]> = [
      ['content-type', 'application/json'],
      ['x-amzn-RequestId', requestId],
      ['x-amzn-ErrorType', error.errorType],
      ['x-amz-apigw-id', extendedRequestId],
    ];
    if (result.integrated) headers.push(['X-Amzn-Trace-Id', traceId]);
    return { status: error.status, headers, body: error.body };
  }
  const headers = result.headers.concat([
    ['x-amzn-RequestId', requestId],
    ['x-amz-apigw-id', extendedRequestId],
  ]);
  if (result.integrated) headers.push(['X-Amzn-Trace-Id', traceId]);
  if (result.kind === 'stream') return { status: result.status, headers, body: result.body };
  return { status: result.status, headers, body: result.body };
}
