import { lastUserText, systemText, type ConverseRequest } from './converse-request.ts';
import { modelPattern } from './fault-options.ts';
import { fnv1a, prng } from './random.ts';
import type { ReplyBlock, StopReason } from './reply.ts';
import type { LatencyOverride } from './latency-options.ts';
import type { ScriptReplySpec, ScriptRule, TextMatcher } from './script-options.ts';

/**
 * Picks the scripted answer for a request (script-options.ts documents the rules). Stateful: each rule
 * counts the requests it answered, for `replies` sequences, so one lives per model.
 */
export interface ScriptCall {
  /** The id the request named and, behind a prompt router, the model it picked. */
  modelIds: readonly string[];
  request: ConverseRequest;
}

export interface ScriptedReply {
  content: ReplyBlock[];
  stopReason: StopReason;
  latency?: LatencyOverride;
  /** `script:<name>` or `script:<index>`, for Reply.source. */
  source: string;
}

export interface Scripts {
  answer(call: ScriptCall): ScriptedReply | undefined;
}

export function createScripts(rules: readonly ScriptRule[], seed: number): Scripts {
  const answered = rules.map(() => 0);
  return {
    answer(call) {
      const facts = { last: lastUserText(call.request), system: systemText(call.request), turn: call.request.messages.filter((m) => m.role === 'user').length };
      for (const [index, rule] of rules.entries()) {
        if (!matches(rule, call.modelIds, facts)) continue;
        const position = sequencePosition(rule, answered[index]!);
        if (position === undefined) continue;
        answered[index]!++;
        const label = rule.name ?? String(index);
        const spec = rule.reply ?? rule.replies![position]!;
        const content = replyBlocks(spec, `${seed}\u0000${label}\u0000${position}`);
        return {
          content,
          stopReason: spec.stopReason ?? (content.some((b) => b.type === 'toolUse') ? 'tool_use' : 'end_turn'),
          ...(rule.latency ? { latency: rule.latency } : {}),
          source: `script:${label}`,
        };
      }
      return undefined;
    },
  };
}

interface Facts {
  last: string;
  system: string;
  turn: number;
}

function matches(rule: ScriptRule, modelIds: readonly string[], facts: Facts): boolean {
  const { model, lastUserMessage, system, turn } = rule.match;
  if (model !== undefined && !modelIds.some((id) => textMatches(model, id, true))) return false;
  if (lastUserMessage !== undefined && !textMatches(lastUserMessage, facts.last, false)) return false;
  if (system !== undefined && !textMatches(system, facts.system, false)) return false;
  if (turn !== undefined && ![turn].flat().includes(facts.turn)) return false;
  return true;
}

/** A RegExp or `/re/flags` string tests; a plain string is the exact value (models) or a substring. */
function textMatches(matcher: TextMatcher, value: string, exact: boolean): boolean {
  const pattern = matcher instanceof RegExp ? matcher : modelPattern(matcher);
  if (pattern) {
    pattern.lastIndex = 0; // a /g or /y regex keeps state between tests
    return pattern.test(value);
  }
  return exact ? value === matcher : value.includes(matcher as string);
}

/** Which of the rule's replies the next match gets; undefined when a `fallthrough` sequence is spent. */
function sequencePosition(rule: ScriptRule, answered: number): number | undefined {
  if (!rule.replies) return 0;
  const count = rule.replies.length;
  if (answered < count) return answered;
  if (rule.then === 'cycle') return answered % count;
  if (rule.then === 'fallthrough') return undefined;
  return count - 1;
}

function replyBlocks(spec: ScriptReplySpec, idSeed: string): ReplyBlock[] {
  const blocks: ReplyBlock[] = [];
  if (spec.reasoning) blocks.push({ type: 'reasoning', text: spec.reasoning.text, signature: spec.reasoning.signature ?? stableId(`${idSeed}\u0000signature`, 64) });
  if (spec.text !== undefined) blocks.push({ type: 'text', text: spec.text });
  if (spec.toolUse) {
    const { name, input, toolUseId } = spec.toolUse;
    blocks.push({ type: 'toolUse', name, input, toolUseId: toolUseId ?? `tooluse_${stableId(`${idSeed}\u0000${name}`, 22)}` });
  }
  return blocks;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Base64url-looking, like Bedrock's ids, and the same on every run for the same seed string. */
function stableId(seed: string, length: number): string {
  const next = prng(fnv1a(seed));
  let id = '';
  for (let i = 0; i < length; i++) id += ID_CHARS[Math.floor(next() * ID_CHARS.length)];
  return id;
}
