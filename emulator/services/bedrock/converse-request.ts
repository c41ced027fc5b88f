import { z } from 'zod';
import { FIRST_MESSAGE_NOT_USER, MALFORMED_INPUT, ValidationException } from './errors.ts';

/**
 * The Converse / ConverseStream request body (reference 4.3), checked as far as the mock needs: other
 * members (toolConfig, guardrailConfig, ...) pass through untouched for later slices to read.
 */
const contentBlockSchema = z.looseObject({ text: z.string().optional() });

const converseRequestSchema = z.looseObject({
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.array(contentBlockSchema) })),
  system: z.array(z.looseObject({ text: z.string().optional() })).optional(),
  inferenceConfig: z.looseObject({ maxTokens: z.number().int().min(1).optional() }).optional(),
});

export type ConverseRequest = z.infer<typeof converseRequestSchema>;

export function parseConverseRequest(body: Buffer): ConverseRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationException(MALFORMED_INPUT);
  }
  const parsed = converseRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationException(`${MALFORMED_INPUT} ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  if (parsed.data.messages.length === 0 || parsed.data.messages[0]!.role !== 'user') throw new ValidationException(FIRST_MESSAGE_NOT_USER);
  return parsed.data;
}

/** The text the mock reply and the input token count come from: system prompts, then every message's text. */
export function promptText(request: ConverseRequest): string {
  const parts: string[] = [];
  for (const block of request.system ?? []) if (block.text) parts.push(block.text);
  for (const message of request.messages) for (const block of message.content) if (block.text) parts.push(block.text);
  return parts.join('\n');
}
