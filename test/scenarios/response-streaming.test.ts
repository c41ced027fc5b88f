import { describe, expect, it } from 'vitest';
import { runScenarios } from './support.ts';

// The bundled response-streaming scenarios, run offline as `npm run scenarios response-streaming` runs
// them, so `npm test` fails when one of them does: five at time scale 0.1, the client that leaves at
// 0.01 (its model writes a token a second), the 15-minute cut at 0.001.
describe('response-streaming scenarios, offline against the example app', () => {
  it('every scenario passes, and the streaming ones record their token timing', async () => {
    const r = await runScenarios(['response-streaming']);
    expect({ code: r.code, stderr: r.stderr }, r.stdout).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/\n5 passed, 0 failed, 0 skipped\n/);
    expect(r.stdout.match(/\n1 passed, 0 failed, 0 skipped\n/g)).toHaveLength(2);
  }, 90_000);
});
