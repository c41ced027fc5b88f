import { createHash, type Hash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { blockTexts, type ConverseRequest } from './converse-request.ts';
import type { Usage } from './reply.ts';
import { CHARS_PER_TOKEN } from './tokens.ts';

/**
 * Prompt caching (reference 5.2) as usage shows it. Each `cachePoint` block (in `toolConfig.tools`,
 * `system` or `messages[].content`) closes a prefix: everything before it in the order tools, system,
 * messages (Anthropic's order), keyed by the model id and the canonical JSON of those blocks.
 *
 * - A checkpoint counts only if its prefix has at least `minCacheTokens` more tokens than the previous
 *   counted one (AWS: a second checkpoint needs twice the minimum); others are ignored.
 * - The longest counted prefix still alive in the cache is read (`cacheReadInputTokens`); the counted
 *   prefixes after it are written (`cacheWriteInputTokens`, broken down by TTL in `cacheDetails`);
 *   `inputTokens` keeps the rest, so input + cacheRead + cacheWrite is the whole prompt's token count.
 * - An entry lives 5 minutes (or 1 hour with `ttl: "1h"`) on the emulated clock, renewed by each hit.
 * - A request without any cachePoint gets no cache fields in its usage at all.
 * Prefix tokens follow tokens.ts on the prefix's text, the same text the input count reads.
 */
export const CACHE_TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

type Ttl = keyof typeof CACHE_TTL_MS;

export type CacheUsage = Required<Pick<Usage, 'inputTokens' | 'cacheReadInputTokens' | 'cacheWriteInputTokens' | 'cacheDetails'>>;

export interface PromptCache {
  /** Splits `inputTokens` into cached and uncached parts and updates the cache; undefined without a cachePoint. */
  account(modelId: string, request: ConverseRequest, inputTokens: number): CacheUsage | undefined;
}

interface Checkpoint {
  key: string;
  tokens: number;
  ttl: Ttl;
}

/** Above this many live entries, expired ones are swept before adding more. */
const SWEEP_AT = 10_000;

export function createPromptCache(clock: Clock, minCacheTokens: number): PromptCache {
  const expiries = new Map<string, number>();

  function sweep(now: number) {
    for (const [key, expiry] of expiries) if (expiry <= now) expiries.delete(key);
  }

  return {
    account(modelId, request, inputTokens) {
      const found = checkpoints(modelId, request, inputTokens);
      if (found === undefined) return undefined;
      const counted: Checkpoint[] = [];
      for (const checkpoint of found) if (checkpoint.tokens - (counted.at(-1)?.tokens ?? 0) >= minCacheTokens) counted.push(checkpoint);
      if (counted.length === 0) return { inputTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, cacheDetails: [] };
      const now = clock.now();
      if (expiries.size > SWEEP_AT) sweep(now);
      const hit = counted.findLastIndex((c) => (expiries.get(c.key) ?? -Infinity) > now);
      const read = hit === -1 ? 0 : counted[hit]!.tokens;
      const written: Record<Ttl, number> = { '1h': 0, '5m': 0 };
      counted.forEach((c, i) => {
        expiries.set(c.key, now + CACHE_TTL_MS[c.ttl]);
        if (i > hit) written[c.ttl] += c.tokens - (counted[i - 1]?.tokens ?? 0);
      });
      const cached = counted.at(-1)!.tokens;
      return {
        inputTokens: inputTokens - cached,
        cacheReadInputTokens: read,
        cacheWriteInputTokens: cached - read,
        // AWS sorts 1h before 5m and lists only TTLs that were written.
        cacheDetails: (['1h', '5m'] as const).filter((ttl) => written[ttl] > 0).map((ttl) => ({ ttl, inputTokens: written[ttl] })),
      };
    },
  };
}

/** Every cachePoint's prefix key and token count, in prompt order; undefined when there are none. */
function checkpoints(modelId: string, request: ConverseRequest, inputTokens: number): Checkpoint[] | undefined {
  const hash = createHash('sha256').update(modelId);
  const found: Checkpoint[] = [];
  let chars = 0;
  let parts = 0;
  const visit = (block: { cachePoint?: { ttl?: string } }, keyPart: unknown, texts: string[]) => {
    if (block.cachePoint) {
      // Parts are joined by newlines in promptText, so a prefix of n parts has n - 1 of them.
      const tokens = Math.min(Math.ceil((chars + Math.max(0, parts - 1)) / CHARS_PER_TOKEN), inputTokens);
      found.push({ key: digest(hash), tokens, ttl: block.cachePoint.ttl === '1h' ? '1h' : '5m' });
      return;
    }
    hash.update(`\u0000${canonicalJson(keyPart)}`);
    for (const text of texts) {
      chars += text.length;
      parts++;
    }
  };
  for (const tool of request.toolConfig?.tools ?? []) visit(tool, { tool }, tool.toolSpec ? [JSON.stringify(tool.toolSpec)] : []);
  for (const block of request.system ?? []) visit(block, { system: block }, block.text !== undefined ? [block.text] : []);
  for (const message of request.messages) for (const block of message.content) visit(block, { role: message.role, block }, blockTexts(block));
  return found.length > 0 ? found : undefined;
}

function digest(hash: Hash): string {
  return hash.copy().digest('base64url');
}

/** JSON with object keys sorted, so the same blocks give the same key whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
