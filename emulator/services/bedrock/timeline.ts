import type { LatencyOptions } from './options.ts';
import { blockText, type Reply, type ReplyBlock } from './reply.ts';
import { chunkGapMs, firstTokenMs } from './pacing.ts';
import { CHARS_PER_TOKEN } from './tokens.ts';

/**
 * When each piece of a reply is due, for every streaming shape to render: ConverseStream's events and
 * each InvokeModel family's chunks come from one timeline, so they pace and split alike.
 *
 * Each block's text (a tool's input as JSON) is cut into chunks of `tokensPerChunk` tokens
 * (CHARS_PER_TOKEN characters each, the rule of tokens.ts). The first chunk of the reply is due after
 * the time to first token; each next one after its own tokens at the configured rate (pacing.ts).
 * Times are emulated ms from the request's arrival, so they do not drift.
 */
export type TimelineEvent =
  | { kind: 'blockStart'; index: number; block: ReplyBlock; atMs: number }
  | { kind: 'delta'; index: number; block: ReplyBlock; text: string; tokens: number; atMs: number }
  /** A reasoning block's signature, after its text (reference 4.4's `reasoningContent.signature`). */
  | { kind: 'signature'; index: number; signature: string; atMs: number }
  | { kind: 'blockStop'; index: number; atMs: number };

export interface Timeline {
  events: TimelineEvent[];
  /** When the first content chunk is due (the time to first token). */
  firstChunkMs: number;
  /** When the whole reply is done: what a non-streaming call waits before it answers. */
  endMs: number;
}

/** `draw` gives uniform numbers in [0, 1) for jitter; seeded by the caller so runs repeat. */
export function planTimeline(reply: Reply, draw: () => number): Timeline {
  const latency = reply.latency;
  const events: TimelineEvent[] = [];
  const first = firstTokenMs(latency, draw);
  let at = first;
  let chunks = 0;
  reply.content.forEach((block, index) => {
    events.push({ kind: 'blockStart', index, block, atMs: at });
    for (const text of splitChunks(blockText(block), latency)) {
      const tokens = Math.ceil(text.length / CHARS_PER_TOKEN);
      if (chunks++ > 0) at += chunkGapMs(tokens, latency, draw);
      events.push({ kind: 'delta', index, block, text, tokens, atMs: at });
    }
    if (block.type === 'reasoning') events.push({ kind: 'signature', index, signature: block.signature, atMs: at });
    events.push({ kind: 'blockStop', index, atMs: at });
  });
  // A reply with no content (a guardrail's empty output, say) still takes the time to first token.
  return { events, firstChunkMs: first, endMs: at };
}

function splitChunks(text: string, latency: LatencyOptions): string[] {
  const size = latency.tokensPerChunk * CHARS_PER_TOKEN;
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
