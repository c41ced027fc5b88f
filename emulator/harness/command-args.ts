import { parseArgs } from 'node:util';

/** Offline default: AWS's 29 s integration timeout takes 290 ms, so a full run stays in CI's patience. */
export const DEFAULT_OFFLINE_TIME_SCALE = 0.01;
/** The config schema's bound for `timeScale`. */
const MAX_TIME_SCALE = 1000;

export const SCENARIOS_USAGE = `Usage: genai-offline scenarios [names or patterns...] [options]

Runs pattern scenarios offline against the emulator (started for you on free ports), or with
--endpoints against a real deployment, with the same assertions. No names runs them all.

Options:
  --endpoints F       run against the invoke URLs in F (JSON shaped like \`start --endpoints-file\`
                      writes); real time (time scale 1)
  --config F          offline: the emulator config (default: the bundled example app)
  --time-scale S      offline: real seconds per emulated second (default ${DEFAULT_OFFLINE_TIME_SCALE}: a 29 s limit takes 290 ms)
  --report-dir D      where <run-id>/results.json and junit.xml go (default ./reports)
  --scenarios-dir D   folder of <pattern>/scenario.ts files (default: the bundled scenarios)
  -h, --help          this text

Exit code: 0 all ran scenarios passed (skips allowed), 1 a scenario failed, 2 usage or setup error.
`;

export interface ScenarioArgs {
  help: boolean;
  selectors: string[];
  endpoints?: string;
  config?: string;
  /** Undefined when not given: offline then uses the default, remote always runs at 1. */
  timeScale?: number;
  reportDir?: string;
  scenariosDir?: string;
}

/** A mistake in the command line: the command prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseScenarioArgs(argv: string[]): ScenarioArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(`Failed to parse the arguments: ${(error as Error).message}. See the usage below.`);
  }
  const { values, positionals } = parsed;
  const args: ScenarioArgs = { help: values.help ?? false, selectors: positionals };
  if (values.endpoints !== undefined) args.endpoints = values.endpoints;
  if (values.config !== undefined) args.config = values.config;
  if (values['report-dir'] !== undefined) args.reportDir = values['report-dir'];
  if (values['scenarios-dir'] !== undefined) args.scenariosDir = values['scenarios-dir'];
  if (values['time-scale'] !== undefined) {
    const n = Number(values['time-scale']);
    if (!Number.isFinite(n) || n <= 0 || n > MAX_TIME_SCALE) {
      throw new UsageError(`Failed to parse --time-scale: "${values['time-scale']}" is not a number above 0 and at most ${MAX_TIME_SCALE}. Try ${DEFAULT_OFFLINE_TIME_SCALE}.`);
    }
    args.timeScale = n;
  }
  if (args.endpoints !== undefined && args.timeScale !== undefined) {
    throw new UsageError('Failed to combine --endpoints with --time-scale: a real deployment runs in real time. Drop --time-scale.');
  }
  if (args.endpoints !== undefined && args.config !== undefined) {
    throw new UsageError('Failed to combine --endpoints with --config: --config starts an emulator, --endpoints uses a deployment. Pick one.');
  }
  return args;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      endpoints: { type: 'string' },
      config: { type: 'string' },
      'time-scale': { type: 'string' },
      'report-dir': { type: 'string' },
      'scenarios-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
