import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EmulatorError } from '../core/errors.ts';
import { isScenario, type Scenario } from './define.ts';

/** The scenarios shipped with genai-offline, one folder per pattern. */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/**
 * Loads `<dir>/*\/scenario.ts`, in folder-name order. Each file default-exports an array of
 * `defineScenario` results; anything else, or a name used twice, is an error naming the file.
 */
export async function discoverScenarios(dir: string = SCENARIOS_DIR): Promise<Scenario[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (cause) {
    throw new EmulatorError('ERR_SCENARIO', `Failed to list scenarios in "${dir}": ${(cause as Error).message}. Pass a folder that holds <pattern>/scenario.ts files.`, { cause });
  }
  const all: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const folder of entries) {
    const file = join(dir, folder, 'scenario.ts');
    if (!existsSync(file)) continue;
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
    } catch (cause) {
      throw new EmulatorError('ERR_SCENARIO', `Failed to load "${file}": ${(cause as Error).message}. Fix the file so it imports cleanly.`, { cause });
    }
    if (!Array.isArray(exported) || !exported.every(isScenario)) {
      throw new EmulatorError('ERR_SCENARIO', `Failed to load "${file}": its default export is not an array of defineScenario(...) results. Export \`export default [defineScenario({...}), ...]\`.`);
    }
    for (const scenario of exported) {
      const other = seen.get(scenario.name);
      if (other) throw new EmulatorError('ERR_SCENARIO', `Failed to load "${file}": scenario name "${scenario.name}" is already used in "${other}". Give each scenario a unique name.`);
      seen.set(scenario.name, file);
      all.push(scenario);
    }
  }
  return all;
}

/**
 * Picks scenarios by name or by pattern, keeping discovery order; no selectors means all. An unknown
 * selector is an error that lists what exists.
 */
export function selectScenarios(all: readonly Scenario[], selectors: readonly string[]): Scenario[] {
  if (selectors.length === 0) return [...all];
  const unknown = selectors.filter((s) => !all.some((sc) => sc.name === s || sc.pattern === s));
  if (unknown.length > 0) {
    const patterns = [...new Set(all.map((s) => s.pattern))];
    throw new EmulatorError(
      'ERR_SCENARIO',
      `Failed to select scenarios: no scenario or pattern named ${unknown.map((u) => `"${u}"`).join(', ')}. Available scenarios: ${all.map((s) => s.name).join(', ') || '(none)'}; patterns: ${patterns.join(', ') || '(none)'}.`,
    );
  }
  const wanted = new Set(selectors);
  return all.filter((s) => wanted.has(s.name) || wanted.has(s.pattern));
}
