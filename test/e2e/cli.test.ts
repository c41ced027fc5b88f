import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// The one test that runs the CLI as a user does: `genai-offline start` with no config serves the
// example app, prints its endpoints, writes the endpoints file, and stops cleanly on Ctrl-C (SIGINT).
describe('genai-offline start', () => {
  it('cli: serves the example app, writes the endpoints file and exits 0 on SIGINT', async () => {
    const endpointsFile = join(mkdtempSync(join(tmpdir(), 'genai-offline-')), 'endpoints.json');
    const child = spawn(process.execPath, ['emulator/bin.mjs', 'start', '--port', '0', '--endpoints-file', endpointsFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const printed: string[] = [];
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) {
      printed.push(line);
      if (line.includes('Ready in')) break;
    }
    expect(printed.join('\n')).toMatch(/REST API chat: http:\/\/127\.0\.0\.1:\d+\/dev/);
    expect(printed.join('\n')).toMatch(/HTTP API chat: http:\/\/127\.0\.0\.1:\d+/);
    const endpoints = JSON.parse(readFileSync(endpointsFile, 'utf8')) as { restApis: Record<string, string>; httpApis: Record<string, string> };
    const res = await fetch(`${endpoints.restApis.chat}/chat`, { method: 'POST', body: '{"prompt":"hi"}' });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
