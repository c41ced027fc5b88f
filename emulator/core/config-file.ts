import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EmulatorError } from './errors.ts';
import { validateConfig, type EmulatorConfig } from './config.ts';

export const CONFIG_FILE_NAMES = ['genai-offline.config.ts', 'genai-offline.config.mjs', 'genai-offline.config.json'];

export interface LoadedConfig {
  config: EmulatorConfig;
  /** Absolute folder that handler paths are relative to. */
  baseDir: string;
  file: string;
}

/** Finds the config in `cwd` (first of CONFIG_FILE_NAMES) unless a file is given. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  return CONFIG_FILE_NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f));
}

export async function loadConfigFile(file: string): Promise<LoadedConfig> {
  if (!existsSync(file)) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to load config: "${file}" does not exist. Pass --config with a path to a genai-offline.config.{ts,mjs,json}.`);
  }
  let raw: unknown;
  try {
    if (file.endsWith('.json')) raw = JSON.parse(await readFile(file, 'utf8'));
    else raw = ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  } catch (cause) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to load config "${file}": ${(cause as Error).message}. Check the file's syntax.`, { cause });
  }
  return { config: validateConfig(raw, `config "${file}"`), baseDir: dirname(file), file };
}
