import { relative, resolve } from 'node:path';
import { EmulatorError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { buildRunReport } from '../reporting/report.ts';
import { newRunId } from '../reporting/run-id.ts';
import { writeRunReport } from '../reporting/write-report.ts';
import { DEFAULT_OFFLINE_TIME_SCALE, parseScenarioArgs, SCENARIOS_USAGE, UsageError } from './command-args.ts';
import { offlineTarget, remoteTarget, type RunTarget, type StartEmulatorFn } from './command-target.ts';
import type { Scenario } from './define.ts';
import { discoverScenarios, SCENARIOS_DIR, selectScenarios } from './discover.ts';
import type { Writer } from './progress.ts';
import type { ScenarioResult } from './results.ts';
import { runScenarios } from './runner.ts';

export { EXAMPLE_APP_CONFIG } from './example-app.ts';

export interface CommandIo {
  stdout: Writer;
  stderr: Writer;
  cwd: string;
}

export interface CommandDeps {
  /** Defaults to the emulator's `startEmulator`, loaded only for offline runs. */
  startEmulator?: StartEmulatorFn;
}

/**
 * `genai-offline scenarios [names...] [--endpoints F | --config F --time-scale S] [--report-dir D]`.
 * Resolves with the exit code: 0 all ran passed, 1 a scenario failed, 2 usage or setup error.
 */
export async function runScenariosCommand(argv: string[], io: CommandIo, deps: CommandDeps = {}): Promise<number> {
  let args;
  try {
    args = parseScenarioArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n\n${SCENARIOS_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(SCENARIOS_USAGE);
    return 0;
  }

  const log = stderrLog(io.stderr);
  try {
    const scenariosDir = args.scenariosDir ? resolve(io.cwd, args.scenariosDir) : SCENARIOS_DIR;
    const selected = selectScenarios(await discoverScenarios(scenariosDir), args.selectors);
    if (selected.length === 0) {
      throw new EmulatorError('ERR_SCENARIO', `Failed to find scenarios in "${scenariosDir}": no <pattern>/scenario.ts exports any. Pass --scenarios-dir with a folder that has them.`);
    }
    const startedAt = new Date();
    const runs = args.endpoints ? [{ timeScale: undefined, scenarios: selected }] : groupByTimeScale(selected, args.timeScale);
    const results: ScenarioResult[] = [];
    let first: RunTarget | undefined;
    for (const group of runs) {
      const target = args.endpoints
        ? await remoteTarget(resolve(io.cwd, args.endpoints), io.cwd)
        : await offlineTarget({
            config: args.config === undefined ? undefined : resolve(io.cwd, args.config),
            timeScale: group.timeScale ?? DEFAULT_OFFLINE_TIME_SCALE,
            cwd: io.cwd,
            log,
            start: deps.startEmulator ?? (await loadStartEmulator()),
          });
      first ??= target;
      io.stdout.write(target.banner(group.scenarios.length));
      try {
        results.push(...(await runScenarios(group.scenarios, { mode: target.mode, endpoints: target.endpoints, timeScale: target.timeScale, trace: target.trace, log, progress: io.stdout })));
      } finally {
        await target.close().catch((error: Error) => log.warn(`Failed to stop the emulator cleanly: ${error.message}. Its ports free up when this process exits.`));
      }
    }
    const target = first!;
    // In the order asked for, whatever emulator ran each.
    results.sort((a, b) => selected.findIndex((s) => s.name === a.name) - selected.findIndex((s) => s.name === b.name));
    const finishedAt = new Date();

    const report = buildRunReport({ runId: newRunId(startedAt), mode: target.mode, timeScale: target.timeScale, target: target.source, endpoints: target.endpoints, startedAt, finishedAt, results });
    const written = await writeRunReport(resolve(io.cwd, args.reportDir ?? 'reports'), report);
    io.stdout.write(`Reports: ${written.files.map((f) => relative(io.cwd, f) || f).join(', ')}\n`);
    return report.totals.failed > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
}

/**
 * Offline, scenarios run at `--time-scale` when given; otherwise each at its own `offlineTimeScale`
 * or the default, one emulator per scale, the default's group first.
 */
function groupByTimeScale(scenarios: Scenario[], forced: number | undefined): Array<{ timeScale: number | undefined; scenarios: Scenario[] }> {
  const groups = new Map<number | undefined, Scenario[]>();
  for (const scenario of scenarios) {
    const scale = forced ?? scenario.offlineTimeScale;
    groups.set(scale, [...(groups.get(scale) ?? []), scenario]);
  }
  return [...groups].map(([timeScale, list]) => ({ timeScale, scenarios: list })).sort((a, b) => (a.timeScale === undefined ? -1 : b.timeScale === undefined ? 1 : 0));
}

/** Remote runs against AWS never load the emulator (worker pools, services): it is imported on demand. */
async function loadStartEmulator(): Promise<StartEmulatorFn> {
  try {
    return (await import('../emulator.ts')).startEmulator;
  } catch (cause) {
    throw new EmulatorError('ERR_CONFIG_LOAD', `Failed to load the emulator: ${(cause as Error).message}. Reinstall genai-offline, or run remotely with --endpoints.`, { cause });
  }
}

/** The emulator's own messages: only problems reach the person, on stderr, so progress stays readable. */
function stderrLog(stderr: Writer): Log {
  const write = (message: string) => stderr.write(`[genai-offline] ${message}\n`);
  return { debug: () => undefined, info: () => undefined, warn: write, error: write };
}
