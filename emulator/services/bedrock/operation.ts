import type { Clock } from '../../core/clock.ts';
import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';
import type { Trace } from '../../core/trace.ts';
import type { OperationFault } from './faults.ts';
import type { Model } from './model.ts';
import type { BedrockOptions } from './options.ts';
import type { Quotas } from './quotas.ts';

/** The Bedrock runtime operations the endpoint serves (reference 4.1). */
export type Operation = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream' | 'CountTokens' | 'ApplyGuardrail';

/** Everything one operation needs to answer one request; the router builds it, the operation renders. */
export interface OperationContext {
  request: HttpRequest;
  requestId: string;
  operation: Operation;
  /** The decoded model id (for ApplyGuardrail: `guardrail/<id>/<version>`). */
  modelId: string;
  /** For ApplyGuardrail: the path's identifier and version. */
  guardrail?: { identifier: string; version: string };
  /** An in-stream exception, a drop or a stall (faults.ts: `faultedStream`, `stallMs`); HTTP faults never reach an operation. */
  fault?: OperationFault;
  options: BedrockOptions;
  clock: Clock;
  trace: Trace;
  model: Model;
  /** Per-model quotas: `admit` once the body is parsed, before asking the model (quotas.ts). */
  quotas: Quotas;
  /** Seeded uniform numbers in [0, 1) for this request's latency jitter. */
  draw: () => number;
}

export type OperationHandler = (ctx: OperationContext) => Promise<AnyHttpResponse>;

/** Header lookup on the raw request, case-insensitive. */
export function requestHeader(request: HttpRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (let i = 0; i < request.rawHeaders.length; i += 2) if (request.rawHeaders[i]!.toLowerCase() === lower) return request.rawHeaders[i + 1];
  return undefined;
}
