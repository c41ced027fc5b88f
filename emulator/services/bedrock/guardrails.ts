import type { HttpRequest } from '../../core/http.ts';
import type { ConverseRequest } from './converse-request.ts';
import { modelPattern } from './fault-options.ts';
import { ValidationException } from './errors.ts';
import type { GuardrailOptions } from './guardrail-options.ts';
import { requestHeader } from './operation.ts';

/**
 * Guardrail checks (guardrail-options.ts documents the config) and their assessments in AWS's shapes
 * (GuardrailAssessment, reference 5.1). Pure: which texts to check and what a block does to a reply
 * is model.ts's business.
 */
export interface GuardrailCall {
  /** The guardrail id, or its ARN (`arn:aws:bedrock:<region>:<account>:guardrail/<id>`). */
  identifier: string;
  version: string;
  trace: 'enabled' | 'disabled' | 'enabled_full';
}

export interface ResolvedGuardrail {
  id: string;
  options: GuardrailOptions;
}

export interface GuardrailCheck {
  intervened: boolean;
  assessment: GuardrailAssessment;
}

/** The members of AWS's GuardrailAssessment the emulator fills (word and topic policies). */
export interface GuardrailAssessment {
  wordPolicy?: { customWords: Array<{ match: string; action: 'BLOCKED'; detected: true }>; managedWordLists: [] };
  topicPolicy?: { topics: Array<{ name: string; type: 'DENY'; action: 'BLOCKED'; detected: true }> };
  invocationMetrics: {
    guardrailProcessingLatency: number;
    usage: GuardrailUsage;
    guardrailCoverage: { textCharacters: { guarded: number; total: number } };
  };
}

export type GuardrailUsage = Record<
  'topicPolicyUnits' | 'contentPolicyUnits' | 'wordPolicyUnits' | 'sensitiveInformationPolicyUnits' | 'sensitiveInformationPolicyFreeUnits' | 'contextualGroundingPolicyUnits',
  number
>;

/** Bedrock's wording for a guardrail it cannot find [O] (observed on Converse with an invalid id). */
export const INVALID_GUARDRAIL = 'The provided guardrail identifier is invalid.';
/** Ours: AWS's wording for an unknown version of a known guardrail was not found. */
export const INVALID_GUARDRAIL_VERSION = 'The provided guardrail version is invalid.';

const GUARDRAIL_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/([a-z0-9]+)$/;

/** Finds the configured guardrail, or throws the ValidationException Converse gives. */
export function resolveGuardrail(guardrails: Readonly<Record<string, GuardrailOptions>>, identifier: string, version: string): ResolvedGuardrail {
  const id = GUARDRAIL_ARN.exec(identifier)?.[1] ?? identifier;
  const options = Object.hasOwn(guardrails, id) ? guardrails[id] : undefined;
  if (!options) throw new ValidationException(INVALID_GUARDRAIL);
  if (version !== 'DRAFT' && options.version !== undefined && version !== options.version) throw new ValidationException(INVALID_GUARDRAIL_VERSION);
  return { id, options };
}

/**
 * Checks texts against the word and topic policies. Usage counts text units as AWS bills them: one
 * per started 1,000 characters, per configured policy.
 */
export function checkTexts(options: GuardrailOptions, texts: readonly string[]): GuardrailCheck {
  const text = texts.join('\n');
  const words = options.deniedWords.filter((word) => phraseMatches(word, text));
  const topics = options.deniedTopics.filter((topic) => topic.patterns.some((p) => phraseMatches(p, text)));
  const units = Math.ceil(text.length / 1000);
  const assessment: GuardrailAssessment = {
    ...(words.length > 0 ? { wordPolicy: { customWords: words.map((match) => ({ match, action: 'BLOCKED' as const, detected: true as const })), managedWordLists: [] as [] } } : {}),
    ...(topics.length > 0 ? { topicPolicy: { topics: topics.map((t) => ({ name: t.name, type: 'DENY' as const, action: 'BLOCKED' as const, detected: true as const })) } } : {}),
    invocationMetrics: {
      guardrailProcessingLatency: options.latencyMs,
      usage: {
        topicPolicyUnits: options.deniedTopics.length > 0 ? units : 0,
        contentPolicyUnits: 0,
        wordPolicyUnits: options.deniedWords.length > 0 ? units : 0,
        sensitiveInformationPolicyUnits: 0,
        sensitiveInformationPolicyFreeUnits: 0,
        contextualGroundingPolicyUnits: 0,
      },
      guardrailCoverage: { textCharacters: { guarded: text.length, total: text.length } },
    },
  };
  return { intervened: words.length > 0 || topics.length > 0, assessment };
}

/**
 * What the input check reads: with guardContent blocks (in messages or the system prompt) only those,
 * as AWS evaluates only marked content; otherwise the text of every message, the whole conversation.
 */
export function guardedInputTexts(request: ConverseRequest): string[] {
  const marked: string[] = [];
  for (const block of request.system ?? []) if (block.guardContent?.text) marked.push(block.guardContent.text.text);
  for (const message of request.messages) for (const block of message.content) if (block.guardContent?.text) marked.push(block.guardContent.text.text);
  if (marked.length > 0) return marked;
  return request.messages.flatMap((m) => m.content.flatMap((b) => (b.text !== undefined ? [b.text] : [])));
}

/** `/re/flags` as written; otherwise the word or phrase, case-insensitive, on word boundaries. */
function phraseMatches(pattern: string, text: string): boolean {
  const regex = modelPattern(pattern) ?? new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(pattern)}(?![\\p{L}\\p{N}_])`, 'iu');
  regex.lastIndex = 0;
  return regex.test(text);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The hook for InvokeModel and InvokeModelWithResponseStream: their guardrail arrives in headers
 * (reference 4.1, 5.1). Pass the result as `guardrail` in `model.reply(...)`. Undefined without an
 * identifier; a version defaults to DRAFT and the trace to disabled, as for an absent header.
 */
export function guardrailFromHeaders(request: HttpRequest): GuardrailCall | undefined {
  const identifier = requestHeader(request, 'X-Amzn-Bedrock-GuardrailIdentifier');
  if (!identifier) return undefined;
  const trace = (requestHeader(request, 'X-Amzn-Bedrock-Trace') ?? 'DISABLED').toLowerCase();
  return {
    identifier,
    version: requestHeader(request, 'X-Amzn-Bedrock-GuardrailVersion') ?? 'DRAFT',
    trace: trace === 'enabled' || trace === 'enabled_full' ? trace : 'disabled',
  };
}
