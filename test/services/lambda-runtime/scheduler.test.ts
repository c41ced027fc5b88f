import { describe, expect, it } from 'vitest';
import type { FunctionState, Started } from '../../../emulator/services/lambda-runtime/cold-start.ts';
import type { ExecutionEnvironment } from '../../../emulator/services/lambda-runtime/execution-environment.ts';
import { GROW_AFTER_REAL_MS, POOL_FLOOR, Scheduler, type Grant, type SchedulerTime } from '../../../emulator/services/lambda-runtime/scheduler.ts';

/** Real time driven by hand: `advance` fires the growth timers that fall due. */
function manualTime() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const time: SchedulerTime = {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { cancel: () => void (t.live = false) };
    },
  };
  return {
    time,
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.live && x.at <= now)) {
        t.live = false;
        t.fn();
      }
    },
  };
}

type FakeEnv = ExecutionEnvironment & { id: string };

function setup(floor = POOL_FLOOR) {
  const clock = manualTime();
  const fn: FunctionState = { name: 'f', config: {} as FunctionState['config'], arn: 'arn', idle: [], live: new Set() };
  const starts: Array<{ requestId: string; finish(): void }> = [];
  let seq = 0;
  const scheduler = new Scheduler(
    (f, requestId) =>
      new Promise<Started>((resolve) => {
        const env = { id: `env-${++seq}`, busySince: undefined, dead: false } as unknown as FakeEnv;
        f.live.add(env);
        starts.push({ requestId, finish: () => resolve({ kind: 'ready', env }) });
      }),
    clock.time,
  );
  /** What the runtime does with a granted environment: mark it busy from now. */
  const run = (grant: Grant) => {
    const env = grant.kind === 'warm' ? grant.env : grant.kind === 'cold' && grant.started.kind === 'ready' ? grant.started.env : undefined;
    if (env) (env as { busySince: number | undefined }).busySince = clock.time.now();
    return env as FakeEnv | undefined;
  };
  const done = (env: FakeEnv) => {
    (env as { busySince: number | undefined }).busySince = undefined;
    scheduler.release(fn, env);
  };
  return { clock, fn, starts, scheduler, run, done, floor };
}

describe('Lambda environment scheduler', () => {
  it('scheduler: the first invocation of a function starts an environment (cold start)', async () => {
    const { scheduler, fn, starts, run } = setup();
    const grant = scheduler.acquire(fn, 'r1');
    expect(starts.map((s) => s.requestId)).toEqual(['r1']);
    starts[0]!.finish();
    expect(run(await grant)?.id).toBe('env-1');
  });

  it('scheduler: a warm idle environment is reused, most recently used first', async () => {
    const { scheduler, fn, starts, run, done } = setup();
    const first = scheduler.acquire(fn, 'r1');
    starts[0]!.finish();
    const env = run(await first)!;
    done(env);
    const again = scheduler.acquire(fn, 'r2');
    expect(again).toEqual({ kind: 'warm', env });
    expect(starts).toHaveLength(1);
  });

  it('scheduler: a burst of instant invocations shares the warm environments instead of starting one each', async () => {
    const { scheduler, fn, starts, run, done, clock } = setup();
    const first = scheduler.acquire(fn, 'r0');
    starts[0]!.finish();
    const env = run(await first)!;
    // Queue pressure starts environments up to the floor (one per core), and no more.
    const waiting = Array.from({ length: GROW_AFTER_REAL_MS * 4 }, (_, i) => scheduler.acquire(fn, `r${i + 1}`));
    expect(starts).toHaveLength(POOL_FLOOR);
    // The busy environment finishes every millisecond: waiters take it over in order, for longer
    // than the growth threshold, and no further environment starts.
    const startedFor = new Set(starts.map((st) => st.requestId));
    const queued = waiting.filter((_, i) => !startedFor.has(`r${i + 1}`)) as Array<Promise<Grant>>;
    for (let i = 0; i < GROW_AFTER_REAL_MS * 2; i++) {
      clock.advance(1);
      done(env);
      expect(run(await queued[i]!)).toBe(env);
    }
    expect(starts).toHaveLength(POOL_FLOOR);
  });

  it('scheduler: when every environment is stuck on a long invocation, the longest waiter gets a new one', async () => {
    const { scheduler, fn, starts, run, clock } = setup();
    const first = scheduler.acquire(fn, 'long-1');
    starts[0]!.finish();
    run(await first);
    const second = scheduler.acquire(fn, 'long-2');
    expect(starts).toHaveLength(1);
    clock.advance(GROW_AFTER_REAL_MS - 1);
    expect(starts).toHaveLength(1);
    clock.advance(1);
    expect(starts.map((s) => s.requestId)).toEqual(['long-1', 'long-2']);
    starts[1]!.finish();
    expect((await second).kind).toBe('cold');
  });

  it('scheduler: an environment that goes away with invocations waiting starts a new one at once', () => {
    const { scheduler, fn, starts } = setup();
    void scheduler.acquire(fn, 'r1');
    const env = [...fn.live][0]!;
    void scheduler.acquire(fn, 'r2');
    fn.live.delete(env);
    scheduler.discarded(fn);
    expect(starts.map((s) => s.requestId)).toEqual(['r1', 'r2']);
  });

  it('scheduler: closing hands every waiting invocation a closed grant', async () => {
    const { scheduler, fn, starts } = setup();
    void scheduler.acquire(fn, 'r1');
    starts[0]!.finish();
    const waiting = scheduler.acquire(fn, 'r2');
    scheduler.close();
    expect(await waiting).toEqual({ kind: 'closed' });
  });
});
