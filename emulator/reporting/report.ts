import type { Endpoints } from '../core/endpoints.ts';
import type { ScenarioMode } from '../harness/define.ts';
import { totals, type ScenarioResult, type Totals } from '../harness/results.ts';
import { TOOL_NAME, toolVersion } from './tool.ts';

/** Bumped when a field changes meaning or disappears; adding a field keeps the version. */
export const RESULTS_FORMAT = 'genai-offline.scenario-results/1';

/** The content of `results.json`; reports/README.md documents every field. */
export interface RunReport {
  format: typeof RESULTS_FORMAT;
  runId: string;
  tool: { name: string; version: string; node: string };
  mode: ScenarioMode;
  timeScale: number;
  /** Offline: the config the emulator ran. Remote: the endpoints file. */
  target: { config?: string; endpointsFile?: string };
  endpoints: Endpoints;
  startedAt: string;
  finishedAt: string;
  realMs: number;
  totals: Totals;
  results: ScenarioResult[];
}

export interface RunReportInput {
  runId: string;
  mode: ScenarioMode;
  timeScale: number;
  target?: RunReport['target'];
  endpoints: Endpoints;
  startedAt: Date;
  finishedAt: Date;
  results: ScenarioResult[];
}

export function buildRunReport(input: RunReportInput): RunReport {
  return {
    format: RESULTS_FORMAT,
    runId: input.runId,
    tool: { name: TOOL_NAME, version: toolVersion(), node: process.version },
    mode: input.mode,
    timeScale: input.timeScale,
    target: input.target ?? {},
    endpoints: input.endpoints,
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    realMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    totals: totals(input.results),
    results: input.results,
  };
}
