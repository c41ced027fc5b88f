import type { Clock } from '../../core/clock.ts';
import { EmulatorError } from '../../core/errors.ts';
import { promptText, type ConverseRequest } from './converse-request.ts';
import { checkTexts, guardedInputTexts, resolveGuardrail, type GuardrailCall, type GuardrailCheck } from './guardrails.ts';
import { mockText } from './mock-text.ts';
import { latencyFor, mergeLatency } from './latency-options.ts';
import type { BedrockOptions } from './options.ts';
import { createPromptCache } from './prompt-cache.ts';
import { routePrompt } from './prompt-router.ts';
import { replyOutputText, type Reply, type ReplyBlock, type ReplyTrace, type StopReason } from './reply.ts';
import type { ScriptRule } from './script-options.ts';
import { createScripts } from './scripts.ts';
import { CHARS_PER_TOKEN, countTokens } from './tokens.ts';

/**
 * The mock model: decides what a request gets back, as a Reply every operation renders. Stateful
 * across requests (scripts' sequences, the prompt cache), so one lives per emulator. The one place
 * that orders the steps: prompt router -> input guardrail -> script or mock -> output guardrail ->
 * cache accounting; each step is its own module.
 */
export interface ModelCall {
  /** The model id as the request named it (decoded path label). */
  modelId: string;
  request: ConverseRequest;
  /**
   * InvokeModel's guardrail, from its headers (`guardrailFromHeaders` in guardrails.ts). Converse's
   * comes from `request.guardrailConfig`; this one wins when both are given.
   */
  guardrail?: GuardrailCall;
}

/** ApplyGuardrail's question: a guardrail, which side the content is, and its texts. */
export interface GuardrailApplyCall {
  identifier: string;
  version: string;
  source: 'INPUT' | 'OUTPUT';
  texts: string[];
}

export interface GuardrailApplyResult extends GuardrailCheck {
  /** The blocked message for that side when the guardrail intervened. */
  output?: string;
  latencyMs: number;
}

export interface Model {
  reply(call: ModelCall): Reply;
  applyGuardrail(call: GuardrailApplyCall): GuardrailApplyResult;
}

export function createModel(options: BedrockOptions, clock: Clock): Model {
  const scripts = createScripts(inlineRules(options), options.mock.seed);
  const cache = createPromptCache(clock, options.mock.minCacheTokens);

  function answer(call: ModelCall, modelIds: string[]): Reply {
    const scripted = scripts.answer({ modelIds, request: call.request });
    if (!scripted) return unscriptedReply(options, call);
    const reply = buildReply(options, call, scripted.content, scripted.stopReason, scripted.source);
    return scripted.latency ? { ...reply, latency: mergeLatency(reply.latency, scripted.latency) } : reply;
  }

  return {
    reply(call) {
      const routed = routePrompt(call.modelId, call.request, options.promptRouters);
      const invoked: ModelCall = { ...call, modelId: routed?.modelId ?? call.modelId };
      const trace: ReplyTrace = routed ? { promptRouter: { invokedModelId: routed.invokedModelArn } } : {};
      const guardrailCall = call.guardrail ?? guardrailOfRequest(call.request);
      // Resolved first: an unknown guardrail fails the request before the model runs.
      const guardrail = guardrailCall && resolveGuardrail(options.guardrails, guardrailCall.identifier, guardrailCall.version);
      const tracing = guardrailCall !== undefined && guardrailCall.trace !== 'disabled';

      const input = guardrail && checkTexts(guardrail.options, guardedInputTexts(call.request));
      if (guardrail && input?.intervened) {
        if (tracing) trace.guardrail = { inputAssessment: { [guardrail.id]: input.assessment } };
        // The model never ran: no tokens (the guardrail bills text units), and maxTokens does not cut the message.
        const blocked: Reply = {
          content: [{ type: 'text', text: guardrail.options.blockedInputMessage }],
          stopReason: 'guardrail_intervened',
          usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
          latency: latencyFor(options, invoked.modelId),
          source: `guardrail:${guardrail.id}`,
        };
        return withTrace(blocked, trace);
      }

      let reply = answer(invoked, [call.modelId, invoked.modelId]);
      if (guardrail && input) {
        const modelOutput = reply.content.flatMap((b) => (b.type === 'text' ? [b.text] : []));
        const output = checkTexts(guardrail.options, modelOutput);
        if (tracing) {
          trace.guardrail = {
            ...(output.intervened && guardrailCall?.trace === 'enabled_full' ? { modelOutput } : {}),
            inputAssessment: { [guardrail.id]: input.assessment },
            outputAssessments: { [guardrail.id]: [output.assessment] },
          };
        }
        // The model did run: its usage stands, its words do not.
        if (output.intervened) reply = { ...reply, content: [{ type: 'text', text: guardrail.options.blockedOutputMessage }], stopReason: 'guardrail_intervened', source: `guardrail:${guardrail.id}` };
      }

      const cached = cache.account(invoked.modelId, call.request, reply.usage.inputTokens);
      if (cached) reply = { ...reply, usage: { ...reply.usage, ...cached, totalTokens: cached.inputTokens + cached.cacheReadInputTokens + cached.cacheWriteInputTokens + reply.usage.outputTokens } };
      return withTrace(reply, trace);
    },

    applyGuardrail(call) {
      const guardrail = resolveGuardrail(options.guardrails, call.identifier, call.version);
      const check = checkTexts(guardrail.options, call.texts);
      const message = call.source === 'INPUT' ? guardrail.options.blockedInputMessage : guardrail.options.blockedOutputMessage;
      return { ...check, ...(check.intervened ? { output: message } : {}), latencyMs: guardrail.options.latencyMs };
    },
  };
}

function guardrailOfRequest(request: ConverseRequest): GuardrailCall | undefined {
  const config = request.guardrailConfig;
  return config && { identifier: config.guardrailIdentifier, version: config.guardrailVersion, trace: config.trace ?? 'disabled' };
}

function withTrace(reply: Reply, trace: ReplyTrace): Reply {
  return Object.keys(trace).length > 0 ? { ...reply, trace } : reply;
}

/** Script files must be loaded (script-files.ts) before a model is made; inline rules pass through. */
function inlineRules(options: BedrockOptions): ScriptRule[] {
  return options.scripts.map((entry) => {
    if (typeof entry !== 'string') return entry;
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to start the Bedrock mock: script file "${entry}" was not loaded. Pass the options through loadScriptFiles (script-files.ts) first.`);
  });
}

/**
 * Without a script: seeded text derived from the prompt, `mock.outputTokens` long. A `maxTokens` below
 * that cuts the text at that many tokens and stops with `max_tokens`, as a model that had more to say.
 */
export function unscriptedReply(options: BedrockOptions, call: ModelCall): Reply {
  const prompt = promptText(call.request);
  const text = mockText({ seed: options.mock.seed, modelId: call.modelId, prompt, outputTokens: options.mock.outputTokens });
  return buildReply(options, call, [{ type: 'text', text }], 'end_turn', 'mock');
}

/** Applies `maxTokens`, then counts usage by the one rule of tokens.ts. */
export function buildReply(options: BedrockOptions, call: ModelCall, content: ReplyBlock[], stopReason: StopReason, source: string): Reply {
  const limited = limitTokens(content, call.request.inferenceConfig?.maxTokens);
  const inputTokens = countTokens(promptText(call.request));
  const outputTokens = countTokens(replyOutputText(limited.content));
  return {
    content: limited.content,
    stopReason: limited.cut ? 'max_tokens' : stopReason,
    usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
    latency: latencyFor(options, call.modelId),
    source,
  };
}

/**
 * Cuts text and reasoning at `maxTokens` tokens in all (CHARS_PER_TOKEN characters each). A tool call
 * that does not fit is dropped whole: a half-written tool input is not JSON.
 */
function limitTokens(content: ReplyBlock[], maxTokens: number | undefined): { content: ReplyBlock[]; cut: boolean } {
  if (maxTokens === undefined) return { content, cut: false };
  let budget = maxTokens * CHARS_PER_TOKEN;
  const kept: ReplyBlock[] = [];
  for (const block of content) {
    const length = block.type === 'toolUse' ? JSON.stringify(block.input).length : block.text.length;
    if (length <= budget) {
      kept.push(block);
      budget -= length;
      continue;
    }
    if (block.type !== 'toolUse' && budget > 0) kept.push({ ...block, text: block.text.slice(0, budget) });
    return { content: kept, cut: true };
  }
  return { content: kept, cut: false };
}
