import { describe, expect, it } from 'vitest';
import { runScenarios } from './support.ts';

// The bundled pattern's scenarios, run offline as `npm run scenarios` runs them, so `npm test` fails
// when one of them does. The connection-lifetime ones wait out 10 minutes and 2 hours: they ask for
// time scale 0.001 (offlineTimeScale), so the command runs them in a second emulator.
describe('async-websocket scenarios, offline against the example app', () => {
  it('every scenario passes, each at its time scale (0.01, 0.1 for the chats, 0.001 for the lifetimes)', async () => {
    const r = await runScenarios(['async-websocket']);
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/offline against the bundled example app at time scale 0.01/);
    expect(r.stdout).toMatch(/offline against the bundled example app at time scale 0.001/);
    expect(r.stdout).toMatch(/offline against the bundled example app at time scale 0.1:/);
    expect(r.stdout).toMatch(/\n1 passed, 0 failed, 0 skipped\n/);
    expect(r.stdout).toMatch(/\n4 passed, 0 failed, 0 skipped\n/);
    expect(r.stdout).toMatch(/\n3 passed, 0 failed, 0 skipped\n/);
  }, 60_000);
});
