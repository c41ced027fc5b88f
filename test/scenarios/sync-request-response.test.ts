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

// The bundled pattern's scenarios, run offline as `npm run scenarios` runs them, so `npm test`
// fails when one of them does. Each has its own assertions; this only checks that all passed.
describe('sync-request-response scenarios, offline against the example app', () => {
  it('every scenario passes at time scale 0.01', async () => {
    const stdout = collector();
    const stderr = collector();
    const reports = await mkdtemp(join(tmpdir(), 'genai-offline-scenarios-'));
    const code = await runScenariosCommand(['sync-request-response', '--report-dir', reports], { stdout, stderr, cwd: ROOT });
    expect({ code, stderr: stderr.text() }, stdout.text()).toEqual({ code: 0, stderr: '' });
    expect(stdout.text()).toMatch(/\n12 passed, 0 failed, 0 skipped\n/);
  });
});
