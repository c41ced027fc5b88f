import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';
import type { Log } from '../../core/log.ts';
import { describeCause } from './invocation.ts';

/**
 * What an execution environment's worker thread runs. Through tsx, a worker spent ~200 ms of its
 * ~300 ms start (measured) loading tsx and compiling the runtime's TypeScript, and ~10 MB more memory.
 * So the runtime (worker/main.ts and what it imports) runs as one plain ES module, bundled by esbuild
 * on first use and kept in a cache file named by a hash of its sources: the sources stay the only
 * truth, and an edit to them yields a new file. tsx then loads only for TypeScript handlers. What is
 * left of a start (~120 ms measured) is Node's: the worker, and the loader-hooks thread that the SDK
 * fallback's resolve hook needs (~55 ms of it).
 */

/** Lambda's /var/runtime: where the runtime's own code lives (its sources, wherever the bundle is). */
export const RUNTIME_DIR = fileURLToPath(new URL('./worker', import.meta.url));

/** The entry that runs the runtime's sources through tsx: the fallback when bundling fails. */
export const TSX_ENTRY = new URL('./worker/entry.mjs', import.meta.url);

/** Inside the emulator's own node_modules, the conventional home of tools' caches (and git-ignored). */
export const BUNDLE_CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/genai-offline', import.meta.url));

/**
 * The bundle must not depend on the project's tsconfig, which the hash does not cover: these are the
 * settings of this repository's tsconfig that change emitted code.
 */
const BUILD_OPTIONS = {
  entryPoints: ['main.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: true } },
  banner: { js: "// genai-offline's Lambda worker runtime, bundled by esbuild from emulator/services/lambda-runtime/worker/. Generated: edits are lost." },
} satisfies BuildOptions;

const esbuildVersion = (): string => (createRequire(import.meta.url)('esbuild/package.json') as { version: string }).version;

/** The cache file for the current sources: their hash, the options and esbuild's version name it. */
export function workerBundlePath(cacheDir: string): string {
  const hash = createHash('sha256').update(esbuildVersion()).update(JSON.stringify(BUILD_OPTIONS));
  const files = readdirSync(RUNTIME_DIR, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  for (const name of files) hash.update(`\0${name}\0`).update(readFileSync(path.join(RUNTIME_DIR, name)));
  return path.join(cacheDir, `lambda-worker-${hash.digest('hex').slice(0, 16)}.mjs`);
}

/**
 * Builds the bundle into its cache file. Written to a temporary file and renamed into place, so
 * emulators starting at once never read half a file (the last rename wins; both wrote the same bytes).
 */
async function buildWorkerBundle(file: string): Promise<URL> {
  // Loaded only here: a cache hit never loads esbuild.
  const { build } = await import('esbuild');
  const result = await build({ ...BUILD_OPTIONS, absWorkingDir: RUNTIME_DIR, write: false, metafile: true, logLevel: 'silent' });
  // The hash covers the files of this one folder; type-only imports leave no input, so any other input is code it misses.
  const outside = Object.keys(result.metafile.inputs).filter((input) => input.includes('/') || input.includes(path.sep));
  if (outside.length > 0) throw new Error(`the worker runtime imports ${outside.join(', ')}, outside its folder, which the cache key does not cover`);
  const contents = result.outputFiles[0]!.contents;
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return pathToFileURL(file);
}

/** One entry per cache folder per process: every runtime shares it, and a failure warns once. */
const entries = new Map<string, URL | Promise<URL>>();

/**
 * The entry for new execution environments: the bundle, synchronously when this process or an earlier
 * one built it, else a promise while it is built. If bundling fails, the runtime's sources run through
 * tsx as before.
 */
export function workerEntry(log: Log, cacheDir: string = BUNDLE_CACHE_DIR): URL | Promise<URL> {
  const known = entries.get(cacheDir);
  if (known) return known;
  let entry: URL | Promise<URL>;
  try {
    const file = workerBundlePath(cacheDir);
    entry = existsSync(file) ? pathToFileURL(file) : buildWorkerBundle(file).catch((error: unknown) => fallBack(log, cacheDir, error));
  } catch (error) {
    entry = fallBack(log, cacheDir, error);
  }
  entries.set(cacheDir, entry);
  if (entry instanceof Promise) void entry.then((url) => entries.set(cacheDir, url));
  return entry;
}

function fallBack(log: Log, cacheDir: string, error: unknown): URL {
  log.warn(
    `Failed to bundle the Lambda worker runtime into ${cacheDir}: ${describeCause(error)}. Execution environments start through tsx instead (~200 ms slower each); make that folder writable, or reinstall the emulator's dependencies if esbuild is missing.`,
  );
  return TSX_ENTRY;
}
