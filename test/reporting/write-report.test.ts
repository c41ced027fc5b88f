import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderJunit } from '../../emulator/reporting/junit.ts';
import { writeFileAtomic, writeRunReport } from '../../emulator/reporting/write-report.ts';
import { sampleReport } from './support/sample-report.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genai-offline-reports-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeRunReport', () => {
  it('writes <dir>/<run-id>/junit.xml and results.json, creating the reports folder', async () => {
    const report = sampleReport();
    const reports = join(dir, 'nested', 'reports');
    const written = await writeRunReport(reports, report);
    const runDir = join(reports, report.runId);
    expect(written).toEqual({ dir: runDir, files: [join(runDir, 'junit.xml'), join(runDir, 'results.json')] });
    expect(JSON.parse(await readFile(join(runDir, 'results.json'), 'utf8'))).toEqual(report);
    expect(await readFile(join(runDir, 'junit.xml'), 'utf8')).toBe(renderJunit(report));
  });

  it('leaves no temp files behind', async () => {
    const report = sampleReport();
    await writeRunReport(dir, report);
    expect(await readdir(dir)).toEqual([report.runId]);
    expect((await readdir(join(dir, report.runId))).sort()).toEqual(['junit.xml', 'results.json']);
  });

  it('never overwrites an existing run folder, and leaves it as it was', async () => {
    const report = sampleReport();
    await mkdir(join(dir, report.runId));
    await writeFile(join(dir, report.runId, 'results.json'), 'mine');
    await expect(writeRunReport(dir, report)).rejects.toThrow(
      `Failed to create report folder "${join(dir, report.runId)}": it already exists. Run again for a fresh run id, or move the folder away.`,
    );
    expect(await readdir(join(dir, report.runId))).toEqual(['results.json']);
    expect(await readFile(join(dir, report.runId, 'results.json'), 'utf8')).toBe('mine');
  });

  it('keeps other files in the reports folder', async () => {
    await writeFile(join(dir, 'README.md'), 'notes');
    await writeRunReport(dir, sampleReport({ runId: '20260101-000000-0001' }));
    await writeRunReport(dir, sampleReport({ runId: '20260101-000000-0002' }));
    expect((await readdir(dir)).sort()).toEqual(['20260101-000000-0001', '20260101-000000-0002', 'README.md']);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('notes');
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('removes its temp file when the rename fails', async () => {
    const target = join(dir, 'taken');
    await mkdir(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow(/^Failed to write ".*taken": .*\. Check the report folder's permissions and free space\.$/);
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('reports a folder that does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a.json'), 'x')).rejects.toThrow(/ENOENT/);
  });
});
