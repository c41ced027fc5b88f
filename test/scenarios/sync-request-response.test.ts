import { describe, expect, it } from 'vitest';
import { runScenarios } from './support.ts';

// The bundled pattern's scenarios, run offline as `npm run scenarios` runs them, so `npm test`
// fails when one of them does. Each has its own assertions; this only checks that all passed.
describe('sync-request-response scenarios, offline against the example app', () => {
  it('every scenario passes at time scale 0.01', async () => {
    const r = await runScenarios(['sync-request-response']);
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/\n12 passed, 0 failed, 0 skipped\n/);
  });
});
