import { AwsHttpError, EmulatorError } from '../../core/errors.ts';
import type { HttpRequest, HttpResponse } from '../../core/http.ts';
import { tracedResponse } from '../../core/traced-response.ts';
import { stableId } from '../../core/ids.ts';
import type { LocalIssuer } from '../../core/local-issuer.ts';
import type { HttpService, ServiceDeps } from '../../core/service.ts';
import { createAuthorizers } from './authorizers.ts';
import { InternalServerError, NotFound } from './errors.ts';
import { HttpApiGateway } from './gateway.ts';
import type { HttpApiOptions } from './options.ts';
import { decodeRequest, type DecodeContext } from './request.ts';
import { traceId } from '../../core/ids.ts';
import { httpApiRequestId } from './request-id.ts';

export interface HttpApiExtra {
  /** Folder that `jwksFile` paths are relative to (the config file's). */
  baseDir: string;
  /** The emulator's issuer: JWT authorizers without a `jwksFile` trust its keys. */
  issuer: LocalIssuer;
  /** Fixed ids for golden tests; random (as AWS's) by default. */
  ids?: { requestId?: () => string; traceId?: (epochMs: number) => string };
}

/**
 * An API Gateway HTTP API (v2): the wire side. It decodes an HttpRequest (stage prefix, headers, query),
 * hands it to the gateway, and encodes the answer with `apigw-requestid`, recording `http.request` and
 * `http.response` in the trace. `handle` never rejects: every failure is an AWS response.
 */
export function createHttpApi(name: string, options: HttpApiOptions, deps: ServiceDeps, extra: HttpApiExtra): HttpService {
  if (options.cors?.allowCredentials && options.cors.allowOrigins.includes('*')) {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to configure httpApis.${name}.cors: allowCredentials is not supported with allowOrigins "*", and AWS rejects it. List the origins explicitly.`);
  }
  const apiId = stableId(name, 10);
  const basePath = options.stage === '$default' ? '' : `/${options.stage}`;
  const domainName = `${apiId}.execute-api.${deps.region}.amazonaws.com`;
  const newRequestId = extra.ids?.requestId ?? httpApiRequestId;
  const newTraceId = extra.ids?.traceId ?? traceId;
  const gateway = new HttpApiGateway({ name, apiId, stage: options.stage, domainName }, options, deps, createAuthorizers(name, options, deps, extra));
  const { clock, trace, log } = deps;

  async function respond(request: HttpRequest, requestId: string): Promise<HttpResponse | AwsHttpError> {
    const receivedAt = clock.now();
    const decodeContext: DecodeContext = { basePath, domainName, traceId: () => newTraceId(receivedAt) };
    const incoming = decodeRequest(request, decodeContext);
    if (!incoming) return new NotFound('path outside the stage');
    try {
      return await gateway.handle(incoming, requestId, receivedAt);
    } catch (error) {
      log.error(`Failed to handle ${request.method} ${request.rawUrl} on HTTP API "${name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
      return new InternalServerError('emulator failure');
    }
  }

  return {
    name,
    basePath,
    apiId,
    handle(request) {
      const requestId = newRequestId();
      // The trace names AWS-generated errors; the wire never does (HTTP APIs send no error-type header).
      return tracedResponse(trace, name, request, requestId, 'apigw-requestid', () => respond(request, requestId));
    },
  };
}
