import type { Endpoints } from '../core/endpoints.ts';
import { silentLog, type Log } from '../core/log.ts';
import type { Trace } from '../core/trace.ts';
import type { Scenario, ScenarioContext, ScenarioMode } from './define.ts';
import { ScenarioTimeoutError } from './errors.ts';
import { createExpectations } from './expect.ts';
import { createHttpClient } from './http-client.ts';
import { createWsClient } from './ws-client.ts';
import { createAppSyncClient } from './appsync-client.ts';
import { readStream } from './stream-client.ts';
import { formatResult, formatSummary, type Writer } from './progress.ts';
import { toFailure, totals, type ScenarioFailure, type ScenarioResult } from './results.ts';
import { stepRecorder } from './steps.ts';
import { realNow } from '../core/clock.ts';
import { offlineTime, remoteTime, type EmulatedTime } from './time.ts';

export const DEFAULT_BUDGET_SECONDS = 120;
/**
 * The floor under a scaled budget. Worker start-up and cold starts cost real time that time scaling
 * does not compress, so 120 s at scale 0.01 (1.2 s real) would fail scenarios that are merely slow to
 * start, not hung.
 */
export const MIN_REAL_BUDGET_MS = 10_000;
/**
 * Offline, how much real time a measured duration may overrun by. Timer lag, worker threads and the
 * client sharing the emulator's event loop cost real milliseconds that time scaling magnifies (at 0.01,
 * 30 ms real reads as 3 emulated seconds); on a loaded 2-core machine they reach ~40 ms. Lower bounds
 * get no slack, and remote runs none at all: their ranges already allow for the network.
 */
export const OFFLINE_REAL_SLACK_MS = 50;

export interface RunOptions {
  mode: ScenarioMode;
  endpoints: Endpoints;
  /** Offline only; remote runs always use 1. */
  timeScale?: number;
  /** The emulator's trace (offline). */
  trace?: Trace;
  log?: Log;
  /** Default budget per scenario, in emulated seconds. */
  budgetSeconds?: number;
  minRealBudgetMs?: number;
  /** Real-time overrun allowed on duration assertions; offline default OFFLINE_REAL_SLACK_MS, remote 0. */
  realSlackMs?: number;
  progress?: Writer;
}

/** Runs `scenarios` one after another; never rejects for a scenario's failure. */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<ScenarioResult[]> {
  const time = options.mode === 'offline' ? offlineTime(options.timeScale ?? 1, options.trace) : remoteTime();
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of scenarios) {
      const result = await runOne(scenario, options, time);
      results.push(result);
      options.progress?.write(formatResult(result));
    }
  } finally {
    time.dispose();
  }
  options.progress?.write(formatSummary(totals(results)));
  return results;
}

async function runOne(scenario: Scenario, options: RunOptions, time: EmulatedTime): Promise<ScenarioResult> {
  const base = { name: scenario.name, pattern: scenario.pattern, description: scenario.description, tags: [...(scenario.tags ?? [])] };
  if (options.mode === 'remote' && scenario.offlineOnly) {
    return { ...base, status: 'skipped', reason: `offline only: ${scenario.offlineOnly.reason}`, steps: [], realMs: 0, emulatedMs: 0 };
  }
  const budgetSeconds = scenario.budgetSeconds ?? options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS;
  const budgetRealMs = Math.max(budgetSeconds * 1000 * time.timeScale, options.minRealBudgetMs ?? MIN_REAL_BUDGET_MS);
  const controller = new AbortController();
  const steps = stepRecorder(time);
  const ws = createWsClient({ endpoints: options.endpoints, time, signal: controller.signal });
  const http = createHttpClient({ endpoints: options.endpoints, time, signal: controller.signal });
  const metrics: Record<string, number> = {};
  const ctx: ScenarioContext = {
    endpoints: options.endpoints,
    mode: options.mode,
    timeScale: time.timeScale,
    http,
    ws,
    appsync: createAppSyncClient({ endpoints: options.endpoints, http, ws }),
    stream: (url, request) => readStream(url, time, request, controller.signal),
    metric: (name, value) => void (metrics[name] = Math.round(value * 1000) / 1000),
    expect: createExpectations(time.timeScale, options.realSlackMs ?? (options.mode === 'offline' ? OFFLINE_REAL_SLACK_MS : 0)),
    step: steps.step,
    trace: options.mode === 'offline' ? options.trace : undefined,
    log: options.log ?? silentLog,
    signal: controller.signal,
  };

  const start = realNow();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const scale = time.timeScale === 1 ? '' : ` at time scale ${time.timeScale}`;
      const error = new ScenarioTimeoutError(
        `Failed to finish within the time budget: ${budgetSeconds} s emulated (${Math.round(budgetRealMs)} ms real${scale}). Raise budgetSeconds in the scenario if it needs longer.`,
      );
      controller.abort(error);
      reject(error);
    }, budgetRealMs);
  });
  // A scenario that times out keeps running in the background until its requests see the abort.
  const running = Promise.resolve().then(() => scenario.run(ctx));
  running.catch(() => undefined);

  let error: ScenarioFailure | undefined;
  try {
    await Promise.race([running, timedOut]);
  } catch (thrown) {
    error = toFailure(thrown, steps.stepOf(thrown));
  } finally {
    clearTimeout(timer);
    ws.dispose();
  }
  const end = realNow();
  const interrupted: ScenarioFailure = error?.type === 'ScenarioTimeoutError'
    ? { type: error.type, message: error.message }
    : { type: 'Error', message: 'Failed to finish the step before its scenario ended: it was not awaited. Await ctx.step(...).' };
  const stepResults = steps.snapshot(interrupted);
  // A scenario passes only if every step did, even one whose failure the scenario caught.
  const lastFailed = stepResults.findLast((s) => s.status === 'failed');
  if (!error && lastFailed) error = lastFailed.error;
  if (error && !error.step && lastFailed) error.step = lastFailed.name;

  const result: ScenarioResult = { ...base, status: error ? 'failed' : 'passed', steps: stepResults, realMs: end - start, emulatedMs: time.emulatedMs(start, end) };
  if (error) result.error = error;
  if (Object.keys(metrics).length > 0) result.metrics = metrics;
  return result;
}
