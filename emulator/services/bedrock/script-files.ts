import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EmulatorError } from '../../core/errors.ts';
import type { BedrockOptions } from './options.ts';
import { scriptRuleSchema, type ScriptRule } from './script-options.ts';

/**
 * Loads the script files `bedrock.scripts` names, relative to `baseDir` (the config file's folder, as
 * for a function's codeUri), and puts their rules in the file's place. `.json` holds a rule or an
 * array of rules; `.ts`, `.mts`, `.mjs` and `.js` default-export one (tsx runs TS as is). Every file is
 * validated like inline rules, and every problem is reported with its file and path in one error.
 */
const fileRulesSchema = z.array(scriptRuleSchema);

export async function loadScriptFiles(options: BedrockOptions, baseDir: string): Promise<BedrockOptions> {
  if (!options.scripts.some((entry) => typeof entry === 'string')) return options;
  const problems: string[] = [];
  const scripts: ScriptRule[] = [];
  for (const [index, entry] of options.scripts.entries()) {
    if (typeof entry !== 'string') {
      scripts.push(entry);
      continue;
    }
    const file = resolve(baseDir, entry);
    const where = `bedrock.scripts[${index}] ("${file}")`;
    let raw: unknown;
    try {
      raw = await readRules(file);
    } catch (error) {
      problems.push(`  - ${where}: ${(error as Error).message}`);
      continue;
    }
    const parsed = fileRulesSchema.safeParse(Array.isArray(raw) ? raw : [raw]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`  - ${where}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
      continue;
    }
    scripts.push(...parsed.data);
  }
  if (problems.length > 0) {
    throw new EmulatorError(
      'ERR_CONFIG_VALIDATION',
      `Failed to load Bedrock script files: ${problems.length} problem${problems.length === 1 ? '' : 's'}.\n${problems.join('\n')}\nFix the files above; paths are relative to the config file.`,
    );
  }
  return { ...options, scripts };
}

async function readRules(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return JSON.parse(await readFile(file, 'utf8'));
  if (!/\.(ts|mts|mjs|js)$/.test(file)) throw new Error('a script file ends in .json, .ts, .mts, .mjs or .js');
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (module.default === undefined) throw new Error('the module has no default export (export default [ ...rules ])');
  return module.default;
}
