import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { checkConverseRequest, type ConverseRequest } from '../../../emulator/services/bedrock/converse-request.ts';
import { createModel } from '../../../emulator/services/bedrock/model.ts';
import { bedrockOptionsSchema, type BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import type { ScriptRuleInput } from '../../../emulator/services/bedrock/script-options.ts';
import { createScripts } from '../../../emulator/services/bedrock/scripts.ts';
import { MODEL_ID } from './helpers.ts';

function request(text: string, extra: Partial<ConverseRequest> = {}): ConverseRequest {
  return checkConverseRequest({ messages: [{ role: 'user', content: [{ text }] }], ...extra });
}

function scripts(rules: ScriptRuleInput[], seed = 0) {
  return createScripts(bedrockOptionsSchema.parse({ scripts: rules }).scripts.filter((r) => typeof r !== 'string'), seed);
}

const answer = (s: ReturnType<typeof scripts>, req: ConverseRequest, modelIds = [MODEL_ID]) => s.answer({ modelIds, request: req });

describe('bedrock scripts: matching', () => {
  it('scripts: lastUserMessage matches a substring, case-sensitively; the first matching rule answers', () => {
    const s = scripts([
      { match: { lastUserMessage: 'Weather' }, reply: { text: 'capital W' } },
      { match: { lastUserMessage: 'weather' }, reply: { text: 'small w' } },
    ]);
    expect(answer(s, request('what is the weather today?'))).toMatchObject({ content: [{ type: 'text', text: 'small w' }], stopReason: 'end_turn', source: 'script:1' });
    expect(answer(s, request('nothing here'))).toBeUndefined();
  });

  it('scripts: "/re/flags" strings and RegExp objects are regexes; model is the exact id or a regex', () => {
    const s = scripts([
      { name: 'exact', match: { model: 'amazon.nova-pro-v1:0' }, reply: { text: 'nova' } },
      { name: 're', match: { model: '/^anthropic\\./', lastUserMessage: '/^HELLO$/i' }, reply: { text: 'hi' } },
      { name: 'obj', match: { system: /terse/ }, reply: { text: 'ok' } },
    ]);
    expect(answer(s, request('x'), ['amazon.nova-pro-v1:0'])?.source).toBe('script:exact');
    expect(answer(s, request('x'), ['amazon.nova-pro'])).toBeUndefined();
    expect(answer(s, request('hello'))?.source).toBe('script:re');
    expect(answer(s, request('x', { system: [{ text: 'Be terse.' }] }))?.source).toBe('script:obj');
  });

  it('scripts: turn counts user messages, so a tool result is turn 2', () => {
    const s = scripts([{ match: { turn: [2, 3] }, reply: { text: 'later turn' } }]);
    expect(answer(s, request('first'))).toBeUndefined();
    const second = checkConverseRequest({
      messages: [
        { role: 'user', content: [{ text: 'first' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { ok: true } }] } }] },
      ],
    });
    expect(answer(s, second)?.content).toEqual([{ type: 'text', text: 'later turn' }]);
  });
});

describe('bedrock scripts: replies', () => {
  it('scripts: a tool use stops with tool_use and gets a stable tooluse_ id; blocks come reasoning, text, toolUse', () => {
    const rules: ScriptRuleInput[] = [{ reply: { text: 'Checking.', reasoning: { text: 'hmm' }, toolUse: { name: 'get_weather', input: { city: 'Paris' } } } }];
    const first = answer(scripts(rules), request('x'))!;
    expect(first.stopReason).toBe('tool_use');
    expect(first.content.map((b) => b.type)).toEqual(['reasoning', 'text', 'toolUse']);
    const tool = first.content[2] as { toolUseId: string; input: unknown };
    expect(tool.toolUseId).toMatch(/^tooluse_[A-Za-z0-9_-]{22}$/);
    expect(tool.input).toEqual({ city: 'Paris' });
    expect(answer(scripts(rules), request('x'))!.content).toEqual(first.content);
    expect((answer(scripts(rules, 7), request('x'))!.content[2] as { toolUseId: string }).toolUseId).not.toBe(tool.toolUseId);
  });

  it('scripts: replies answer in order, then repeat the last by default', () => {
    const s = scripts([{ replies: [{ text: 'one' }, { text: 'two' }] }]);
    expect([1, 2, 3].map(() => (answer(s, request('x'))!.content[0] as { text: string }).text)).toEqual(['one', 'two', 'two']);
  });

  it('scripts: then "cycle" starts over; then "fallthrough" lets later rules answer once spent', () => {
    const cycle = scripts([{ replies: [{ text: 'a' }, { text: 'b' }], then: 'cycle' }]);
    expect([1, 2, 3].map(() => (answer(cycle, request('x'))!.content[0] as { text: string }).text)).toEqual(['a', 'b', 'a']);
    const fall = scripts([{ replies: [{ text: 'once' }], then: 'fallthrough' }, { reply: { text: 'after' } }]);
    expect([1, 2].map(() => answer(fall, request('x'))!.source)).toEqual(['script:0', 'script:1']);
  });

  it('scripts: an explicit stopReason wins; the rule latency is passed on', () => {
    const s = scripts([{ reply: { text: 'x', toolUse: { name: 'f', input: {}, toolUseId: 'tooluse_mine' }, stopReason: 'end_turn' }, latency: { timeToFirstTokenMs: 5 } }]);
    expect(answer(s, request('x'))).toMatchObject({ stopReason: 'end_turn', latency: { timeToFirstTokenMs: 5 }, content: [{ type: 'text' }, { toolUseId: 'tooluse_mine' }] });
  });
});

describe('bedrock scripts: through the model', () => {
  const model = (input: BedrockOptionsInput) => createModel(bedrockOptionsSchema.parse(input), new ManualClock());

  it('scripts: a scripted reply gets usage by tokens.ts, maxTokens, and the script latency merged into the global one', () => {
    const m = model({ latency: { tokensPerSecond: 10 }, scripts: [{ name: 'hi', reply: { text: 'abcdefgh' }, latency: { timeToFirstTokenMs: 1 } }] });
    const reply = m.reply({ modelId: MODEL_ID, request: request('hello') });
    expect(reply).toMatchObject({ source: 'script:hi', usage: { inputTokens: 2, outputTokens: 2, totalTokens: 4 }, latency: { timeToFirstTokenMs: 1, tokensPerSecond: 10, tokensPerChunk: 3 } });
    expect(m.reply({ modelId: MODEL_ID, request: request('hello', { inferenceConfig: { maxTokens: 1 } }) })).toMatchObject({ stopReason: 'max_tokens', content: [{ text: 'abcd' }] });
  });

  it('scripts: without a match the seeded mock answers', () => {
    const reply = model({ scripts: [{ match: { lastUserMessage: 'never' }, reply: { text: 'x' } }] }).reply({ modelId: MODEL_ID, request: request('hello') });
    expect(reply.source).toBe('mock');
  });
});

describe('bedrock scripts: config', () => {
  it('scripts: every problem is reported with its path', () => {
    const result = bedrockOptionsSchema.safeParse({
      scripts: [
        { reply: { text: 'a' }, replies: [{ text: 'b' }] },
        { match: { lastUserMessage: '/(/' }, reply: { txt: 'typo' } },
        { reply: { text: 'x' }, latency: { timeToFirstTokenMs: -1 } },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['scripts.0.reply', 'scripts.1.match.lastUserMessage', 'scripts.1.reply', 'scripts.2.latency.timeToFirstTokenMs']));
  });

  it('scripts: a file path that was not loaded is refused when the model is made', () => {
    expect(() => createModel(bedrockOptionsSchema.parse({ scripts: ['x.json'] }), new ManualClock())).toThrow(/script file "x.json" was not loaded/);
  });
});
