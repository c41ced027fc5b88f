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

async function run(selectors: string[], timeScale: string) {
  const stdout = collector();
  const stderr = collector();
  const reports = await mkdtemp(join(tmpdir(), 'genai-offline-scenarios-'));
  const code = await runScenariosCommand([...selectors, '--time-scale', timeScale, '--report-dir', reports], { stdout, stderr, cwd: ROOT });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

// The bundled pattern's scenarios, run offline as `npm run scenarios` runs them, so `npm test` fails
// when one of them does. The connection-lifetime ones wait out 10 minutes and 2 hours, which only a
// faster scale makes short (README.md): they run in a second emulator at 0.001.
describe('async-websocket scenarios, offline against the example app', () => {
  it('the chat, timeout and size scenarios pass at time scale 0.01', async () => {
    const r = await run(['websocket-chat', 'websocket-unknown-action', 'websocket-integration-timeout', 'websocket-message-too-large', 'websocket-post-to-gone'], '0.01');
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/\n5 passed, 0 failed, 0 skipped\n/);
  });

  it('the idle, keep-alive and 2-hour scenarios pass at time scale 0.001', async () => {
    const r = await run(['websocket-idle-timeout', 'websocket-keep-alive', 'websocket-max-duration'], '0.001');
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/\n3 passed, 0 failed, 0 skipped\n/);
  }, 40_000);
});
