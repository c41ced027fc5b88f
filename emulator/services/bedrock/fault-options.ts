import { z } from 'zod';
import { hasStreamForm, INJECTABLE_ERRORS, type InjectableErrorName } from './errors.ts';

/**
 * `bedrock.faults`: rules that make Bedrock calls fail, stall or drop the way Bedrock does. The first
 * rule whose conditions all hold answers the request; a rule without `on` matches every request. Each
 * rule has exactly one of `error`, `drop` or `stall`.
 *
 *   faults: [
 *     { error: 'ThrottlingException', on: { requestNumber: [1, 2] } },          // the SDK's retries succeed on attempt 3
 *     { error: 'ModelTimeoutException', on: { model: '/^anthropic\\./' } },      // "/.../flags" is a regex; else the exact id
 *     { error: 'ServiceUnavailableException', on: { probability: 0.1 } },        // seeded by bedrock.mock.seed: runs repeat
 *     { error: 'ModelStreamErrorException', afterChunks: 2, message: 'boom' },   // a stream: 2 chunks, then the exception
 *     { error: 'ModelErrorException', originalStatusCode: 503, resourceName: 'arn:aws:sagemaker:...' },
 *     { drop: true, afterChunks: 3 },                                            // a stream: 3 chunks, then the connection goes
 *     { stall: { seconds: 30, afterChunks: 5 } },                                // a stream pauses 30 s after 5 chunks
 *   ]
 *
 * - `requestNumber`: 1-based, counted per emulator over every request to the runtime (each SDK retry
 *   is a request).
 * - `probability`: 0-1; the draw depends only on bedrock.mock.seed, the rule's index and the request
 *   number, so a run repeats exactly.
 * - `afterChunks` with `error`: the rule then applies to streaming operations whose event union has that
 *   exception, and only those: ConverseStream (ThrottlingException, ModelStreamErrorException,
 *   InternalServerException, ServiceUnavailableException, ValidationException) and
 *   InvokeModelWithResponseStream (the same and ModelTimeoutException). The stream sends N content
 *   chunks (ConverseStream: messageStart first, then N contentBlockDelta events), then the exception
 *   frame, and ends; with fewer chunks in the reply, after them all. ModelStreamErrorException exists
 *   only mid-stream, so it needs `afterChunks`.
 * - `message`: replaces the exception's default message. ModelErrorException also carries
 *   `originalStatusCode` (default 500) and `resourceName` (default: the request's model id);
 *   ModelStreamErrorException `originalStatusCode` (default 500) and `originalMessage` (default: the message).
 * - `drop: true` with `afterChunks`: streaming operations only. N content chunks, then the connection
 *   is cut without an exception frame (HTTP/2: the stream is reset; HTTP/1.1: the socket closes), so the
 *   client sees a transport error, not a Bedrock exception.
 * - `stall: { seconds, afterChunks? }`: every operation. A stream pauses `seconds` (emulated) after N
 *   content chunks (default 0: before the first) and then goes on, the rest of its timeline shifted; a
 *   non-streaming call answers `seconds` later.
 */
const ERROR_NAMES = Object.keys(INJECTABLE_ERRORS) as [InjectableErrorName, ...InjectableErrorName[]];
const REGEX_STRING = /^\/(.*)\/([a-z]*)$/s;

/** A `/pattern/flags` string as a RegExp; undefined for a plain model id. */
export function modelPattern(model: string): RegExp | undefined {
  const match = REGEX_STRING.exec(model);
  return match ? new RegExp(match[1]!, match[2]) : undefined;
}

/** A model id or a `/regex/flags`, checked to compile. */
export const modelSchema = z.string().min(1).superRefine((model, ctx) => {
  try {
    modelPattern(model);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a valid regex: ${(error as Error).message}` });
  }
});

/** A record keyed by model id or `/regex/flags`; a key that does not compile is reported at its path. */
export function modelRecord<T extends z.ZodType>(value: T) {
  return z.record(z.string().min(1), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      try {
        modelPattern(key);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: [key], message: `not a valid regex: ${(error as Error).message}` });
      }
    }
  });
}

/**
 * A lookup over a record keyed by model id or `/regex/`: the exact id wins, else the first matching
 * regex in the record's order. Regexes compile once.
 */
export function modelTable<T>(entries: Readonly<Record<string, T>>): (modelId: string) => T | undefined {
  const patterns = Object.entries(entries).flatMap(([key, value]) => {
    const pattern = modelPattern(key);
    return pattern ? [{ pattern, value }] : [];
  });
  return (modelId) => (Object.hasOwn(entries, modelId) ? entries[modelId] : patterns.find((p) => p.pattern.test(modelId))?.value);
}

const requestNumberSchema = z.number().int().min(1);
const chunkCount = z.number().int().min(0);

const faultRuleSchema = z
  .strictObject({
    error: z.enum(ERROR_NAMES).optional(),
    drop: z.literal(true).optional(),
    stall: z.strictObject({ seconds: z.number().positive(), afterChunks: chunkCount.optional() }).optional(),
    on: z
      .strictObject({
        requestNumber: z.union([requestNumberSchema, z.array(requestNumberSchema).min(1)]).optional(),
        model: modelSchema.optional(),
        probability: z.number().min(0).max(1).optional(),
      })
      .optional(),
    afterChunks: chunkCount.optional(),
    message: z.string().optional(),
    originalStatusCode: z.number().int().min(100).max(599).optional(),
    resourceName: z.string().min(1).optional(),
    originalMessage: z.string().optional(),
  })
  .superRefine((rule, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: path ? [path] : [], message });
    const kinds = [rule.error, rule.drop, rule.stall].filter((k) => k !== undefined).length;
    if (kinds !== 1) issue('', 'a fault rule needs exactly one of error, drop or stall');
    if (rule.error !== undefined) {
      if (rule.afterChunks !== undefined && !hasStreamForm(rule.error)) {
        issue('afterChunks', `${rule.error} has no in-stream form in ConverseStream or InvokeModelWithResponseStream; remove afterChunks or pick one of their stream exceptions`);
      }
      if (rule.afterChunks === undefined && rule.error === 'ModelStreamErrorException') {
        issue('afterChunks', 'ModelStreamErrorException only occurs mid-stream; set afterChunks');
      }
    }
    if (rule.drop && rule.afterChunks === undefined) issue('afterChunks', 'a drop rule needs afterChunks: the content chunks sent before the connection goes');
    if (rule.stall && rule.afterChunks !== undefined) issue('afterChunks', 'a stall rule takes its afterChunks inside stall: { seconds, afterChunks }');
    if (rule.error === undefined && rule.message !== undefined) issue('message', 'message applies to error rules only');
    if (rule.originalStatusCode !== undefined && rule.error !== 'ModelErrorException' && rule.error !== 'ModelStreamErrorException') {
      issue('originalStatusCode', 'originalStatusCode applies to ModelErrorException and ModelStreamErrorException only');
    }
    if (rule.resourceName !== undefined && rule.error !== 'ModelErrorException') issue('resourceName', 'resourceName applies to ModelErrorException only');
    if (rule.originalMessage !== undefined && rule.error !== 'ModelStreamErrorException') issue('originalMessage', 'originalMessage applies to ModelStreamErrorException only');
  });

export const faultRulesSchema = z.array(faultRuleSchema);

export type FaultRule = z.infer<typeof faultRuleSchema>;
