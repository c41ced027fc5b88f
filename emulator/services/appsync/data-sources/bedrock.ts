import type { Timer } from '../../../core/clock.ts';
import type { AnyHttpResponse, HttpRequest } from '../../../core/http.ts';
import { headerValue } from '../../../core/http.ts';
import type { ServiceDeps } from '../../../core/service.ts';
import { ResolverError } from '../errors.ts';
import type { DataSource, DataSourceOutcome } from './types.ts';
import { isRecord } from './types.ts';

/** The emulator's Bedrock runtime, called in-process (so mock, real, record and replay modes all apply). */
export type BedrockDispatch = (request: HttpRequest) => Promise<AnyHttpResponse>;

/**
 * What a call still running at 10 s gives `ctx.error`. AWS documents the limit, not the error
 * (reference §7 item 3): we mirror the observed `Lambda:ExecutionTimeoutException` / `Execution timed
 * out.` pair of Lambda data sources (reference §1.3).
 */
export const BEDROCK_TIMEOUT_ERROR = { message: 'Execution timed out.', type: 'Bedrock:ExecutionTimeoutException' } as const;

/** Members of the request object that are the data source's, not the Bedrock API body's. */
const CONVERSE_KEYS = ['messages', 'system', 'inferenceConfig', 'toolConfig', 'guardrailConfig', 'additionalModelRequestFields', 'additionalModelResponseFieldPaths', 'promptVariables'];

/**
 * AMAZON_BEDROCK_RUNTIME (resolver-reference-bedrock-js): `{operation: 'InvokeModel', modelId, body,
 * guardrail...}` or `{operation: 'Converse', modelId, messages, ...}`, sent to `/model/<id>/invoke` or
 * `/converse`. The response JSON is `ctx.result`; a Bedrock error is `ctx.error` with
 * `Bedrock:<Exception>` (our naming, after AppSync's `Lambda:`/`DynamoDB:` prefixes). Only synchronous
 * calls that finish within 10 s are supported: past `appsyncBedrockTimeoutMs` the call is abandoned
 * (it runs on in the mock) and `ctx.error` is BEDROCK_TIMEOUT_ERROR. The request's 30 s budget still
 * applies around it (context.guard).
 */
export function bedrockDataSource(name: string, api: string, dispatch: BedrockDispatch, deps: ServiceDeps): DataSource {
  return {
    name,
    type: 'AMAZON_BEDROCK_RUNTIME',
    async call({ field, request, context }) {
      const http = bedrockRequest(name, request);
      const timeoutMs = deps.limits.appsyncBedrockTimeoutMs;
      let timer: Timer | undefined;
      const work = new Promise<DataSourceOutcome>((resolve, reject) => {
        timer = deps.clock.setTimer(timeoutMs, () => {
          deps.trace.record('limit.hit', { limit: 'appsyncBedrockTimeoutMs', api, detail: `${field} on request ${context.requestId} waited ${timeoutMs} ms for Bedrock` });
          resolve({ error: { ...BEDROCK_TIMEOUT_ERROR }, traced: 'timeout' });
        });
        dispatch(http).then(
          (response) => {
            timer?.cancel();
            resolve(outcomeOf(response));
          },
          (error: unknown) => {
            timer?.cancel();
            reject(error as Error);
          },
        );
      });
      const guarded = context.guard(field, work);
      // The request's 30 s ran out first: the 10 s limit no longer concerns anyone.
      guarded.catch(() => timer?.cancel());
      return guarded;
    },
  };
}

function bedrockRequest(name: string, request: unknown): HttpRequest {
  if (!isRecord(request) || (request.operation !== 'InvokeModel' && request.operation !== 'Converse')) {
    const operation = isRecord(request) ? String(request.operation) : typeof request;
    throw new ResolverError('MappingTemplate', `Unsupported operation '${operation}' for the Bedrock runtime data source ${name}: use InvokeModel or Converse.`);
  }
  if (typeof request.modelId !== 'string' || request.modelId.length === 0) throw new ResolverError('MappingTemplate', `The ${request.operation} request for ${name} needs a modelId.`);
  const path = `/model/${encodeURIComponent(request.modelId)}/${request.operation === 'Converse' ? 'converse' : 'invoke'}`;
  const headers = ['content-type', 'application/json', 'accept', 'application/json'];
  let body: unknown;
  if (request.operation === 'Converse') {
    body = Object.fromEntries(CONVERSE_KEYS.filter((k) => request[k] !== undefined).map((k) => [k, request[k]]));
  } else {
    body = request.body ?? {};
    if (typeof request.guardrailIdentifier === 'string') headers.push('x-amzn-bedrock-guardrailidentifier', request.guardrailIdentifier);
    if (typeof request.guardrailVersion === 'string') headers.push('x-amzn-bedrock-guardrailversion', request.guardrailVersion);
    if (typeof request.guardrailTrace === 'string') headers.push('x-amzn-bedrock-trace', request.guardrailTrace);
  }
  return { method: 'POST', rawUrl: path, rawHeaders: headers, body: Buffer.from(JSON.stringify(body)), sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' };
}

function outcomeOf(response: AnyHttpResponse): DataSourceOutcome {
  const { body } = response;
  // Converse and InvokeModel answer with whole bodies; a stream would be a mock bug or an odd upstream.
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : undefined;
  if (text === undefined) return { error: { message: 'The Bedrock runtime answered with a stream.', type: 'Bedrock:InternalServerException' } };
  let json: unknown;
  try {
    json = text.length === 0 ? null : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  if (response.status >= 200 && response.status < 300 && json !== undefined) return { result: json };
  // The SDK's rule (reference §4.7): x-amzn-errortype wins, cut at ':' and after '#'.
  const raw = headerValue(response.headers, 'x-amzn-errortype') ?? (isRecord(json) ? String(json.__type ?? json.code ?? '') : '');
  const type = raw.split(',')[0]!.split(':')[0]!.split('#').pop() || 'UnknownError';
  const message = isRecord(json) ? String(json.message ?? json.Message ?? '') : text;
  return { error: { message, type: `Bedrock:${type}` } };
}
