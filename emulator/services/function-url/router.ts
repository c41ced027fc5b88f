import { AwsHttpError } from '../../core/errors.ts';
import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';
import { tracedResponse } from '../../core/traced-response.ts';
import { requestId as newUuid, stableId, traceId } from '../../core/ids.ts';
import { decodeRequest } from '../apigw-http/request.ts';
import { FunctionUrlInternalServerError } from './errors.ts';
import { FunctionUrlGateway, type FunctionUrlDeps } from './gateway.ts';
import type { FunctionUrlOptions } from './options.ts';

export interface FunctionUrl {
  readonly name: string;
  /** The 32-character url-id: `requestContext.apiId` and the domain's first label. */
  readonly urlId: string;
  /** `<url-id>.lambda-url.<region>.on.aws`: the `host` the function sees. */
  readonly domainName: string;
  /** Never rejects: faults are AWS responses. A RESPONSE_STREAM URL answers with a streamed body. */
  handle(request: HttpRequest): Promise<AnyHttpResponse>;
}

export interface FunctionUrlExtra {
  /** Fixed ids for golden tests; random (as AWS's) by default. */
  ids?: { requestId?: () => string; traceId?: (epochMs: number) => string };
}

/**
 * A Lambda function URL: the wire side. The whole path is the function's (no stages, no routes), so
 * the request is decoded as an HTTP API `$default` stage decodes it; every response carries
 * `x-amzn-RequestId` (the invocation's id, also `requestContext.requestId`), and the trace gets
 * `http.request` and `http.response` (for a stream, when its head is sent).
 */
export function createFunctionUrl(name: string, options: FunctionUrlOptions, deps: FunctionUrlDeps, extra: FunctionUrlExtra = {}): FunctionUrl {
  const urlId = stableId(`function-url:${name}`, 32);
  const domainName = `${urlId}.lambda-url.${deps.region}.on.aws`;
  const gateway = new FunctionUrlGateway({ name, urlId, domainName }, options, deps);
  const newRequestId = extra.ids?.requestId ?? newUuid;
  const newTraceId = extra.ids?.traceId ?? traceId;
  const { clock, trace, log } = deps;

  async function respond(request: HttpRequest, requestId: string): Promise<AnyHttpResponse | AwsHttpError> {
    const receivedAt = clock.now();
    const incoming = decodeRequest(request, { basePath: '', domainName, traceId: () => newTraceId(receivedAt) })!;
    try {
      return await gateway.handle(request, incoming, requestId, receivedAt);
    } catch (error) {
      log.error(`Failed to handle ${request.method} ${request.rawUrl} on function URL "${name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
      return new FunctionUrlInternalServerError('emulator failure');
    }
  }

  return {
    name,
    urlId,
    domainName,
    handle(request) {
      const requestId = newRequestId();
      return tracedResponse(trace, name, request, requestId, 'x-amzn-RequestId', () => respond(request, requestId));
    },
  };
}
