import { z } from 'zod';
import { parseJsonBody } from './converse-request.ts';
import { MALFORMED_INPUT, ValidationException } from './errors.ts';
import type { OperationHandler } from './operation.ts';
import { delay } from './pacing.ts';

/**
 * ApplyGuardrail (`POST /guardrail/{id}/version/{version}/apply`, reference 5.1): checks content
 * against a configured guardrail without a model. Answers after the guardrail's `latencyMs` (0 by
 * default) on the emulated clock. Image blocks are accepted and not assessed (no content filters).
 */
const requestSchema = z.looseObject({
  source: z.enum(['INPUT', 'OUTPUT']),
  content: z.array(z.looseObject({ text: z.looseObject({ text: z.string(), qualifiers: z.array(z.string()).optional() }).optional() })),
  outputScope: z.enum(['INTERVENTIONS', 'FULL']).optional(),
});

export const applyGuardrailOperation: OperationHandler = async (ctx) => {
  const parsed = requestSchema.safeParse(parseJsonBody(ctx.request.body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationException(`${MALFORMED_INPUT} ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const { identifier, version } = ctx.guardrail!;
  const texts = parsed.data.content.flatMap((block) => (block.text ? [block.text.text] : []));
  const result = ctx.model.applyGuardrail({ identifier, version, source: parsed.data.source, texts });
  // At once by default: a zero-delay timer would still wait for a manual clock to move.
  if (result.latencyMs > 0) await delay(ctx.clock, result.latencyMs);
  const { usage, guardrailCoverage } = result.assessment.invocationMetrics;
  const body = {
    usage,
    action: result.intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
    outputs: result.output === undefined ? [] : [{ text: result.output }],
    assessments: [result.assessment],
    guardrailCoverage,
  };
  ctx.trace.record('bedrock.response', { requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, status: 200 });
  return { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify(body) };
};
