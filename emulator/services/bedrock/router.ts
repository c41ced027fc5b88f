import type { Clock } from '../../core/clock.ts';
import { AwsHttpError } from '../../core/errors.ts';
import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import { applyGuardrailOperation } from './apply-guardrail.ts';
import { converseOperation, converseStreamOperation } from './converse.ts';
import { countTokensOperation } from './count-tokens.ts';
import { BedrockError, INVALID_MODEL_ID, ResourceNotFoundException, ValidationException } from './errors.ts';
import { createFaultInjector } from './faults.ts';
import { invokeModelOperation, invokeModelWithResponseStreamOperation } from './invoke.ts';
import { createModel } from './model.ts';
import type { Operation, OperationHandler } from './operation.ts';
import type { BedrockOptions } from './options.ts';
import { createUpstream, type Upstream } from './upstream/index.ts';
import { createQuotas } from './quotas.ts';
import { fnv1a, prng } from './random.ts';

export interface BedrockDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
}

/** The Bedrock runtime endpoint: one port, AWS's paths, never rejects (faults are AWS responses). */
export interface BedrockRuntime {
  handle(request: HttpRequest): Promise<AnyHttpResponse>;
  /** Waits for recordings still being written (record mode); nothing else to release. */
  close(): Promise<void>;
}

/** `/model/{modelId}/<suffix>` per operation (reference 4.1). */
const MODEL_OPERATIONS: Record<string, { operation: Operation; handler: OperationHandler }> = {
  converse: { operation: 'Converse', handler: converseOperation },
  'converse-stream': { operation: 'ConverseStream', handler: converseStreamOperation },
  invoke: { operation: 'InvokeModel', handler: invokeModelOperation },
  'invoke-with-response-stream': { operation: 'InvokeModelWithResponseStream', handler: invokeModelWithResponseStreamOperation },
  'count-tokens': { operation: 'CountTokens', handler: countTokensOperation },
};

// Foundation-model ids, inference-profile ids and ARNs use only these once percent-decoded.
const MODEL_ID = /^[A-Za-z0-9._:/-]{1,2048}$/;

export interface Route {
  operation: Operation;
  handler: OperationHandler;
  modelId: string;
  guardrail?: { identifier: string; version: string };
}

/** Matches the path and percent-decodes its labels (SDKs encode `:` and `/` in ids and ARNs). */
export function matchRoute(method: string, rawUrl: string): Route {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const notFound = () => new ResourceNotFoundException(`No Bedrock runtime operation at ${method} ${path}.`);
  if (method !== 'POST') throw notFound();
  const guardrail = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/.exec(path);
  if (guardrail) {
    const [identifier, version] = [decodeLabel(guardrail[1]!), decodeLabel(guardrail[2]!)];
    return { operation: 'ApplyGuardrail', handler: applyGuardrailOperation, modelId: `guardrail/${identifier}/${version}`, guardrail: { identifier, version } };
  }
  const model = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(path);
  const entry = model ? MODEL_OPERATIONS[model[2]!] : undefined;
  if (!model || !entry) throw notFound();
  const modelId = decodeLabel(model[1]!);
  if (!MODEL_ID.test(modelId)) throw new ValidationException(INVALID_MODEL_ID);
  return { ...entry, modelId };
}

function decodeLabel(label: string): string {
  try {
    return decodeURIComponent(label);
  } catch {
    throw new ValidationException(INVALID_MODEL_ID);
  }
}

export function createBedrockRuntime(options: BedrockOptions, deps: BedrockDeps): BedrockRuntime {
  const { clock, trace, log } = deps;
  const faults = createFaultInjector(options.faults, options.mock.seed, trace);
  const model = createModel(options, clock);
  const quotas = createQuotas(options.quotas, clock, trace);
  const upstream = options.mode === 'mock' ? undefined : createUpstream(options.mode, options.upstream, { clock, trace, log });
  let requests = 0;

  /**
   * real/record/replay: the request goes upstream as it came, whatever its path (Bedrock may know
   * operations the mock does not). HTTP-level fault rules still apply first; in-stream ones need the
   * mock's frames and do not apply.
   */
  async function forward(target: Upstream, request: HttpRequest, requestId: string): Promise<AnyHttpResponse> {
    const route = knownRoute(request);
    const operation = route?.operation ?? 'Other';
    const modelId = route?.modelId ?? '';
    trace.record('bedrock.request', { requestId, operation, modelId });
    const fault = route ? faults.next({ requestId, operation: route.operation, modelId }) : undefined;
    if (fault?.kind === 'http') throw fault.error;
    return target.handle(request, requestId);
  }

  async function respond(request: HttpRequest, requestId: string, route: Route): Promise<AnyHttpResponse> {
    const { operation, modelId } = route;
    trace.record('bedrock.request', { requestId, operation, modelId });
    // Decided before the body is read: a throttled or unavailable service answers without looking at it.
    const fault = faults.next({ requestId, operation, modelId });
    if (fault?.kind === 'http') throw fault.error;
    // Jitter is seeded per request number, so a run's timings repeat whatever the concurrency.
    const draw = prng(fnv1a(`${options.mock.seed}\u0000latency\u0000${++requests}`));
    return route.handler({ request, requestId, operation, modelId, guardrail: route.guardrail, fault, options, clock, trace, model, quotas, draw });
  }

  return {
    async handle(request) {
      const requestId = newRequestId();
      let route: Route | undefined;
      let response: AnyHttpResponse;
      try {
        // The upstream's answer carries AWS's (or the recording's) x-amzn-requestid already.
        if (upstream) return await forward(upstream, request, requestId);
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
    close: async () => upstream?.flush(),
  };
}

/** The route when the mock knows the path, for the trace and fault rules; undefined otherwise. */
function knownRoute(request: HttpRequest): Route | undefined {
  try {
    return matchRoute(request.method, request.rawUrl);
  } catch {
    return undefined;
  }
}

function internalError(error: unknown, request: HttpRequest, log: Log): AwsHttpError {
  log.error(`Failed to handle ${request.method} ${request.rawUrl} on Bedrock: ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
  return new BedrockError('InternalServerException', 500, 'genai-offline internal error');
}
