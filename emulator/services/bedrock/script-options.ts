import { z } from 'zod';
import { modelPattern } from './fault-options.ts';
import { latencyOverrideSchema } from './latency-options.ts';

/**
 * `bedrock.scripts`: what the model answers, rule by rule. Entries are rules, or paths (relative to
 * the config file) of `.json` files holding rules, or `.ts` / `.mjs` files default-exporting them.
 * The first rule whose `match` holds answers; unmatched requests get the seeded mock text.
 *
 *   scripts: [
 *     { name: 'weather', match: { lastUserMessage: 'weather', turn: 1 },
 *       reply: { toolUse: { name: 'get_weather', input: { city: 'Paris' } } } },  // stopReason tool_use
 *     { match: { lastUserMessage: 'weather', turn: 2 }, reply: { text: 'Sunny, 21 °C.' } },
 *     { match: { model: '/^anthropic\\./', system: '/terse/i' },
 *       replies: [{ text: 'one' }, { text: 'two' }], then: 'cycle' },
 *     { match: {}, reply: { reasoning: { text: 'Let me think.' }, text: 'Done.' }, latency: { timeToFirstTokenMs: 50 } },
 *     'fixtures/bedrock/scripts/weather.json',
 *   ]
 *
 * Matching (every given field must hold):
 * - `model`: the exact model id, or `/re/flags`. Tested against the id the request named and, behind a
 *   prompt router, the model it picked.
 * - `lastUserMessage`, `system`: a substring (case-sensitive) of the last user message's text (its
 *   text, tool results and guardContent blocks, joined by newlines) or of the system prompt; or a
 *   `/re/flags` string, or a RegExp in a TS file.
 * - `turn`: the number of user messages in the request (1 for the first turn; a tool result is the
 *   next turn), or a list of them.
 *
 * Replies: `reply` answers every matching request; `replies` answers the n-th matching request with
 * the n-th entry, and after the last one `then` decides: `repeat` the last (default), `cycle` from the
 * first, or `fallthrough` (the rule stops matching; later rules or the mock answer).
 * A reply's blocks come out in the order reasoning, text, toolUse. With a toolUse the stop reason is
 * `tool_use` unless `stopReason` says otherwise; the toolUseId, unless given, is a stable
 * `tooluse_<22 chars>` derived from the seed, the rule and the sequence position.
 * `latency` overrides any of `bedrock.latency`'s fields for this rule's replies (latency-options.ts),
 * over the model's own `bedrock.models` latency.
 */
const REGEX_HINT = 'a substring, or "/pattern/flags" for a regex';

const textMatcherSchema = z.union([
  z.string().superRefine((value, ctx) => {
    try {
      modelPattern(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a valid regex (${REGEX_HINT}): ${(error as Error).message}` });
    }
  }),
  z.instanceof(RegExp),
]);

const turnSchema = z.number().int().min(1);

const matchSchema = z.strictObject({
  model: textMatcherSchema.optional(),
  lastUserMessage: textMatcherSchema.optional(),
  system: textMatcherSchema.optional(),
  turn: z.union([turnSchema, z.array(turnSchema).min(1)]).optional(),
});

const STOP_REASONS = ['end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'guardrail_intervened', 'content_filtered'] as const;

const replySpecSchema = z.strictObject({
  text: z.string().optional(),
  /** Extended thinking; the signature defaults to a stable one derived like toolUseId. */
  reasoning: z.strictObject({ text: z.string(), signature: z.string().optional() }).optional(),
  toolUse: z.strictObject({ name: z.string().min(1), input: z.unknown().default({}), toolUseId: z.string().min(1).optional() }).optional(),
  stopReason: z.enum(STOP_REASONS).optional(),
});

export const scriptRuleSchema = z
  .strictObject({
    /** Shown in the trace as `script:<name>` (else `script:<index>`). */
    name: z.string().min(1).optional(),
    match: matchSchema.default({}),
    reply: replySpecSchema.optional(),
    replies: z.array(replySpecSchema).min(1).optional(),
    then: z.enum(['repeat', 'cycle', 'fallthrough']).default('repeat'),
    latency: latencyOverrideSchema.optional(),
  })
  .superRefine((rule, ctx) => {
    if ((rule.reply === undefined) === (rule.replies === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['reply'], message: 'give exactly one of "reply" (every match) or "replies" (a sequence)' });
    }
  });

export type ScriptRule = z.infer<typeof scriptRuleSchema>;
/** What a TS script file's default export is typed as: `const rules: ScriptRuleInput[] = [...]`. */
export type ScriptRuleInput = z.input<typeof scriptRuleSchema>;
export type ScriptReplySpec = z.infer<typeof replySpecSchema>;
export type ScriptMatch = z.infer<typeof matchSchema>;
export type TextMatcher = z.infer<typeof textMatcherSchema>;
