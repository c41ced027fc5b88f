import { relative, resolve } from 'node:path';
import { EmulatorError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import { buildRunReport } from '../reporting/report.ts';
import { newRunId } from '../reporting/run-id.ts';
import { writeRunReport } from '../reporting/write-report.ts';
import { DEFAULT_OFFLINE_TIME_SCALE, parseScenarioArgs, SCENARIOS_USAGE, UsageError } from './command-args.ts';
import { offlineTarget, remoteTarget, type StartEmulatorFn } from './command-target.ts';
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
    const target = args.endpoints
      ? await remoteTarget(resolve(io.cwd, args.endpoints), io.cwd)
      : await offlineTarget({
          config: args.config === undefined ? undefined : resolve(io.cwd, args.config),
          timeScale: args.timeScale ?? DEFAULT_OFFLINE_TIME_SCALE,
          cwd: io.cwd,
          log,
          start: deps.startEmulator ?? (await loadStartEmulator()),
        });
    io.stdout.write(target.banner(selected.length));

    const startedAt = new Date();
    let results: ScenarioResult[];
    try {
      results = await runScenarios(selected, { mode: target.mode, endpoints: target.endpoints, timeScale: target.timeScale, trace: target.trace, log, progress: io.stdout });
    } finally {
      await target.close().catch((error: Error) => log.warn(`Failed to stop the emulator cleanly: ${error.message}. Its ports free up when this process exits.`));
    }
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
