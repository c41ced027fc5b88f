import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { memoryLog } from '../../../emulator/core/log.ts';
import { TSX_ENTRY, workerBundlePath, workerEntry } from '../../../emulator/services/lambda-runtime/worker-bundle.ts';

const MODULE = '../../../emulator/services/lambda-runtime/worker-bundle.ts';

describe('lambda: the worker runtime bundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'genai-offline-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lambda: the runtime is bundled once into a cache file named by its sources, which the next emulator reuses without rebuilding', async () => {
    const cacheDir = path.join(dir, 'cache');
    expect(existsSync(workerBundlePath(cacheDir))).toBe(false);
    const log = memoryLog();
    const pending = workerEntry(log, cacheDir);
    expect(pending).toBeInstanceOf(Promise);
    const bundle = fileURLToPath(await pending);
    expect(bundle).toBe(workerBundlePath(cacheDir));
    expect(path.basename(bundle)).toMatch(/^lambda-worker-[0-9a-f]{16}\.mjs$/);
    // Written to a temporary file and renamed: nothing else is left behind.
    expect(readdirSync(cacheDir)).toEqual([path.basename(bundle)]);
    expect(log.lines).toEqual([]);
    const written = statSync(bundle);

    // A fresh copy of the module stands for another runtime in a new process: it finds the file at
    // once (no promise, so no build) and leaves it untouched.
    vi.resetModules();
    const fresh = (await import(MODULE)) as typeof import('../../../emulator/services/lambda-runtime/worker-bundle.ts');
    const reused = fresh.workerEntry(memoryLog(), cacheDir);
    expect(reused).toBeInstanceOf(URL);
    expect(fileURLToPath(reused as URL)).toBe(bundle);
    const after = statSync(bundle);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('lambda: when the bundle cannot be written, environments start through tsx and the emulator warns once', async () => {
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, '');
    const cacheDir = path.join(notAFolder, 'cache');
    const log = memoryLog();
    expect(await workerEntry(log, cacheDir)).toBe(TSX_ENTRY);
    expect(workerEntry(log, cacheDir)).toBe(TSX_ENTRY);
    expect(log.lines).toEqual([
      {
        level: 'warn',
        message: `Failed to bundle the Lambda worker runtime into ${cacheDir}: ENOTDIR: not a directory, mkdir '${cacheDir}'. Execution environments start through tsx instead (~200 ms slower each); make that folder writable, or reinstall the emulator's dependencies if esbuild is missing.`,
      },
    ]);
  });
});
