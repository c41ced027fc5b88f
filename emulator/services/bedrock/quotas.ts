import type { Clock } from '../../core/clock.ts';
import type { Trace } from '../../core/trace.ts';
import { ThrottlingException, TOO_MANY_TOKENS } from './errors.ts';
import { modelTable } from './fault-options.ts';
import type { ModelQuota, QuotaOptions } from './quota-options.ts';

/**
 * Bedrock's per-model request and token quotas (quota-options.ts documents the settings). An operation
 * calls `admit` once it has parsed the body (it needs the input tokens), before it asks the model, and
 * `settle` once it knows the reply.
 */
export interface QuotaRequest {
  requestId: string;
  operation: string;
  modelId: string;
  inputTokens: number;
  /** The request's output limit; unset reserves the model's `defaultMaxTokens`. */
  maxTokens?: number;
}

export interface Admission {
  /** The reply's actual output, and when (emulated ms from now) the model finishes writing it. */
  settle(outputTokens: number, finishesInMs: number): void;
}

export interface Quotas {
  /** Counts the request against its model's quotas, or throws ThrottlingException when over one. */
  admit(request: QuotaRequest): Admission;
}

export const QUOTA_WINDOW_MS = 60_000;
/** What a request without maxTokens reserves: Claude 3 Haiku's maximum output (4096 tokens). */
export const DEFAULT_MAX_TOKENS = 4096;

interface Entry {
  at: number;
  reserved: number;
  /** From `settleAt` on, the entry weighs `settled` instead of `reserved`. */
  settled?: number;
  settleAt?: number;
}

const NO_QUOTA: Admission = { settle: () => undefined };

export function createQuotas(options: QuotaOptions | undefined, clock: Clock, trace: Trace): Quotas {
  if (!options) return { admit: () => NO_QUOTA };
  const perModel = modelTable(options.perModel ?? {});
  const settle = options.settle ?? true;
  const windows = new Map<string, Entry[]>();

  function limitsFor(modelId: string): ModelQuota {
    const own = perModel(modelId) ?? {};
    return {
      requestsPerMinute: own.requestsPerMinute ?? options!.requestsPerMinute,
      tokensPerMinute: own.tokensPerMinute ?? options!.tokensPerMinute,
      defaultMaxTokens: own.defaultMaxTokens ?? options!.defaultMaxTokens,
    };
  }

  /** The model's entries still inside the window, oldest first (older ones are dropped). */
  function window(modelId: string, now: number): Entry[] {
    const entries = windows.get(modelId) ?? [];
    let expired = 0;
    while (expired < entries.length && entries[expired]!.at <= now - QUOTA_WINDOW_MS) expired++;
    const live = expired ? entries.slice(expired) : entries;
    windows.set(modelId, live);
    return live;
  }

  function throttle(request: QuotaRequest, limit: string, detail: string, message?: string): never {
    trace.record('limit.hit', { limit: `bedrock.quotas.${limit}`, detail: `${request.operation} ${request.requestId} on ${request.modelId}: ${detail}` });
    throw new ThrottlingException(message);
  }

  return {
    admit(request) {
      const limits = limitsFor(request.modelId);
      const now = clock.now();
      const entries = window(request.modelId, now);
      if (limits.requestsPerMinute !== undefined && entries.length >= limits.requestsPerMinute) {
        throttle(request, 'requestsPerMinute', `${entries.length} requests in the last 60 s, quota ${limits.requestsPerMinute}`);
      }
      const reserved = request.inputTokens + (request.maxTokens ?? limits.defaultMaxTokens ?? DEFAULT_MAX_TOKENS);
      if (limits.tokensPerMinute !== undefined) {
        const used = entries.reduce((sum, e) => sum + (e.settleAt !== undefined && now >= e.settleAt ? e.settled! : e.reserved), 0);
        if (used + reserved > limits.tokensPerMinute) {
          throttle(request, 'tokensPerMinute', `${used} tokens in the last 60 s + ${reserved} reserved, quota ${limits.tokensPerMinute}`, TOO_MANY_TOKENS);
        }
      }
      const entry: Entry = { at: now, reserved };
      entries.push(entry);
      return {
        settle(outputTokens, finishesInMs) {
          if (!settle) return;
          entry.settled = request.inputTokens + outputTokens;
          entry.settleAt = clock.now() + finishesInMs;
        },
      };
    },
  };
}
