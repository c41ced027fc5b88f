import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineScenario } from '../../emulator/harness/define.ts';
import { runScenarios } from '../../emulator/harness/runner.ts';
import demo from './fixtures/scenarios/demo/scenario.ts';
import { closedPort, collector, startFakeApi, type FakeApi } from './support/fake-api.ts';

const REST = { kind: 'restApis', name: 'demo' } as const;

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi();
});
afterEach(async () => {
  await api.close();
});

describe('runScenarios (remote, against a node:http server)', () => {
  it('reports passed, failed and skipped scenarios with steps, and never rejects', async () => {
    const results = await runScenarios(demo, { mode: 'remote', endpoints: api.endpoints });

    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['demo-pass', 'passed'],
      ['demo-fail', 'failed'],
      ['demo-offline-only', 'skipped'],
    ]);
    const [pass, fail, skip] = results;
    expect(pass!.steps).toMatchObject([{ name: 'POST /chat', status: 'passed' }]);
    expect(pass!.error).toBeUndefined();
    expect(fail!.error).toMatchObject({ type: 'ScenarioAssertionError', step: 'GET /broken answers 200', expected: 200, actual: 502 });
    expect(fail!.error!.message).toBe(`Expected status 200 from GET ${api.endpoints.restApis.demo}/broken, got 502 with body "{\\"message\\": \\"Internal server error\\"}"`);
    expect(fail!.steps[0]).toMatchObject({ status: 'failed', error: { type: 'ScenarioAssertionError' } });
    expect(skip).toMatchObject({ status: 'skipped', reason: "offline only: needs the emulator's trace", steps: [], realMs: 0 });
    expect(api.seen).toEqual(['POST /dev/chat', 'GET /dev/broken']);
  });

  it('remote runs use time scale 1: emulated time equals real time', async () => {
    const [result] = await runScenarios([demo[0]!], { mode: 'remote', endpoints: api.endpoints, timeScale: 0.01 });
    expect(result!.emulatedMs).toBe(result!.realMs);
    expect(result!.steps[0]!.emulatedMs).toBe(result!.steps[0]!.realMs);
  });

  it('offline: emulated times are real times divided by the time scale', async () => {
    const [result] = await runScenarios([demo[0]!], { mode: 'offline', endpoints: api.endpoints, timeScale: 0.5 });
    expect(result!.emulatedMs).toBeCloseTo(result!.realMs / 0.5, 6);
  });

  it('ends a scenario that outlives its budget, aborting its request, and names the step it was in', async () => {
    const hang = defineScenario({
      name: 'hangs',
      pattern: 'demo',
      description: 'Waits on a request that never answers.',
      budgetSeconds: 0.05,
      async run({ http, step }) {
        await step('GET /hang', () => http.request({ api: REST, method: 'GET', path: '/hang' }));
      },
    });
    const [result] = await runScenarios([hang], { mode: 'remote', endpoints: api.endpoints, minRealBudgetMs: 0 });
    expect(result).toMatchObject({ status: 'failed', error: { type: 'ScenarioTimeoutError', step: 'GET /hang' } });
    expect(result!.error!.message).toBe('Failed to finish within the time budget: 0.05 s emulated (50 ms real). Raise budgetSeconds in the scenario if it needs longer.');
    expect(result!.steps).toMatchObject([{ name: 'GET /hang', status: 'failed', error: { type: 'ScenarioTimeoutError' } }]);
    expect(result!.realMs).toBeGreaterThanOrEqual(49);
  });

  it('scales the default budget by the time scale, with a real-time floor', async () => {
    const hang = defineScenario({
      name: 'hangs',
      pattern: 'demo',
      description: 'Never settles.',
      run: () => new Promise(() => undefined),
    });
    const [result] = await runScenarios([hang], { mode: 'offline', endpoints: api.endpoints, timeScale: 0.001, budgetSeconds: 20, minRealBudgetMs: 5 });
    expect(result!.error!.message).toBe(
      'Failed to finish within the time budget: 20 s emulated (20 ms real at time scale 0.001). Raise budgetSeconds in the scenario if it needs longer.',
    );
    const [floored] = await runScenarios([hang], { mode: 'offline', endpoints: api.endpoints, timeScale: 0.001, budgetSeconds: 1, minRealBudgetMs: 30 });
    expect(floored!.error!.message).toContain('1 s emulated (30 ms real at time scale 0.001)');
  });

  it('catches network errors, unknown APIs, synchronous throws and non-Error throws', async () => {
    const scenario = (name: string, run: () => Promise<void>) => defineScenario({ name, pattern: 'demo', description: name, run });
    const results = await runScenarios(
      [
        scenario('does-nothing', async () => undefined),
        defineScenario({ name: 'no-such-api', pattern: 'demo', description: 'x', run: async ({ http }) => void (await http.request({ api: { kind: 'httpApis', name: 'nope' }, method: 'GET', path: '/' })) }),
        scenario('sync-throw', (() => {
          throw new Error('thrown before any await');
        }) as () => Promise<void>),
        scenario('string-throw', () => Promise.reject('just a string')),
      ],
      { mode: 'remote', endpoints: { restApis: { demo: 'http://127.0.0.1:1/dev' }, httpApis: {} } },
    );
    expect(results[0]!.status).toBe('passed');
    expect(results[1]!.error).toMatchObject({ type: 'EmulatorError' });
    expect(results[1]!.error!.message).toBe('Failed to find the httpApis API "nope" in the endpoints: it is not listed. Known httpApis: (none); add it to the endpoints file.');
    expect(results[2]!.error).toEqual({ type: 'Error', message: 'thrown before any await' });
    expect(results[3]!.error).toEqual({ type: 'string', message: 'just a string' });

    const port = await closedPort();
    const [refused] = await runScenarios([defineScenario({ name: 'refused', pattern: 'demo', description: 'x', run: async ({ http }) => void (await http.request({ api: REST, method: 'GET', path: '/x' })) })], {
      mode: 'remote',
      endpoints: { restApis: { demo: `http://127.0.0.1:${port}/dev` }, httpApis: {} },
    });
    expect(refused!.error!.type).toBe('ScenarioNetworkError');
    expect(refused!.error!.message).toBe(`Failed to GET http://127.0.0.1:${port}/dev/x: connect ECONNREFUSED 127.0.0.1:${port}. Check that the endpoint is up and the endpoints file points at it.`);
  });

  it('a failed step fails the scenario even when the scenario caught the error', async () => {
    const swallow = defineScenario({
      name: 'swallows',
      pattern: 'demo',
      description: 'Catches its own failure.',
      async run({ step, expect }) {
        await step('inner', async () => expect.equal(1, 2, 'one')).catch(() => undefined);
      },
    });
    const [result] = await runScenarios([swallow], { mode: 'remote', endpoints: api.endpoints });
    expect(result).toMatchObject({ status: 'failed', error: { step: 'inner', message: 'Expected one to be 2, got 1' } });
  });

  it('names nested steps by their path, also when they run concurrently', async () => {
    const nested = defineScenario({
      name: 'nested',
      pattern: 'demo',
      description: 'Steps inside steps.',
      async run({ step }) {
        await step('outer', () => Promise.all([step('a', async () => undefined), step('b', async () => undefined)]));
      },
    });
    const [result] = await runScenarios([nested], { mode: 'remote', endpoints: api.endpoints });
    expect(result!.steps.map((s) => s.name)).toEqual(['outer', 'outer › a', 'outer › b']);
  });

  it('writes one progress line per scenario, failures indented, and the summary', async () => {
    const out = collector();
    await runScenarios(demo, { mode: 'remote', endpoints: api.endpoints, progress: out });
    const text = out.text().replace(/\d+ ms real, \d+\.\d s emulated/g, 'T');
    expect(text).toBe(
      [
        '✓ demo-pass  T',
        '✗ demo-fail  T',
        `    [GET /broken answers 200] Expected status 200 from GET ${api.endpoints.restApis.demo}/broken, got 502 with body "{\\"message\\": \\"Internal server error\\"}"`,
        '- demo-offline-only  skipped: offline only: needs the emulator\'s trace',
        '1 passed, 1 failed, 1 skipped',
        '',
      ].join('\n'),
    );
  });

  it('offline duration checks get the real-time slack, remote ones none', async () => {
    const late = defineScenario({
      name: 'late',
      pattern: 'demo',
      description: 'A response 1 s emulated past its range.',
      async run({ expect }) {
        expect.emulatedSeconds({ emulatedMs: 32_500, realMs: 325 } as Parameters<typeof expect.emulatedSeconds>[0], { min: 29, max: 31.5 });
      },
    });
    const [offline] = await runScenarios([late], { mode: 'offline', endpoints: api.endpoints, timeScale: 0.01 });
    const [strict] = await runScenarios([late], { mode: 'offline', endpoints: api.endpoints, timeScale: 0.01, realSlackMs: 0 });
    const [remote] = await runScenarios([late], { mode: 'remote', endpoints: api.endpoints });
    expect([offline!.status, strict!.status, remote!.status]).toEqual(['passed', 'failed', 'failed']);
  });

  it('gives offline scenarios the trace and remote ones none', async () => {
    const seen: Array<[string, boolean]> = [];
    const probe = defineScenario({ name: 'probe', pattern: 'demo', description: 'x', run: async (ctx) => void seen.push([ctx.mode, ctx.trace !== undefined]) });
    const { Trace } = await import('../../emulator/core/trace.ts');
    const { ScaledClock } = await import('../../emulator/core/clock.ts');
    await runScenarios([probe], { mode: 'offline', endpoints: api.endpoints, trace: new Trace(new ScaledClock()) });
    await runScenarios([probe], { mode: 'remote', endpoints: api.endpoints, trace: new Trace(new ScaledClock()) });
    expect(seen).toEqual([['offline', true], ['remote', false]]);
  });
});
