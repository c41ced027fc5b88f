import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../emulator/cli.ts';

// main() runs in-process: the usage and error paths need no child process.
function captureStderr() {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

let stderr: ReturnType<typeof captureStderr> | undefined;
afterEach(() => stderr?.restore());

describe('cli', () => {
  it('cli: an unknown command prints the usage and exits 2', async () => {
    stderr = captureStderr();
    expect(await main(['serve'])).toBe(2);
    expect(stderr.text()).toContain('Failed to run "serve": unknown command.');
    expect(stderr.text()).toContain('Usage: genai-offline <command> [options]');
  });

  it('cli: a missing config file is reported with what to do, exit 2', async () => {
    stderr = captureStderr();
    expect(await main(['start', '--config', 'no-such-file.json'])).toBe(2);
    expect(stderr.text()).toMatch(/Failed to load config: ".*no-such-file\.json" does not exist\. Pass --config/);
  });

  it('cli: --time-scale 0 is refused before anything starts', async () => {
    stderr = captureStderr();
    expect(await main(['start', '--time-scale', '0'])).toBe(2);
    expect(stderr.text()).toContain('Failed to parse --time-scale: 0 would stop time.');
  });

  it('cli: a non-numeric --port is refused', async () => {
    stderr = captureStderr();
    expect(await main(['start', '--port', 'eighty'])).toBe(2);
    expect(stderr.text()).toContain('Failed to parse --port: "eighty" is not a non-negative number.');
  });

  it('cli: an invalid config lists every problem with its path', async () => {
    stderr = captureStderr();
    expect(await main(['start', '--config', 'test/cli/invalid.config.json'])).toBe(2);
    expect(stderr.text()).toContain('  - functions.chat.timeout: ');
    expect(stderr.text()).toContain('  - restApis.api.routes["GET /x"]: unknown function "missing"');
  });
});
