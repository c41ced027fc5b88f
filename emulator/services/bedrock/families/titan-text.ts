import type { Reply } from '../reply.ts';
import { asObject, assertValid, isObject, objectViolations, type ObjectSpec } from './body-schema.ts';
import { intervened, METRICS_KEY, promptRequest, replyText, textDeltas, type InvokeFamily, type StreamChunk } from './family.ts';

/**
 * Amazon Titan Text: `{inputText, textGenerationConfig}` in, `{inputTextTokenCount, results}` out.
 * Stream chunks carry the input count on the first chunk and the totals, completion reason and
 * Bedrock's metrics on the last [O] (shape as parsed by spring-ai's TitanChatResponseChunk and
 * aws-sdk-ruby users' captures; reference 4.5).
 */
const SPEC: ObjectSpec = { required: ['inputText'], properties: { inputText: 'string', textGenerationConfig: 'object' } };
const CONFIG_SPEC: ObjectSpec = { properties: { maxTokenCount: 'integer', stopSequences: 'array', temperature: 'number', topP: 'number' } };
// Titan accepts only "|" runs and "User:" as stop sequences [O] boto/boto3#3993.
const STOP_PATTERN = /^(\|+|User:)$/;

export const titanText: InvokeFamily = {
  name: 'titan-text',

  parse(raw) {
    const body = asObject(raw);
    const config = isObject(body.textGenerationConfig) ? body.textGenerationConfig : {};
    const violations = [...objectViolations(body, SPEC), ...objectViolations(config, CONFIG_SPEC, '#/textGenerationConfig')];
    if (Array.isArray(config.stopSequences)) {
      config.stopSequences.forEach((s, i) => {
        if (typeof s === 'string' && !STOP_PATTERN.test(s)) violations.push(`#/textGenerationConfig/stopSequences/${i}: string [${s}] does not match pattern ${STOP_PATTERN.source}`);
      });
    }
    assertValid(violations);
    return promptRequest(body.inputText as string, {
      maxTokens: config.maxTokenCount as number | undefined,
      temperature: config.temperature as number | undefined,
      topP: config.topP as number | undefined,
      stopSequences: config.stopSequences as string[] | undefined,
    });
  },

  render({ reply }) {
    return {
      inputTextTokenCount: reply.usage.inputTokens,
      results: [{ tokenCount: reply.usage.outputTokens, outputText: replyText(reply), completionReason: completionReason(reply) }],
    };
  },

  stream({ reply, timeline, metrics }) {
    const deltas = textDeltas(timeline);
    const pieces = deltas.length > 0 ? deltas.map((d) => ({ atMs: d.atMs, text: d.text })) : [{ atMs: timeline.endMs, text: '' }];
    return pieces.map((piece, i): StreamChunk => {
      const last = i === pieces.length - 1;
      return {
        atMs: piece.atMs,
        role: 'content',
        payload: {
          outputText: piece.text,
          index: 0,
          totalOutputTextTokenCount: last ? reply.usage.outputTokens : null,
          completionReason: last ? completionReason(reply) : null,
          inputTextTokenCount: i === 0 ? reply.usage.inputTokens : null,
          ...(last ? { [METRICS_KEY]: metrics } : {}),
        },
      };
    });
  },
};

function completionReason(reply: Reply): string {
  if (reply.stopReason === 'max_tokens') return 'LENGTH';
  if (reply.stopReason === 'stop_sequence') return 'STOP_CRITERIA_MET';
  if (intervened(reply.stopReason)) return 'CONTENT_FILTERED';
  return 'FINISH';
}
