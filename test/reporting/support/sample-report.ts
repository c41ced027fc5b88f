import type { ScenarioResult } from '../../../emulator/harness/results.ts';
import { buildRunReport, type RunReport } from '../../../emulator/reporting/report.ts';

/** Text that breaks naive XML writers: markup, quotes, ampersands, newlines, a NUL, a lone surrogate. */
export const NASTY = 'a <b> & "c" \'d\'\nline2\ttab\u0000nul \uD800 ]]> end';

export function sampleResults(): ScenarioResult[] {
  return [
    {
      name: 'rest-happy-path',
      pattern: 'sync-request-response',
      description: 'REST API: POST /chat answers 200.',
      tags: ['rest'],
      status: 'passed',
      steps: [{ name: 'POST /chat', status: 'passed', realMs: 12.5, emulatedMs: 1250 }],
      realMs: 13,
      emulatedMs: 1300,
    },
    {
      name: 'rest-integration-timeout',
      pattern: 'sync-request-response',
      description: `Timeout ${NASTY}`,
      tags: [],
      status: 'failed',
      steps: [
        {
          name: 'GET /slow answers 504',
          status: 'failed',
          realMs: 301,
          emulatedMs: 30_100,
          error: { type: 'ScenarioAssertionError', message: 'Expected body', step: 'GET /slow answers 504', expected: '{"message": "Endpoint request timed out"}', actual: NASTY },
        },
      ],
      realMs: 302,
      emulatedMs: 30_200,
      error: { type: 'ScenarioAssertionError', message: `Expected body ${NASTY}`, step: 'GET /slow answers 504', expected: '{"message": "Endpoint request timed out"}', actual: NASTY },
    },
    {
      name: 'uses-trace',
      pattern: 'other-pattern',
      description: 'Reads the trace.',
      tags: [],
      status: 'skipped',
      reason: `offline only: ${NASTY}`,
      steps: [],
      realMs: 0,
      emulatedMs: 0,
    },
    {
      name: 'times-out',
      pattern: 'other-pattern',
      description: 'Hangs.',
      tags: [],
      status: 'failed',
      steps: [],
      realMs: 1200,
      emulatedMs: 120_000,
      error: { type: 'ScenarioTimeoutError', message: 'Failed to finish within the time budget.', expected: { maxSeconds: 120 } },
    },
  ];
}

export function sampleReport(overrides: Partial<Parameters<typeof buildRunReport>[0]> = {}): RunReport {
  return buildRunReport({
    runId: '20260101-000000-abcd',
    mode: 'offline',
    timeScale: 0.01,
    target: { config: '/app/genai-offline.config.ts' },
    endpoints: { restApis: { chat: 'http://127.0.0.1:4010/dev' }, httpApis: { chat: 'http://127.0.0.1:4011' } },
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0)),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 1, 600)),
    results: sampleResults(),
    ...overrides,
  });
}
