import { z } from 'zod';
import { hasStreamForm, INJECTABLE_ERRORS, type InjectableErrorName } from './errors.ts';

/**
 * `bedrock.faults`: rules that make Converse / ConverseStream fail the way Bedrock does. The first
 * rule whose conditions all hold answers the request; a rule without `on` matches every request.
 *
 *   faults: [
 *     { error: 'ThrottlingException', on: { requestNumber: [1, 2] } },          // the SDK's retries succeed on attempt 3
 *     { error: 'ModelTimeoutException', on: { model: '/^anthropic\\./' } },      // "/.../flags" is a regex; else the exact id
 *     { error: 'ServiceUnavailableException', on: { probability: 0.1 } },        // seeded by bedrock.mock.seed: runs repeat
 *     { error: 'ModelStreamErrorException', afterChunks: 2, message: 'boom' },   // ConverseStream: 2 deltas, then the exception
 *   ]
 *
 * - `requestNumber`: 1-based, counted per emulator over every Converse and ConverseStream request
 *   (each SDK retry is a request).
 * - `probability`: 0-1; the draw depends only on bedrock.mock.seed, the rule's index and the request
 *   number, so a run repeats exactly.
 * - `afterChunks`: the rule then applies to ConverseStream only: messageStart and N contentBlockDelta
 *   events, then the exception frame, and the stream ends (fewer chunks in the reply: after them all).
 *   Only ConverseStream's modeled exceptions have that form (ThrottlingException, ModelStreamErrorException,
 *   InternalServerException, ServiceUnavailableException, ValidationException). ModelStreamErrorException
 *   exists only mid-stream, so it needs `afterChunks`.
 * - `message`: replaces the exception's default message.
 */
const ERROR_NAMES = Object.keys(INJECTABLE_ERRORS) as [InjectableErrorName, ...InjectableErrorName[]];
const REGEX_STRING = /^\/(.*)\/([a-z]*)$/s;

/** A `/pattern/flags` string as a RegExp; undefined for a plain model id. */
export function modelPattern(model: string): RegExp | undefined {
  const match = REGEX_STRING.exec(model);
  return match ? new RegExp(match[1]!, match[2]) : undefined;
}

const modelSchema = z.string().min(1).superRefine((model, ctx) => {
  try {
    modelPattern(model);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regex: ${(error as Error).message}` });
  }
});

const requestNumberSchema = z.number().int().min(1);

const faultRuleSchema = z
  .strictObject({
    error: z.enum(ERROR_NAMES),
    on: z
      .strictObject({
        requestNumber: z.union([requestNumberSchema, z.array(requestNumberSchema).min(1)]).optional(),
        model: modelSchema.optional(),
        probability: z.number().min(0).max(1).optional(),
      })
      .optional(),
    afterChunks: z.number().int().min(0).optional(),
    message: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.afterChunks !== undefined && !hasStreamForm(rule.error)) {
      ctx.addIssue({ code: 'custom', path: ['afterChunks'], message: `${rule.error} has no in-stream form in ConverseStream; remove afterChunks or pick one of its stream exceptions` });
    }
    if (rule.afterChunks === undefined && rule.error === 'ModelStreamErrorException') {
      ctx.addIssue({ code: 'custom', path: ['afterChunks'], message: 'ModelStreamErrorException only occurs mid-stream; set afterChunks' });
    }
  });

export const faultRulesSchema = z.array(faultRuleSchema);

export type FaultRule = z.infer<typeof faultRuleSchema>;
