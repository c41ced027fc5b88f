import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bedrockOptionsSchema } from '../../../emulator/services/bedrock/options.ts';
import { loadScriptFiles } from '../../../emulator/services/bedrock/script-files.ts';

const FIXTURES = resolve(import.meta.dirname, '../../../fixtures');

describe('bedrock script files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'genai-offline-scripts-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('script files: JSON and TS files load relative to the base folder, in place, between inline rules', async () => {
    const options = bedrockOptionsSchema.parse({
      scripts: [{ name: 'first', reply: { text: 'x' } }, 'bedrock/scripts/weather.json', 'bedrock/scripts/support-agent.ts'],
    });
    const loaded = await loadScriptFiles(options, FIXTURES);
    expect(loaded.scripts.map((r) => (typeof r === 'string' ? r : r.name))).toEqual(['first', 'weather-tool-call', 'weather-answer', 'refund-sequence', 'careful-thinker']);
    const refund = loaded.scripts[3] as { match: { lastUserMessage: unknown } };
    expect(refund.match.lastUserMessage).toBeInstanceOf(RegExp);
  });

  it('script files: a single rule (not an array) is accepted', async () => {
    await writeFile(join(dir, 'one.json'), JSON.stringify({ reply: { text: 'only' } }));
    const loaded = await loadScriptFiles(bedrockOptionsSchema.parse({ scripts: ['one.json'] }), dir);
    expect(loaded.scripts).toHaveLength(1);
  });

  it('script files: every problem in every file is reported in one error, with file and path', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ reply: { text: 'ok' } }, { reply: { txt: 'typo' }, match: { turn: 0 } }]));
    await writeFile(join(dir, 'broken.json'), '{ not json');
    const error = await loadScriptFiles(bedrockOptionsSchema.parse({ scripts: ['bad.json', 'broken.json', 'missing.json', 'rules.yaml'] }), dir).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'ERR_CONFIG_VALIDATION' });
    const message = (error as Error).message;
    expect(message).toContain('5 problems');
    expect(message).toContain(`bedrock.scripts[0] ("${join(dir, 'bad.json')}")[1].reply`);
    expect(message).toContain('[1].match.turn');
    expect(message).toContain(`bedrock.scripts[1] ("${join(dir, 'broken.json')}")`);
    expect(message).toContain(`bedrock.scripts[2] ("${join(dir, 'missing.json')}")`);
    expect(message).toContain('ends in .json, .ts');
  });

  it('script files: options without paths come back unchanged', async () => {
    const options = bedrockOptionsSchema.parse({ scripts: [{ reply: { text: 'x' } }] });
    expect(await loadScriptFiles(options, dir)).toBe(options);
  });
});
