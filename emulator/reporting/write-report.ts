import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmulatorError } from '../core/errors.ts';
import { renderJunit } from './junit.ts';
import type { RunReport } from './report.ts';

export const RESULTS_FILE = 'results.json';
export const JUNIT_FILE = 'junit.xml';

export interface WrittenReport {
  dir: string;
  files: string[];
}

/**
 * Writes `<reportsDir>/<runId>/{junit.xml,results.json}`. The run folder must not exist yet: an
 * earlier run (or anything a user put there) is never overwritten. results.json is written last, so
 * its presence means the run's report is complete.
 */
export async function writeRunReport(reportsDir: string, report: RunReport): Promise<WrittenReport> {
  const dir = join(reportsDir, report.runId);
  try {
    await mkdir(reportsDir, { recursive: true });
    await mkdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'it already exists' : (cause as Error).message;
    const what = code === 'EEXIST' ? 'Run again for a fresh run id, or move the folder away' : 'Pass a writable --report-dir';
    throw new EmulatorError('ERR_SCENARIO', `Failed to create report folder "${dir}": ${why}. ${what}.`, { cause });
  }
  const junit = join(dir, JUNIT_FILE);
  const results = join(dir, RESULTS_FILE);
  await writeFileAtomic(junit, renderJunit(report));
  await writeFileAtomic(results, `${JSON.stringify(report, null, 2)}\n`);
  return { dir, files: [junit, results] };
}

/**
 * Temp file in the same folder (so the rename stays on one file system and is atomic), then rename:
 * a reader sees the old file or the whole new one, never half. The temp file is removed on failure.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, file);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new EmulatorError('ERR_SCENARIO', `Failed to write "${file}": ${(cause as Error).message}. Check the report folder's permissions and free space.`, { cause });
  }
}
