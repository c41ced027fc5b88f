import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULTS_FORMAT } from '../../emulator/reporting/report.ts';
import { sampleReport, sampleResults } from './support/sample-report.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('results.json content', () => {
  it('names the format, tool, run, target and time span', () => {
    const report = sampleReport();
    expect(report).toMatchObject({
      format: RESULTS_FORMAT,
      runId: '20260101-000000-abcd',
      tool: { name: 'genai-offline', version: pkg.version, node: process.version },
      mode: 'offline',
      timeScale: 0.01,
      target: { config: '/app/genai-offline.config.ts' },
      endpoints: { restApis: { chat: 'http://127.0.0.1:4010/dev' }, httpApis: { chat: 'http://127.0.0.1:4011' } },
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.600Z',
      realMs: 1600,
    });
  });

  it('totals the results and keeps them whole, in order', () => {
    const report = sampleReport();
    expect(report.totals).toEqual({ passed: 1, failed: 2, skipped: 1, total: 4 });
    expect(report.results).toEqual(sampleResults());
  });

  it('survives a JSON round trip unchanged (no undefined, no class instances)', () => {
    const report = sampleReport();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
