import { ConnectionDropped } from '../../core/http.ts';
import type { Trace } from '../../core/trace.ts';
import type { Operation } from './operation.ts';
import { hasStreamForm, INJECTABLE_ERRORS, MODEL_STREAM_ERROR, ModelErrorException, ModelStreamErrorException, type BedrockError, type InjectableErrorName, type StreamingOperation } from './errors.ts';
import { modelPattern, type FaultRule } from './fault-options.ts';
import type { TimedFailure, TimedItem } from './pacing.ts';
import { fnv1a, prng } from './random.ts';

/**
 * Decides, per request, whether a `bedrock.faults` rule answers it (fault-options.ts documents the
 * rules), and shapes a stream by the fault. Knows nothing of HTTP: the router throws an HTTP fault;
 * the operation hands the others to `faultedStream` / `stallMs`.
 */
export interface FaultRequest {
  requestId: string;
  operation: Operation;
  modelId: string;
}

export type InjectedFault =
  | { kind: 'http'; error: BedrockError }
  /** An exception frame after N content chunks. */
  | { kind: 'stream'; error: BedrockError; afterChunks: number }
  /** The connection cut after N content chunks. */
  | { kind: 'drop'; afterChunks: number }
  /** A pause of `ms` after N content chunks (a non-streaming call: `ms` later). */
  | { kind: 'stall'; afterChunks: number; ms: number };

/** What reaches an operation: everything but an HTTP fault, which the router answers. */
export type OperationFault = Exclude<InjectedFault, { kind: 'http' }>;

export interface FaultInjector {
  /** Counts the request and returns the fault of the first matching rule, if any (recorded in the trace). */
  next(request: FaultRequest): InjectedFault | undefined;
}

/** In-stream faults (`afterChunks`, `drop`) apply to the operations that stream. */
const STREAMING: ReadonlySet<Operation> = new Set(['ConverseStream', 'InvokeModelWithResponseStream']);

export function createFaultInjector(rules: readonly FaultRule[], seed: number, trace: Trace): FaultInjector {
  // Compiled once: a regex per rule, not per request.
  const patterns = rules.map((rule) => (rule.on?.model ? modelPattern(rule.on.model) : undefined));
  let requestNumber = 0;

  function applies(rule: FaultRule, operation: Operation): boolean {
    if (rule.drop) return STREAMING.has(operation);
    if (rule.error !== undefined && rule.afterChunks !== undefined) return STREAMING.has(operation) && hasStreamForm(rule.error, operation);
    return true;
  }

  function matches(rule: FaultRule, index: number, request: FaultRequest, n: number): boolean {
    if (!applies(rule, request.operation)) return false;
    const on = rule.on ?? {};
    if (on.requestNumber !== undefined && ![on.requestNumber].flat().includes(n)) return false;
    if (on.model !== undefined) {
      const pattern = patterns[index];
      if (pattern ? !pattern.test(request.modelId) : on.model !== request.modelId) return false;
    }
    // One draw per (seed, rule index, request number), not one shared stream: a rule's outcome does
    // not depend on which rules before it matched or drew, nor on concurrent requests' timing.
    if (on.probability !== undefined && prng(fnv1a(`${seed}\u0000${index}\u0000${n}`))() >= on.probability) return false;
    return true;
  }

  return {
    next(request) {
      const n = ++requestNumber;
      const index = rules.findIndex((rule, i) => matches(rule, i, request, n));
      if (index === -1) return undefined;
      const fault = injectedFault(rules[index]!, request.modelId);
      const error = 'error' in fault ? fault.error : undefined;
      trace.record('bedrock.fault', {
        requestId: request.requestId,
        operation: request.operation,
        modelId: request.modelId,
        requestNumber: n,
        rule: index,
        kind: fault.kind,
        ...(error ? { errorType: error.errorType, status: error.status } : {}),
        ...(fault.kind === 'http' ? {} : { afterChunks: fault.afterChunks }),
        ...(fault.kind === 'stall' ? { stallMs: fault.ms } : {}),
      });
      return fault;
    },
  };
}

function injectedFault(rule: FaultRule, modelId: string): InjectedFault {
  if (rule.drop) return { kind: 'drop', afterChunks: rule.afterChunks! };
  if (rule.stall) return { kind: 'stall', afterChunks: rule.stall.afterChunks ?? 0, ms: rule.stall.seconds * 1000 };
  const error = injectableError(rule.error!, rule, modelId);
  return rule.afterChunks === undefined ? { kind: 'http', error } : { kind: 'stream', error, afterChunks: rule.afterChunks };
}

/** The rule's exception with its message and, for the model errors, their extra fields (4.7). */
function injectableError(name: InjectableErrorName, rule: FaultRule, modelId: string): BedrockError {
  switch (name) {
    case 'ModelErrorException':
      return new ModelErrorException(rule.message, { originalStatusCode: rule.originalStatusCode ?? 500, resourceName: rule.resourceName ?? modelId });
    case 'ModelStreamErrorException':
      return new ModelStreamErrorException(rule.message, { originalStatusCode: rule.originalStatusCode ?? 500, originalMessage: rule.originalMessage ?? rule.message ?? MODEL_STREAM_ERROR });
    default:
      return new INJECTABLE_ERRORS[name](rule.message);
  }
}

/** A non-streaming call's extra wait: a stall rule's pause, else 0. */
export function stallMs(fault: OperationFault | undefined): number {
  return fault?.kind === 'stall' ? fault.ms : 0;
}

/** One frame of a stream as the operation plans it, before any fault. */
export interface PlannedFrame extends TimedItem<Buffer> {
  /** A content chunk: what `afterChunks` counts (ConverseStream: each contentBlockDelta). */
  chunk?: boolean;
  /** Sent only when the stream completes normally (messageStop, metadata): a fault cuts before it. */
  tail?: boolean;
}

export interface FaultedStream {
  items: Array<TimedItem<Buffer>>;
  fail?: TimedFailure;
}

/**
 * Applies an in-stream fault to a planned stream; pass the result to `timedIterable`. The cut falls
 * before the (N+1)-th chunk, or before the first tail frame when the reply has N chunks or fewer:
 * - `stream`: the frames before the cut, then the exception frame (`operation`'s union member) at the
 *   instant of the last frame kept;
 * - `drop`: the frames before the cut, then the connection is cut at that same instant;
 * - `stall`: every frame from the cut on `ms` later.
 */
export function faultedStream(frames: readonly PlannedFrame[], fault: OperationFault | undefined, operation: StreamingOperation): FaultedStream {
  const items = frames.map(({ atMs, value }) => ({ atMs, value }));
  if (!fault) return { items };
  let chunks = 0;
  let cut = frames.findIndex((f) => f.tail || (f.chunk && chunks++ === fault.afterChunks));
  if (cut === -1) cut = frames.length;
  if (fault.kind === 'stall') return { items: items.map((f, i) => (i < cut ? f : { ...f, atMs: f.atMs + fault.ms })) };
  const kept = items.slice(0, cut);
  const atMs = kept.at(-1)?.atMs ?? 0;
  if (fault.kind === 'drop') return { items: kept, fail: { atMs, error: new ConnectionDropped() } };
  return { items: [...kept, { atMs, value: fault.error.renderStreamException(operation) }] };
}
