import { headerValue } from '../../../core/http.ts';
import type { TraceEventMap } from '../../../core/trace.ts';
import type { RequestIdentity } from './request-key.ts';

/**
 * The `bedrock.response` event for an upstream answer: the error type as the SDK would resolve it
 * (reference 4.7: cut at `:` or `,`, after `#`) and, for Converse, the usage Bedrock reported.
 */
export function responseTrace(requestId: string, identity: RequestIdentity, status: number, headers: Array<[string, string]>, body?: Buffer): TraceEventMap['bedrock.response'] {
  const event: TraceEventMap['bedrock.response'] = { requestId, operation: identity.operation, modelId: identity.modelId, status };
  const errorType = headerValue(headers, 'x-amzn-errortype')?.split(/[:,]/)[0]?.split('#').pop();
  if (errorType) event.errorType = errorType;
  if (body && status < 300 && identity.operation === 'Converse') {
    const usage = parseUsage(body);
    if (usage) Object.assign(event, usage);
  }
  return event;
}

function parseUsage(body: Buffer): { inputTokens: number; outputTokens: number } | undefined {
  try {
    const usage = (JSON.parse(body.toString('utf8')) as { usage?: { inputTokens?: unknown; outputTokens?: unknown } }).usage;
    if (typeof usage?.inputTokens === 'number' && typeof usage.outputTokens === 'number') return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens };
  } catch {
    // Not JSON: the event simply has no token counts.
  }
  return undefined;
}
