import type { Trace } from '../../core/trace.ts';
import type { Operation } from './operation.ts';
import { INJECTABLE_ERRORS, type BedrockError } from './errors.ts';
import { modelPattern, type FaultRule } from './fault-options.ts';
import { fnv1a, prng } from './random.ts';

/**
 * Decides, per request, whether a `bedrock.faults` rule answers it (fault-options.ts documents the
 * rules). Knows nothing of HTTP: the router throws an HTTP fault, the stream carries an in-stream one.
 */
export interface FaultRequest {
  requestId: string;
  operation: Operation;
  modelId: string;
}

export type InjectedFault =
  | { kind: 'http'; error: BedrockError }
  | { kind: 'stream'; error: BedrockError; afterChunks: number };

export interface FaultInjector {
  /** Counts the request and returns the fault of the first matching rule, if any (recorded in the trace). */
  next(request: FaultRequest): InjectedFault | undefined;
}

/** In-stream faults (`afterChunks`) apply to the operations that stream. */
const STREAMING: ReadonlySet<Operation> = new Set(['ConverseStream', 'InvokeModelWithResponseStream']);

export function createFaultInjector(rules: readonly FaultRule[], seed: number, trace: Trace): FaultInjector {
  // Compiled once: a regex per rule, not per request.
  const patterns = rules.map((rule) => (rule.on?.model ? modelPattern(rule.on.model) : undefined));
  let requestNumber = 0;

  function matches(rule: FaultRule, index: number, request: FaultRequest, n: number): boolean {
    if (rule.afterChunks !== undefined && !STREAMING.has(request.operation)) return false;
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
      const rule = rules[index]!;
      const error = new INJECTABLE_ERRORS[rule.error](rule.message);
      trace.record('bedrock.fault', {
        requestId: request.requestId,
        operation: request.operation,
        modelId: request.modelId,
        requestNumber: n,
        rule: index,
        errorType: rule.error,
        status: error.status,
        ...(rule.afterChunks === undefined ? {} : { afterChunks: rule.afterChunks }),
      });
      return rule.afterChunks === undefined ? { kind: 'http', error } : { kind: 'stream', error, afterChunks: rule.afterChunks };
    },
  };
}
