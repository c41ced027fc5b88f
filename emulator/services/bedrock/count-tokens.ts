import { checkConverseRequest, parseJsonBody, promptText, type ConverseRequest } from './converse-request.ts';
import { ValidationException } from './errors.ts';
import { asObject, isObject } from './families/body-schema.ts';
import { resolveFamily } from './families/resolve.ts';
import type { OperationHandler } from './operation.ts';
import { countTokens } from './tokens.ts';

/**
 * CountTokens (reference 4.1): `{input: {invokeModel: {body}} | {converse: {...}}}` → `{inputTokens}`.
 * The input is parsed exactly as InvokeModel or Converse would parse it and counted by the rule usage
 * is counted by (tokens.ts), so the answer equals the `inputTokens` those calls report for the same
 * input (before prompt caching splits it). The invokeModel body is a blob: base64 in the JSON.
 * Answers at once: counting is not generation.
 */
export const countTokensOperation: OperationHandler = async (ctx) => {
  const input = asObject(parseJsonBody(ctx.request.body)).input;
  const request = parseInput(input, ctx.modelId);
  const inputTokens = countTokens(promptText(request));
  ctx.trace.record('bedrock.response', { requestId: ctx.requestId, operation: ctx.operation, modelId: ctx.modelId, status: 200, inputTokens });
  return { status: 200, headers: [['content-type', 'application/json']], body: JSON.stringify({ inputTokens }) };
};

function parseInput(input: unknown, modelId: string): ConverseRequest {
  // A union: exactly one member. Ours: the malformed-input wording, as for any body Bedrock cannot read.
  if (!isObject(input) || Object.keys(input).length !== 1) throw new ValidationException();
  if (isObject(input.invokeModel) && typeof input.invokeModel.body === 'string') {
    const { family, model } = resolveFamily(modelId);
    return family.parse(parseJsonBody(Buffer.from(input.invokeModel.body, 'base64')), model);
  }
  if (isObject(input.converse)) return checkConverseRequest(input.converse);
  throw new ValidationException();
}
