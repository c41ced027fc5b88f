import { z } from 'zod';
import { modelRecord } from './fault-options.ts';

/**
 * `bedrock.quotas`: Bedrock's on-demand quotas per model (reference 5.5), enforced on the emulated
 * clock. None by default. Every model id has its own counters, shared by all operations (Converse,
 * ConverseStream, InvokeModel, InvokeModelWithResponseStream) as Bedrock shares them.
 *
 *   quotas: {
 *     requestsPerMinute: 50,                        // each model: 50 requests in any 60 s
 *     tokensPerMinute: 20_000,                      // each model: input + output tokens in any 60 s
 *     perModel: {
 *       'anthropic.claude-3-haiku-20240307-v1:0': { tokensPerMinute: 200_000 },
 *       '/^amazon\\.nova-/': { requestsPerMinute: 100, defaultMaxTokens: 5000 },
 *     },
 *   }
 *
 * - The window slides: a request counts from its start for 60 emulated seconds. A request over either
 *   quota fails at once with ThrottlingException (429), which the SDK retries (3 attempts in all), and
 *   counts toward nothing.
 * - Tokens are reserved at the start: the input tokens plus `maxTokens`, or `defaultMaxTokens` when the
 *   request sets none (Bedrock reserves the model's maximum output then; default 4096, Claude 3 Haiku's
 *   maximum). When the reply would have finished, the reservation becomes the input plus the actual
 *   output tokens (`settle: false` keeps the reservation). A request reserving more than the whole
 *   quota can never pass.
 * - `perModel`: keyed by model id or `/regex/` (an exact id wins, else the first matching regex); its
 *   fields replace the global ones for the models it matches.
 */
const limitsFields = {
  requestsPerMinute: z.number().int().min(1).optional(),
  tokensPerMinute: z.number().int().min(1).optional(),
  defaultMaxTokens: z.number().int().min(1).optional(),
};

export const modelQuotaSchema = z.strictObject(limitsFields);

export const quotasSchema = z.strictObject({
  ...limitsFields,
  settle: z.boolean().optional(),
  perModel: modelRecord(modelQuotaSchema).optional(),
});

export type QuotaOptions = z.infer<typeof quotasSchema>;
export type ModelQuota = z.infer<typeof modelQuotaSchema>;
