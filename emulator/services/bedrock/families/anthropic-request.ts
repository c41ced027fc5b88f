import { checkConverseRequest, type ContentBlock, type ConverseRequest, type SystemBlock } from '../converse-request.ts';
import { ValidationException } from '../errors.ts';
import { asObject, assertValid, isObject, objectViolations, type Body, type ObjectSpec } from './body-schema.ts';
import { definedOnly, type ModelRef } from './family.ts';

/**
 * The Claude Messages body on Bedrock (`anthropic_version: "bedrock-2023-05-31"`) parsed into the
 * Converse shape. Top-level problems get Bedrock's schema wording (body-schema.ts); problems inside
 * messages get Anthropic's own, which Bedrock passes through (`system.0.type: Field required`) [O].
 */
export const ANTHROPIC_VERSION = 'bedrock-2023-05-31';

const SPEC: ObjectSpec = {
  required: ['max_tokens', 'anthropic_version', 'messages'],
  properties: {
    anthropic_version: 'string',
    anthropic_beta: 'array',
    max_tokens: 'integer',
    messages: 'array',
    system: ['string', 'array'],
    stop_sequences: 'array',
    temperature: 'number',
    top_p: 'number',
    top_k: 'integer',
    tools: 'array',
    tool_choice: 'object',
    thinking: 'object',
  },
};

// Claude 3+ accept one of two schemas (text completions or Messages); a body with `messages` fails
// the first with this line before the real violations [O] (fumito-ito/AnthropicSwiftSDK#19).
const NOT_COMPLETIONS = '#: subject must not be valid against schema {"required":["messages"]}';

/** `anthropic.claude-3-haiku-20240307-v1:0` → `claude-3-haiku-20240307`, as the response's `model`. */
export function claudeModelName(model: ModelRef): string {
  return model.baseModelId.replace(/^anthropic\./, '').replace(/-v\d+(:\d+)?$/, '');
}

export function parseAnthropicMessages(raw: unknown, model: ModelRef): ConverseRequest {
  const body = asObject(raw);
  if (!('messages' in body) && 'prompt' in body) {
    // A text-completions body sent to a Messages-only Claude [O] (maximhq/bifrost#1534).
    throw new ValidationException(`"${claudeModelName(model)}" is not supported on this API. Please use the Messages API instead.`);
  }
  const violations = objectViolations(body, SPEC);
  if (violations.length > 0 && 'messages' in body) violations.unshift(NOT_COMPLETIONS);
  assertValid(violations);
  if (body.anthropic_version !== ANTHROPIC_VERSION) throw new ValidationException(`Invalid API version: ${String(body.anthropic_version)}`);
  const messages = (body.messages as unknown[]).map((message, i) => {
    const path = `messages.${i}`;
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) throw new ValidationException(`${path}.role: Input should be 'user' or 'assistant'`);
    return { role: message.role, content: contentBlocks(message.content, `${path}.content`) };
  });
  const tools = body.tools as unknown[] | undefined;
  const toolChoice = toolChoiceOf(body.tool_choice);
  const request = {
    messages,
    ...(body.system !== undefined ? { system: systemBlocks(body.system) } : {}),
    inferenceConfig: definedOnly({
      maxTokens: body.max_tokens as number,
      temperature: body.temperature as number | undefined,
      topP: body.top_p as number | undefined,
      stopSequences: body.stop_sequences as string[] | undefined,
    }),
    ...(tools && tools.length > 0 ? { toolConfig: { tools: tools.flatMap(toolOf), ...(toolChoice ? { toolChoice } : {}) } } : {}),
    // Read by the model (extended thinking) the way Converse passes them.
    ...(body.thinking || body.top_k !== undefined ? { additionalModelRequestFields: definedOnly({ thinking: body.thinking, top_k: body.top_k }) } : {}),
  };
  return checkConverseRequest(request);
}

function contentBlocks(content: unknown, path: string): ContentBlock[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw new ValidationException(`${path}: Input should be a valid list`);
  return content.flatMap((block, j) => contentBlock(block, `${path}.${j}`));
}

function contentBlock(block: unknown, path: string): ContentBlock[] {
  if (!isObject(block) || typeof block.type !== 'string') throw new ValidationException(`${path}.type: Field required`);
  const converted = convertBlock(block, path);
  // cache_control marks the end of a cacheable prefix, which is what Converse's cachePoint block says.
  return isObject(block.cache_control) ? [converted, cachePoint(block.cache_control)] : [converted];
}

function convertBlock(block: Body, path: string): ContentBlock {
  switch (block.type) {
    case 'text':
      return { text: stringField(block, 'text', path) };
    case 'image':
      return { image: imageOf(block, path) };
    case 'document':
      return { document: { format: 'pdf', name: 'document', source: { bytes: isObject(block.source) ? block.source.data : undefined } } };
    case 'tool_use':
      return { toolUse: { toolUseId: stringField(block, 'id', path), name: stringField(block, 'name', path), input: block.input ?? {} } };
    case 'tool_result':
      return { toolResult: { toolUseId: stringField(block, 'tool_use_id', path), content: toolResultContent(block.content, `${path}.content`), status: block.is_error === true ? 'error' : 'success' } };
    case 'thinking':
      return { reasoningContent: { reasoningText: { text: stringField(block, 'thinking', path), signature: block.signature } } };
    case 'redacted_thinking':
      return { reasoningContent: { redactedContent: block.data } };
    default:
      throw new ValidationException(`${path}.type: Input tag '${String(block.type)}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'`);
  }
}

function toolResultContent(content: unknown, path: string): Array<{ text?: string; json?: unknown }> {
  if (content === undefined) return [];
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw new ValidationException(`${path}: Input should be a valid list`);
  return content.map((block, j) => (isObject(block) && block.type === 'image' ? { image: imageOf(block, `${path}.${j}`) } : { text: stringField(asObject(block), 'text', `${path}.${j}`) }));
}

function imageOf(block: Body, path: string): object {
  const source = isObject(block.source) ? block.source : undefined;
  if (!source) throw new ValidationException(`${path}.source: Field required`);
  const mediaType = typeof source.media_type === 'string' ? source.media_type : 'image/png';
  return { format: mediaType.replace(/^image\//, ''), source: { bytes: source.data } };
}

function systemBlocks(system: unknown): SystemBlock[] {
  if (typeof system === 'string') return [{ text: system }];
  return (system as unknown[]).flatMap((block, i) => {
    if (!isObject(block) || block.type !== 'text') throw new ValidationException(`system.${i}.type: Field required`);
    const text: SystemBlock = { text: stringField(block, 'text', `system.${i}`) };
    return isObject(block.cache_control) ? [text, cachePoint(block.cache_control)] : [text];
  });
}

function toolOf(tool: unknown, i: number): NonNullable<ConverseRequest['toolConfig']>['tools'] {
  if (!isObject(tool)) throw new ValidationException(`tools.${i}: Input should be a valid dictionary`);
  const spec = {
    toolSpec: {
      name: stringField(tool, 'name', `tools.${i}`),
      ...(typeof tool.description === 'string' ? { description: tool.description } : {}),
      // Anthropic-defined tools (computer use, bash, text editor) have a type and no input_schema.
      inputSchema: { json: tool.input_schema ?? { type: 'object' } },
    },
  };
  return isObject(tool.cache_control) ? [spec, cachePoint(tool.cache_control)] : [spec];
}

function toolChoiceOf(choice: unknown): Record<string, unknown> | undefined {
  if (!isObject(choice)) return undefined;
  if (choice.type === 'auto') return { auto: {} };
  if (choice.type === 'any') return { any: {} };
  if (choice.type === 'tool') return { tool: { name: choice.name } };
  return undefined;
}

function cachePoint(control: Body): { cachePoint: { type: 'default'; ttl?: string } } {
  return { cachePoint: { type: 'default', ...(typeof control.ttl === 'string' ? { ttl: control.ttl } : {}) } };
}

function stringField(block: Body, key: string, path: string): string {
  const value = block[key];
  if (typeof value !== 'string') throw new ValidationException(`${path}.${key}: Field required`);
  return value;
}
