import type { LatencyOptions } from './options.ts';

/**
 * What a model says, independent of the API that asked: Converse, ConverseStream and every InvokeModel
 * family render the same Reply in their own shapes. The mock, scripts, guardrails and the prompt router
 * decide a Reply; the wire modules only encode it.
 */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered';

export type ReplyBlock =
  | { type: 'text'; text: string }
  /** Extended thinking: the text streams first, the signature arrives last (reference 4.3/4.4). */
  | { type: 'reasoning'; text: string; signature: string }
  | { type: 'toolUse'; toolUseId: string; name: string; input: unknown };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Present only when the request had a cachePoint (reference 5.2). */
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  /** Cache writes by TTL, 1h first; empty when nothing was written (prompt-cache.ts). */
  cacheDetails?: Array<{ ttl: '5m' | '1h'; inputTokens: number }>;
}

export interface ReplyTrace {
  guardrail?: Record<string, unknown>;
  promptRouter?: { invokedModelId: string };
}

export interface Reply {
  content: ReplyBlock[];
  stopReason: StopReason;
  usage: Usage;
  /** The stop sequence that ended the reply, when stopReason is stop_sequence. */
  stopSequence?: string;
  trace?: ReplyTrace;
  /** The latency this reply is paced with: the global setting, or the model's or the script's. */
  latency: LatencyOptions;
  /** Where the reply came from, for the trace: `mock`, `script:<n>`, `guardrail:<id>`. */
  source: string;
}

/** The text a reply's output tokens are counted from: every block's text, tool input as JSON. */
export function replyOutputText(content: readonly ReplyBlock[]): string {
  return content.map(blockText).join('');
}

export function blockText(block: ReplyBlock): string {
  switch (block.type) {
    case 'text':
    case 'reasoning':
      return block.text;
    case 'toolUse':
      return JSON.stringify(block.input);
  }
}
