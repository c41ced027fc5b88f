import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../emulator/core/clock.ts';
import { Trace } from '../../emulator/core/trace.ts';
import { runScenariosCommand } from '../../emulator/harness/command.ts';
import type { StartEmulatorFn } from '../../emulator/harness/command-target.ts';
import { RUN_ID_PATTERN } from '../../emulator/reporting/run-id.ts';
import { collector, startFakeApi, type FakeApi } from './support/fake-api.ts';

const SCENARIOS = fileURLToPath(new URL('./fixtures/scenarios/', import.meta.url));

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi();
});
afterEach(async () => {
  await api.close();
});

async function run(argv: string[], deps = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await runScenariosCommand(['--scenarios-dir', SCENARIOS, '--report-dir', 'reports', ...argv], { stdout, stderr, cwd: api.dir }, deps);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

async function runDirs(): Promise<string[]> {
  return readdir(join(api.dir, 'reports')).catch(() => []);
}

describe('genai-offline scenarios', () => {
  it('exits 0 when every scenario that ran passed (skips allowed) and writes both reports', async () => {
    const { code, stdout, stderr } = await run(['demo-pass', 'demo-offline-only', 'other', '--endpoints', 'endpoints.json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Running 3 scenarios against the endpoints in endpoints.json (real time).');
    expect(lines).toContain('2 passed, 0 failed, 1 skipped');
    const [runId] = await runDirs();
    expect(runId).toMatch(RUN_ID_PATTERN);
    expect(lines.at(-2)).toBe(`Reports: reports/${runId}/junit.xml, reports/${runId}/results.json`);
    const report = JSON.parse(await readFile(join(api.dir, 'reports', runId!, 'results.json'), 'utf8'));
    expect(report).toMatchObject({ runId, mode: 'remote', timeScale: 1, endpoints: api.endpoints, target: { endpointsFile: api.endpointsFile }, totals: { passed: 2, failed: 0, skipped: 1, total: 3 } });
  });

  it('exits 1 when a scenario fails', async () => {
    const { code, stdout } = await run(['--endpoints', api.endpointsFile]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ demo-fail');
    expect(stdout).toContain('2 passed, 1 failed, 1 skipped');
  });

  it('exits 2 on an unknown scenario name and lists the available ones, before contacting anything', async () => {
    const { code, stderr } = await run(['no-such-scenario', '--endpoints', api.endpointsFile]);
    expect(code).toBe(2);
    expect(stderr).toBe('Failed to select scenarios: no scenario or pattern named "no-such-scenario". Available scenarios: demo-pass, demo-fail, demo-offline-only, other-pass; patterns: demo, other.\n');
    expect(api.seen).toEqual([]);
    expect(await runDirs()).toEqual([]);
  });

  it.each([
    [['--nope'], "Failed to parse the arguments: Unknown option '--nope'."],
    [['--time-scale', '0'], 'Failed to parse --time-scale: "0" is not a number above 0 and at most 1000. Try 0.01.'],
    [['--time-scale', 'fast'], 'Failed to parse --time-scale: "fast" is not a number above 0 and at most 1000. Try 0.01.'],
    [['--endpoints', 'e.json', '--time-scale', '0.1'], 'Failed to combine --endpoints with --time-scale: a real deployment runs in real time. Drop --time-scale.'],
    [['--endpoints', 'e.json', '--config', 'c.ts'], 'Failed to combine --endpoints with --config: --config starts an emulator, --endpoints uses a deployment. Pick one.'],
  ])('exits 2 with the usage on bad arguments: %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(stderr).toContain('Usage: genai-offline scenarios');
  });

  it('exits 2 when the endpoints file is missing or malformed', async () => {
    const missing = await run(['--endpoints', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^Failed to read endpoints file ".*nope\.json": ENOENT/);
    await writeFile(join(api.dir, 'bad.json'), '{"restApis": {"demo": "not a url"}}');
    const bad = await run(['--endpoints', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('restApis.demo');
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--time-scale S      offline: real seconds per emulated second (default 0.01: a 29 s limit takes 290 ms)');
  });

  it('offline: starts the emulator on loopback port 0 at time scale 0.01, hands scenarios its trace, and closes it', async () => {
    await writeFile(join(api.dir, 'app.config.json'), '{"functions": {}}');
    const calls: unknown[] = [];
    let closed = 0;
    const trace = new Trace(new ScaledClock());
    const start: StartEmulatorFn = async (loaded, options) => {
      calls.push({ file: loaded.file, host: options.host, port: options.port, timeScale: options.timeScale });
      return { endpoints: api.endpoints, trace, close: async () => void closed++ };
    };
    const { code, stdout } = await run(['demo-pass', 'demo-offline-only', '--config', 'app.config.json'], { startEmulator: start });
    expect(code).toBe(0);
    expect(calls).toEqual([{ file: join(api.dir, 'app.config.json'), host: '127.0.0.1', port: 0, timeScale: 0.01 }]);
    expect(closed).toBe(1);
    expect(stdout.split('\n')[0]).toBe('Running 2 scenarios offline against app.config.json at time scale 0.01: a 29 s limit takes 290 ms.');
    expect(stdout).toContain('2 passed, 0 failed, 0 skipped');
  });

  it('offline: --time-scale reaches the emulator; a failing start exits 2 with the cause', async () => {
    await writeFile(join(api.dir, 'app.config.json'), '{"functions": {}}');
    const scales: number[] = [];
    const failing: StartEmulatorFn = async (_loaded, options) => {
      scales.push(options.timeScale);
      throw new Error('listen EADDRINUSE');
    };
    const { code, stderr } = await run(['--config', 'app.config.json', '--time-scale', '0.5'], { startEmulator: failing });
    expect(scales).toEqual([0.5]);
    expect(code).toBe(2);
    expect(stderr).toBe(`Failed to start the emulator for "${join(api.dir, 'app.config.json')}": listen EADDRINUSE. Check the config and that handlers load.\n`);
  });

  it('offline: an invalid config exits 2 with its problems', async () => {
    await writeFile(join(api.dir, 'app.config.json'), '{"timeScale": -1}');
    const { code, stderr } = await run(['--config', 'app.config.json'], { startEmulator: async () => Promise.reject(new Error('not reached')) });
    expect(code).toBe(2);
    expect(stderr).toContain('timeScale');
  });

  it('closes the emulator even when writing the report fails, and exits 2', async () => {
    await writeFile(join(api.dir, 'app.config.json'), '{"functions": {}}');
    await writeFile(join(api.dir, 'reports'), 'a file where the reports folder should be');
    let closed = 0;
    const start: StartEmulatorFn = async () => ({ endpoints: api.endpoints, trace: new Trace(new ScaledClock()), close: async () => void closed++ });
    const { code, stderr } = await run(['demo-pass', '--config', 'app.config.json'], { startEmulator: start });
    expect(closed).toBe(1);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Failed to create report folder ".*reports\/\d{8}-\d{6}-[0-9a-f]{4}": /);
    expect(await readFile(join(api.dir, 'reports'), 'utf8')).toBe('a file where the reports folder should be');
  });
});
