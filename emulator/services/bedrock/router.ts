import type { Clock } from '../../core/clock.ts';
import { AwsHttpError } from '../../core/errors.ts';
import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import { converse, converseStream, mockReply } from './converse.ts';
import { parseConverseRequest } from './converse-request.ts';
import { BedrockError, INVALID_MODEL_ID, ResourceNotFoundException, ValidationException } from './errors.ts';
import { EVENT_STREAM_CONTENT_TYPE } from './event-stream.ts';
import { createFaultInjector } from './faults.ts';
import type { BedrockOptions } from './options.ts';

export interface BedrockDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
}

/** The Bedrock runtime endpoint: one port, AWS's paths, never rejects (faults are AWS responses). */
export interface BedrockRuntime {
  handle(request: HttpRequest): Promise<AnyHttpResponse>;
}

type Operation = 'Converse' | 'ConverseStream';

/** `/model/{modelId}/<suffix>` per operation (reference 4.1). Later slices add invoke, count-tokens, ... */
const OPERATIONS: Record<string, Operation> = { converse: 'Converse', 'converse-stream': 'ConverseStream' };

// Foundation-model ids, inference-profile ids and ARNs use only these once percent-decoded.
const MODEL_ID = /^[A-Za-z0-9._:/-]{1,2048}$/;

interface Route {
  operation: Operation;
  modelId: string;
}

/** Matches the path and percent-decodes the model id (SDKs encode `:` and `/` in ids and ARNs). */
export function matchRoute(method: string, rawUrl: string): Route {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const match = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(path);
  const operation = match ? OPERATIONS[match[2]!] : undefined;
  if (!match || !operation || method !== 'POST') throw new ResourceNotFoundException(`No Bedrock runtime operation at ${method} ${path}.`);
  let modelId: string;
  try {
    modelId = decodeURIComponent(match[1]!);
  } catch {
    throw new ValidationException(INVALID_MODEL_ID);
  }
  if (!MODEL_ID.test(modelId)) throw new ValidationException(INVALID_MODEL_ID);
  return { operation, modelId };
}

export function createBedrockRuntime(options: BedrockOptions, deps: BedrockDeps): BedrockRuntime {
  const { clock, trace, log } = deps;
  const faults = createFaultInjector(options.faults, options.mock.seed, trace);

  async function respond(request: HttpRequest, requestId: string, route: Route): Promise<AnyHttpResponse> {
    const { operation, modelId } = route;
    trace.record('bedrock.request', { requestId, operation, modelId });
    // Decided before the body is read: a throttled or unavailable service answers without looking at it.
    const fault = faults.next({ requestId, operation, modelId });
    if (fault?.kind === 'http') throw fault.error;
    const reply = mockReply(options, modelId, parseConverseRequest(request.body));
    // Recorded when the reply is decided; a stream's frames still follow on the clock.
    trace.record('bedrock.response', { requestId, operation, modelId, status: 200, inputTokens: reply.usage.inputTokens, outputTokens: reply.usage.outputTokens });
    if (operation === 'ConverseStream') {
      return { status: 200, headers: [['content-type', EVENT_STREAM_CONTENT_TYPE]], body: converseStream(options, clock, reply, fault) };
    }
    return { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify(await converse(options, clock, reply)) };
  }

  return {
    async handle(request) {
      const requestId = newRequestId();
      let route: Route | undefined;
      let response: AnyHttpResponse;
      try {
        route = matchRoute(request.method, request.rawUrl);
        response = await respond(request, requestId, route);
      } catch (error) {
        const fault = error instanceof AwsHttpError ? error : internalError(error, request, log);
        trace.record('bedrock.response', { requestId, operation: route?.operation ?? 'unknown', modelId: route?.modelId ?? '', status: fault.status, errorType: fault.errorType });
        response = fault.render();
      }
      response.headers.push(['x-amzn-requestid', requestId]);
      return response;
    },
  };
}

function internalError(error: unknown, request: HttpRequest, log: Log): AwsHttpError {
  log.error(`Failed to handle ${request.method} ${request.rawUrl} on Bedrock: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
  return new BedrockError('InternalServerException', 500, 'genai-offline internal error');
}
