import { afterAll, describe, expect, it } from 'vitest';
import { success, testRuntime } from './helpers.ts';

describe('lambda: handler styles', () => {
  const { runtime } = testRuntime({
    esm: { handler: 'echo.handler' },
    nested: { handler: 'echo.nested.deeper.handler' },
    callback: { handler: 'callback.callback' },
    succeed: { handler: 'callback.succeed' },
    done: { handler: 'callback.done' },
    twice: { handler: 'callback.twice' },
    waits: { handler: 'callback.waitsForTimer' },
    noWait: { handler: 'callback.doesNotWait' },
    sync: { handler: 'callback.returnsValueSync' },
    cjsJs: { handler: 'cjs/index.handler' },
    cjsPromise: { handler: 'cjs/index.promise' },
    cjsExt: { handler: 'legacy.handler' },
    ts: { handler: 'ts/typed.handler' },
    mts: { handler: 'ts/module.handler' },
    cts: { handler: 'ts/common.handler' },
    tsInCjsPackage: { handler: 'ts-cjs/handler.handler' },
  });
  afterAll(() => runtime.close());

  it('lambda: an async ESM handler returns its result as JSON', async () => {
    const outcome = await runtime.invoke('esm', { hello: 'world' }, { requestId: 'req-1' });
    expect(outcome).toEqual({ kind: 'success', requestId: 'req-1', payload: '{"event":{"hello":"world"},"count":1,"requestId":"req-1"}' });
  });

  it('lambda: an invoke without a payload hands the handler {}; a payload JSON cannot express is rejected with 400', async () => {
    expect(success(await runtime.invoke('esm', undefined))).toMatchObject({ event: {} });
    const outcome = await runtime.invoke('esm', { n: 1n });
    expect(outcome.kind === 'rejected' && outcome.error.render()).toEqual({
      status: 400,
      headers: [['content-type', 'application/json'], ['x-amzn-ErrorType', 'InvalidRequestContentException']],
      body: '{"Type":"User","message":"Could not parse request body into json: Do not know how to serialize a BigInt"}',
    });
  });

  it('lambda: a nested export path (file.a.b.handler) resolves', async () => {
    expect(success(await runtime.invoke('nested', {}))).toBe('nested');
  });

  it('lambda: a callback handler answers through callback(null, result)', async () => {
    expect(success(await runtime.invoke('callback', { n: 1 }))).toEqual({ via: 'callback', event: { n: 1 } });
  });

  it('lambda: legacy context.succeed and context.done answer', async () => {
    expect(success(await runtime.invoke('succeed', {}))).toEqual({ via: 'succeed' });
    expect(success(await runtime.invoke('done', {}))).toEqual({ via: 'done' });
  });

  it('lambda: only the first of callback/succeed counts', async () => {
    expect(success(await runtime.invoke('twice', {}))).toBe('first');
  });

  it('lambda: callbackWaitsForEmptyEventLoop (default) holds the response until a pending timer has fired', async () => {
    expect(success(await runtime.invoke('waits', { ms: 2_000 }))).toMatchObject({ fired: true });
  });

  it('lambda: callbackWaitsForEmptyEventLoop = false answers at once', async () => {
    expect(success(await runtime.invoke('noWait', { ms: 60_000 }))).toBe('immediately');
  });

  it('lambda: a sync handler that returns a value without calling back answers null', async () => {
    const outcome = await runtime.invoke('sync', {});
    expect(outcome).toMatchObject({ kind: 'success', payload: 'null' });
  });

  it('lambda: CommonJS .js (package type commonjs) and .cjs handlers load with require', async () => {
    expect(success(await runtime.invoke('cjsJs', {}))).toEqual({ calls: 1, moduleType: 'object', requireType: 'function' });
    expect(success(await runtime.invoke('cjsPromise', {}))).toBe('cjs async');
    expect(success(await runtime.invoke('cjsExt', {}))).toBe('cjs via context.succeed');
  });

  it('lambda: TypeScript handlers (.ts, .mts, .cts, .ts in a commonjs package) load', async () => {
    expect(success(await runtime.invoke('ts', { name: 'ts' }))).toBe('hello ts');
    expect(success(await runtime.invoke('mts', {}))).toBe('from .mts');
    expect(success(await runtime.invoke('cts', {}))).toBe('from .cts');
    expect(success(await runtime.invoke('tsInCjsPackage', {}))).toEqual({ from: 'ts in a commonjs package' });
  });
});
