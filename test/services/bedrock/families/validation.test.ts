import { describe, expect, it } from 'vitest';
import { ValidationException } from '../../../../emulator/services/bedrock/errors.ts';
import { resolveFamily } from '../../../../emulator/services/bedrock/families/resolve.ts';

const parse = (modelId: string, body: unknown) => {
  const { family, model } = resolveFamily(modelId);
  return family.parse(body, model);
};

function message(modelId: string, body: unknown): string {
  try {
    parse(modelId, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationException);
    return (error as ValidationException).message;
  }
  throw new Error('expected a ValidationException');
}

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0';
const msg = (violations: string) => `Malformed input request: ${violations}, please reformat your input and try again.`;
const NOT_COMPLETIONS = '#: subject must not be valid against schema {"required":["messages"]}';

describe('InvokeModel body validation, in Bedrock\'s words', () => {
  it('bedrock invoke: Claude Messages without max_tokens and anthropic_version, with foreign keys, lists every violation', () => {
    expect(message(CLAUDE, { messages: [{ role: 'user', content: 'hi' }], toolConfig: {}, inferenceConfig: {} })).toBe(
      msg(`${NOT_COMPLETIONS}#: required key [max_tokens] not found#: required key [anthropic_version] not found#: extraneous key [toolConfig] is not permitted#: extraneous key [inferenceConfig] is not permitted`),
    );
  });

  it('bedrock invoke: Claude Messages with an extraneous key or a wrong type', () => {
    const base = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    expect(message(CLAUDE, { ...base, foo: 1 })).toBe(msg(`${NOT_COMPLETIONS}#: extraneous key [foo] is not permitted`));
    expect(message(CLAUDE, { ...base, max_tokens: '10' })).toBe(msg(`${NOT_COMPLETIONS}#/max_tokens: expected type: Integer, found: String`));
  });

  it('bedrock invoke: Claude Messages with another anthropic_version, a text-completions body, a bad block', () => {
    expect(message(CLAUDE, { anthropic_version: 'claude-3', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).toBe('Invalid API version: claude-3');
    expect(message(CLAUDE, { prompt: '\n\nHuman: hi\n\nAssistant:', max_tokens_to_sample: 10 })).toBe('"claude-3-haiku-20240307" is not supported on this API. Please use the Messages API instead.');
    expect(message(CLAUDE, { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).toBe('messages.0.content.0.type: Field required');
  });

  it('bedrock invoke: Claude text completions need the Human/Assistant turns and max_tokens_to_sample', () => {
    expect(message('anthropic.claude-v2', { prompt: 'Hello' , max_tokens_to_sample: 10 })).toBe('prompt must start with "\n\nHuman:" turn after an optional system prompt');
    expect(message('anthropic.claude-v2', { prompt: '\n\nHuman: Hello', max_tokens_to_sample: 10 })).toBe('prompt must end with "\n\nAssistant:" turn');
    expect(message('anthropic.claude-v2:1', { prompt: '\n\nHuman: Hello\n\nAssistant:' })).toBe(msg('#: required key [max_tokens_to_sample] not found'));
  });

  it('bedrock invoke: Nova, Titan and Llama report missing and extraneous keys the same way', () => {
    expect(message('amazon.nova-lite-v1:0', { prompt: 'hi' })).toBe(msg('#: required key [messages] not found#: extraneous key [prompt] is not permitted'));
    expect(message('amazon.nova-lite-v1:0', { messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { max_tokens: 5 } })).toBe(msg('#/inferenceConfig: extraneous key [max_tokens] is not permitted'));
    expect(message('amazon.titan-text-express-v1', { prompt: 'hi' })).toBe(msg('#: required key [inputText] not found#: extraneous key [prompt] is not permitted'));
    expect(message('meta.llama3-8b-instruct-v1:0', { prompt: 'hi', repetition_penalty: 0 })).toBe(msg('#: extraneous key [repetition_penalty] is not permitted'));
  });

  it('bedrock invoke: Titan accepts only "|" runs and "User:" as stop sequences', () => {
    expect(message('amazon.titan-text-express-v1', { inputText: 'hi', textGenerationConfig: { stopSequences: ['Human:'] } })).toBe(
      msg('#/textGenerationConfig/stopSequences/0: string [Human:] does not match pattern ^(\\|+|User:)$'),
    );
    expect(() => parse('amazon.titan-text-express-v1', { inputText: 'hi', textGenerationConfig: { stopSequences: ['User:', '|||'] } })).not.toThrow();
  });
});

describe('InvokeModel bodies parse into the Converse shape', () => {
  it('bedrock invoke: Claude Messages maps system, blocks, tools, cache_control and inference settings', () => {
    const request = parse(CLAUDE, {
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 50,
      temperature: 0.2,
      stop_sequences: ['END'],
      system: [{ type: 'text', text: 'Be terse.', cache_control: { type: 'ephemeral' } }],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
      ],
    });
    expect(request).toEqual({
      messages: [
        { role: 'user', content: [{ text: 'Weather in Paris?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'toolu_1', content: [{ text: 'Sunny' }], status: 'success' } }] },
      ],
      system: [{ text: 'Be terse.' }, { cachePoint: { type: 'default' } }],
      inferenceConfig: { maxTokens: 50, temperature: 0.2, stopSequences: ['END'] },
      toolConfig: { tools: [{ toolSpec: { name: 'get_weather', description: 'Weather', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } },
    });
  });

  it('bedrock invoke: a Claude v2 prompt becomes a system prompt and alternating turns', () => {
    const request = parse('anthropic.claude-v2', { prompt: 'You are terse.\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Bye\n\nAssistant:', max_tokens_to_sample: 30 });
    expect(request).toEqual({
      system: [{ text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello' }] },
        { role: 'user', content: [{ text: 'Bye' }] },
      ],
      inferenceConfig: { maxTokens: 30 },
    });
  });
});
