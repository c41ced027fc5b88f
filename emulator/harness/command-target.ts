import { relative } from 'node:path';
import { loadConfigFile, type LoadedConfig } from '../core/config-file.ts';
import { readEndpointsFile, type Endpoints } from '../core/endpoints.ts';
import { EmulatorError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import type { Trace } from '../core/trace.ts';
import type { ScenarioMode } from './define.ts';
import { EXAMPLE_APP_CONFIG } from './example-app.ts';

/** The part of a running emulator the command needs; `startEmulator` fits it, and so do test fakes. */
export interface StartedEmulator {
  endpoints: Endpoints;
  trace: Trace;
  close(): Promise<void>;
}

export type StartEmulatorFn = (config: LoadedConfig, options: { host: string; port: number; timeScale: number; log: Log }) => Promise<StartedEmulator>;

/** Where the scenarios run, and how to let go of it afterwards. */
export interface RunTarget {
  mode: ScenarioMode;
  timeScale: number;
  endpoints: Endpoints;
  trace?: Trace;
  /** For the report: the config or endpoints file. */
  source: { config?: string; endpointsFile?: string };
  /** One line for the person watching: what runs where, and how fast. */
  banner(count: number): string;
  close(): Promise<void>;
}

export async function remoteTarget(file: string, cwd: string): Promise<RunTarget> {
  const endpoints = await readEndpointsFile(file);
  return {
    mode: 'remote',
    timeScale: 1,
    endpoints,
    source: { endpointsFile: file },
    banner: (count) => `Running ${plural(count)} against the endpoints in ${relative(cwd, file) || file} (real time).\n`,
    close: async () => undefined,
  };
}

export async function offlineTarget(options: { config?: string; timeScale: number; cwd: string; log: Log; start: StartEmulatorFn }): Promise<RunTarget> {
  const file = options.config ?? EXAMPLE_APP_CONFIG;
  const loaded = await loadConfigFile(file);
  let emulator: StartedEmulator;
  try {
    // Port 0 and loopback: a scenario run never collides with a running `start` or exposes anything.
    emulator = await options.start(loaded, { host: '127.0.0.1', port: 0, timeScale: options.timeScale, log: options.log });
  } catch (cause) {
    if (cause instanceof EmulatorError) throw cause;
    throw new EmulatorError('ERR_LISTEN', `Failed to start the emulator for "${file}": ${(cause as Error).message}. Check the config and that handlers load.`, { cause });
  }
  const name = file === EXAMPLE_APP_CONFIG ? 'the bundled example app' : relative(options.cwd, file) || file;
  const ts = options.timeScale;
  return {
    mode: 'offline',
    timeScale: ts,
    endpoints: emulator.endpoints,
    trace: emulator.trace,
    source: { config: file },
    banner: (count) => `Running ${plural(count)} offline against ${name} at time scale ${ts}: a 29 s limit takes ${formatReal(29_000 * ts)}.\n`,
    close: async () => {
      await invocationsSettled(emulator.trace, SETTLE_REAL_MS);
      await emulator.close();
    },
  };
}

/** How long a finished run waits for Lambda invocations still in flight before closing the emulator. */
const SETTLE_REAL_MS = 3_000;

/**
 * Resolves when every started invocation has ended, or after `realMs`: a scenario that is done may
 * leave a function finishing its last call (a `$default` reply, a `$disconnect`), which closing would
 * cut short with a warning. Waits on trace events, never on a fixed sleep.
 */
function invocationsSettled(trace: Trace, realMs: number): Promise<void> {
  const running = new Set<string>();
  for (const event of trace.events()) {
    if (event.type === 'lambda.invoke.start') running.add(event.requestId);
    else if (event.type === 'lambda.invoke.end') running.delete(event.requestId);
  }
  if (running.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, realMs);
    const unsubscribe = trace.subscribe((event) => {
      if (event.type === 'lambda.invoke.start') running.add(event.requestId);
      else if (event.type === 'lambda.invoke.end' && running.delete(event.requestId) && running.size === 0) finish();
    });
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

function plural(count: number): string {
  return `${count} scenario${count === 1 ? '' : 's'}`;
}

function formatReal(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Number(ms.toFixed(1))} ms`;
}
