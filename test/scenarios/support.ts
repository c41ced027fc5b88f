import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenariosCommand } from '../../emulator/harness/command.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function collector() {
  let text = '';
  return { write: (chunk: string) => void (text += chunk), text: () => text };
}

/** `genai-offline scenarios <selectors>` as `npm run scenarios` runs it, with its reports in a temporary folder. */
export async function runScenarios(selectors: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = collector();
  const stderr = collector();
  const reports = await mkdtemp(join(tmpdir(), 'genai-offline-scenarios-'));
  const code = await runScenariosCommand([...selectors, '--report-dir', reports], { stdout, stderr, cwd: ROOT });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
