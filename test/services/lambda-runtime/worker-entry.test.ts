import { afterAll, describe, expect, it, vi } from 'vitest';
import { silentLog } from '../../../emulator/core/log.ts';
import { MAX_PARALLEL_STARTS } from '../../../emulator/services/lambda-runtime/scheduler.ts';
import { TSX_ENTRY } from '../../../emulator/services/lambda-runtime/worker-bundle.ts';
import { success, testRuntime } from './helpers.ts';

type WorkerBundle = typeof import('../../../emulator/services/lambda-runtime/worker-bundle.ts');

// The runtime takes its workers' entry from worker-bundle.ts; each test decides what that returns.
const control = vi.hoisted(() => ({ entry: undefined as unknown as () => URL | Promise<URL> }));
vi.mock('../../../emulator/services/lambda-runtime/worker-bundle.ts', async (importOriginal) => ({
  ...(await importOriginal<WorkerBundle>()),
  workerEntry: () => control.entry(),
}));
const { workerEntry } = await vi.importActual<WorkerBundle>('../../../emulator/services/lambda-runtime/worker-bundle.ts');

describe('lambda: environments when bundling failed', () => {
  const { runtime } = testRuntime({ esm: { handler: 'echo.handler' }, plain: { handler: 'loaders/plain.handler' }, typed: { handler: 'loaders/typed.handler' } });
  afterAll(() => runtime.close());

  it('lambda: the tsx entry runs JavaScript and TypeScript handlers, with tsx active for both as before bundling', async () => {
    control.entry = () => TSX_ENTRY;
    expect(success(await runtime.invoke('esm', { a: 1 }))).toMatchObject({ event: { a: 1 }, count: 1 });
    expect(success(await runtime.invoke('plain', {}))).toEqual({ typescript: true });
    expect(success(await runtime.invoke('typed', {}))).toEqual({ typescript: true, from: 'typed.ts' });
  });
});

describe('lambda: invocations while the runtime is being bundled', () => {
  const { runtime, trace } = testRuntime({ esm: { handler: 'echo.handler' } });
  afterAll(() => runtime.close());

  it('lambda: a burst that arrives before the bundle exists waits for it, then shares environments as usual', async () => {
    let built!: (entry: URL | Promise<URL>) => void;
    control.entry = () => new Promise<URL>((resolve) => (built = resolve));
    const burst = Array.from({ length: 20 }, () => runtime.invoke('esm', {}));
    await Promise.resolve();
    expect(trace.events('lambda.cold-start')).toHaveLength(0);
    built(workerEntry(silentLog));
    for (const outcome of await Promise.all(burst)) expect(success(outcome)).toMatchObject({ event: {} });
    // Not one environment per invocation: the scheduler's own limit on parallel starts holds.
    expect(trace.events('lambda.cold-start').length).toBeLessThanOrEqual(MAX_PARALLEL_STARTS);
  });
});
