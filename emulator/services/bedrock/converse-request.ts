import { z } from 'zod';
import { FIRST_MESSAGE_NOT_USER, MALFORMED_INPUT, ValidationException } from './errors.ts';

/**
 * The Converse / ConverseStream request body (reference 4.3), and the one shape every operation's
 * request is normalised to: InvokeModel families and CountTokens parse their bodies into it, so
 * scripts, guardrails, caching and token counts read one shape. Checked as far as the mock reads it;
 * other members pass through untouched.
 */
const cachePointSchema = z.looseObject({ type: z.literal('default'), ttl: z.string().optional() });

const contentBlockSchema = z.looseObject({
  text: z.string().optional(),
  cachePoint: cachePointSchema.optional(),
  toolUse: z.looseObject({ toolUseId: z.string(), name: z.string(), input: z.unknown() }).optional(),
  toolResult: z.looseObject({ toolUseId: z.string(), content: z.array(z.looseObject({ text: z.string().optional(), json: z.unknown().optional() })) }).optional(),
  reasoningContent: z.looseObject({}).optional(),
  guardContent: z.looseObject({ text: z.looseObject({ text: z.string() }).optional() }).optional(),
});

const systemBlockSchema = z.looseObject({
  text: z.string().optional(),
  cachePoint: cachePointSchema.optional(),
  guardContent: z.looseObject({ text: z.looseObject({ text: z.string() }).optional() }).optional(),
});

const toolSchema = z.looseObject({
  toolSpec: z.looseObject({ name: z.string(), description: z.string().optional(), inputSchema: z.looseObject({ json: z.unknown() }) }).optional(),
  cachePoint: cachePointSchema.optional(),
});

const converseRequestSchema = z.looseObject({
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.array(contentBlockSchema) })),
  system: z.array(systemBlockSchema).optional(),
  inferenceConfig: z
    .looseObject({
      maxTokens: z.number().int().min(1).optional(),
      temperature: z.number().optional(),
      topP: z.number().optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
  toolConfig: z.looseObject({ tools: z.array(toolSchema), toolChoice: z.looseObject({}).optional() }).optional(),
  guardrailConfig: z
    .looseObject({ guardrailIdentifier: z.string(), guardrailVersion: z.string(), trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional() })
    .optional(),
});

export type ConverseRequest = z.infer<typeof converseRequestSchema>;
export type ContentBlock = z.infer<typeof contentBlockSchema>;
export type SystemBlock = z.infer<typeof systemBlockSchema>;

/** Parses JSON, or throws Bedrock's malformed-input ValidationException. */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ValidationException(MALFORMED_INPUT);
  }
}

export function parseConverseRequest(body: Buffer): ConverseRequest {
  return checkConverseRequest(parseJsonBody(body));
}

/** Validates an already-parsed Converse-shaped object (CountTokens nests one under `input.converse`). */
export function checkConverseRequest(raw: unknown): ConverseRequest {
  const parsed = converseRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationException(`${MALFORMED_INPUT} ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  if (parsed.data.messages.length === 0 || parsed.data.messages[0]!.role !== 'user') throw new ValidationException(FIRST_MESSAGE_NOT_USER);
  return parsed.data;
}

/**
 * The text the mock reply and the input token count come from: system prompts, tool specs, then every
 * message's text, tool inputs and tool results, in order.
 */
export function promptText(request: ConverseRequest): string {
  const parts: string[] = [];
  for (const block of request.system ?? []) if (block.text) parts.push(block.text);
  for (const tool of request.toolConfig?.tools ?? []) if (tool.toolSpec) parts.push(JSON.stringify(tool.toolSpec));
  for (const message of request.messages) for (const block of message.content) parts.push(...blockTexts(block));
  return parts.join('\n');
}

export function blockTexts(block: ContentBlock): string[] {
  if (block.text !== undefined) return [block.text];
  if (block.toolUse) return [JSON.stringify(block.toolUse.input)];
  if (block.toolResult) return block.toolResult.content.map((c) => c.text ?? JSON.stringify(c.json));
  if (block.guardContent?.text) return [block.guardContent.text.text];
  return [];
}

/** The text of the last user message: what scripts and guardrails match on. */
export function lastUserText(request: ConverseRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user');
  return last ? last.content.flatMap(blockTexts).join('\n') : '';
}

/** The system prompt as one string (blocks joined by newlines). */
export function systemText(request: ConverseRequest): string {
  return (request.system ?? []).flatMap((b) => (b.text !== undefined ? [b.text] : b.guardContent?.text ? [b.guardContent.text.text] : [])).join('\n');
}
