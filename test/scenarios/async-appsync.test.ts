import { describe, expect, it } from 'vitest';
import { runScenarios } from './support.ts';

// The bundled AppSync pattern's scenarios, run offline as `npm run scenarios async-appsync` runs them,
// so `npm test` fails when one of them does. Eight ask for time scale 0.1; the missed keep-alive waits
// out 5 emulated minutes and asks for 0.01: two emulators.
describe('async-appsync scenarios, offline against the example app', () => {
  it('every scenario passes', async () => {
    const r = await runScenarios(['async-appsync']);
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/offline against the bundled example app at time scale 0.1:/);
    expect(r.stdout).toMatch(/\n8 passed, 0 failed, 0 skipped\n/);
    expect(r.stdout).toMatch(/offline against the bundled example app at time scale 0.01:/);
    expect(r.stdout).toMatch(/\n1 passed, 0 failed, 0 skipped\n/);
  }, 60_000);
});
