import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenariosCommand } from '../../emulator/harness/command.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function collector() {
  let text = '';
  return { write: (chunk: string) => void (text += chunk), text: () => text };
}

// The bundled AppSync pattern's scenarios, run offline as `npm run scenarios async-appsync` runs them,
// so `npm test` fails when one of them does. Eight ask for time scale 0.1; the missed keep-alive waits
// out 5 emulated minutes and asks for 0.01: two emulators.
describe('async-appsync scenarios, offline against the example app', () => {
  it('every scenario passes', async () => {
    const stdout = collector();
    const stderr = collector();
    const reports = await mkdtemp(join(tmpdir(), 'genai-offline-scenarios-'));
    const code = await runScenariosCommand(['async-appsync', '--report-dir', reports], { stdout, stderr, cwd: ROOT });
    expect({ code, stderr: stderr.text() }, stdout.text()).toEqual({ code: 0, stderr: '' });
    expect(stdout.text()).toMatch(/offline against the bundled example app at time scale 0.1:/);
    expect(stdout.text()).toMatch(/\n8 passed, 0 failed, 0 skipped\n/);
    expect(stdout.text()).toMatch(/offline against the bundled example app at time scale 0.01:/);
    expect(stdout.text()).toMatch(/\n1 passed, 0 failed, 0 skipped\n/);
  }, 60_000);
});
