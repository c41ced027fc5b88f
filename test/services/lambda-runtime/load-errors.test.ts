import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failure, FIXTURES, testRuntime } from './helpers.ts';

const LOADER = path.resolve(FIXTURES, '../../../emulator/services/lambda-runtime/worker/load-handler.ts');

describe('lambda: handler loading errors (Lambda Node.js 20 runtime wording)', () => {
  const { runtime, trace } = testRuntime({
    missingModule: { handler: 'nope.handler' },
    missingDepCjs: { handler: 'load-errors/missing-dep-cjs.handler' },
    missingDepEsm: { handler: 'load-errors/missing-dep-esm.handler' },
    notExported: { handler: 'echo.missing' },
    notAFunction: { handler: 'echo.notAFunction' },
    relative: { handler: '../echo.handler' },
    badHandler: { handler: 'handler-without-dot' },
    initThrows: { handler: 'load-errors/init-throws.handler' },
    initExit: { handler: 'load-errors/init-exit.handler' },
  });
  afterAll(() => runtime.close());

  it('lambda: a module that does not exist fails with Runtime.ImportModuleError', async () => {
    const error = failure(await runtime.invoke('missingModule', {}));
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toBe(`Error: Cannot find module 'nope'\nRequire stack:\n- ${LOADER}`);
    expect(error.trace?.slice(0, 3)).toEqual(["Runtime.ImportModuleError: Error: Cannot find module 'nope'", 'Require stack:', `- ${LOADER}`]);
  });

  it('lambda: a CommonJS handler requiring a missing package fails with Runtime.ImportModuleError', async () => {
    const error = failure(await runtime.invoke('missingDepCjs', {}));
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage).toBe(
      `Error: Cannot find module 'definitely-not-installed'\nRequire stack:\n- ${FIXTURES}/load-errors/missing-dep-cjs.cjs\n- ${LOADER}`,
    );
  });

  it('lambda: an ES module importing a missing package fails with a plain Error (ERR_MODULE_NOT_FOUND), as on Lambda', async () => {
    const error = failure(await runtime.invoke('missingDepEsm', {}));
    expect(error.errorType).toBe('Error');
    expect(error.errorMessage).toBe(`Cannot find package 'definitely-not-installed' imported from ${FIXTURES}/load-errors/missing-dep-esm.mjs`);
    expect(error.trace?.[0]).toBe(`Error [ERR_MODULE_NOT_FOUND]: ${error.errorMessage}`);
  });

  it('lambda: a handler name that is not exported fails with Runtime.HandlerNotFound', async () => {
    expect(failure(await runtime.invoke('notExported', {}))).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'echo.missing is undefined or not exported' });
    expect(failure(await runtime.invoke('notAFunction', {}))).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'echo.notAFunction is not a function' });
  });

  it('lambda: a handler name with .. or without a dot fails with Runtime.MalformedHandlerName', async () => {
    expect(failure(await runtime.invoke('relative', {}))).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: "'../echo.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    });
    expect(failure(await runtime.invoke('badHandler', {}))).toMatchObject({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler' });
  });

  it('lambda: a module that throws at load fails the invoke with that error, and the next invoke retries init', async () => {
    const first = failure(await runtime.invoke('initThrows', {}));
    expect(first).toMatchObject({ errorType: 'Error', errorMessage: 'init failed' });
    expect(first.trace?.[0]).toBe('Error: init failed');
    expect(failure(await runtime.invoke('initThrows', {}))).toMatchObject({ errorType: 'Error', errorMessage: 'init failed' });
    expect(trace.events('lambda.cold-start').filter((e) => e.functionName === 'initThrows')).toHaveLength(2);
    const logged = trace.events('lambda.log').find((e) => e.functionName === 'initThrows');
    expect(logged?.text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"init failed","stack":\["Error: init failed",/);
  });

  it('lambda: a module that calls process.exit at load fails with Runtime.ExitError', async () => {
    const outcome = await runtime.invoke('initExit', {}, { requestId: 'exit-at-init' });
    expect(failure(outcome)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: 'RequestId: exit-at-init Error: Runtime exited with error: exit status 3' });
  });
});

describe('lambda: syntax errors in handler code', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'genai-offline-syntax-'));
  writeFileSync(path.join(dir, 'esm.mjs'), 'export const handler = async () => {\n  return 1 +;\n};\n');
  writeFileSync(path.join(dir, 'cjs.cjs'), 'exports.handler = () => {{;\n');
  writeFileSync(path.join(dir, 'typed.ts'), "export const handler = async (): Promise<string> => 'unterminated;\n");
  const { runtime } = testRuntime(
    { esm: { handler: 'esm.handler' }, cjs: { handler: 'cjs.handler' }, ts: { handler: 'typed.handler' } },
    { baseDir: dir },
  );
  afterAll(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lambda: an ESM syntax error fails with Runtime.UserCodeSyntaxError', async () => {
    const error = failure(await runtime.invoke('esm', {}));
    expect(error).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: "SyntaxError: Unexpected token ';'" });
    expect(error.trace?.[0]).toBe("Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token ';'");
  });

  it('lambda: a CommonJS syntax error fails with Runtime.UserCodeSyntaxError', async () => {
    expect(failure(await runtime.invoke('cjs', {}))).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: 'SyntaxError: Unexpected end of input' });
  });

  it('lambda: a TypeScript syntax error fails with Runtime.UserCodeSyntaxError', async () => {
    const error = failure(await runtime.invoke('ts', {}));
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(/^SyntaxError: Transform failed with 1 error:\n.*typed\.ts:1:\d+: ERROR: Unterminated string literal$/);
  });
});

describe('lambda: the init phase limit', () => {
  // 1.5 s of real time stands in for Lambda's 10 s, to keep the test short.
  const { runtime, log, trace } = testRuntime({ hangs: { handler: 'load-errors/init-hangs.handler', timeout: 7 } }, { limits: { lambdaInitTimeoutMs: 1_500 } });
  afterAll(() => runtime.close());

  it('lambda: an init that runs past the limit fails the invoke with Sandbox.Timedout and warns', async () => {
    const outcome = await runtime.invoke('hangs', {}, { requestId: 'init-hang' });
    expect(failure(outcome)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: init-hang Error: Task timed out after 7.00 seconds' });
    expect(trace.events('lambda.cold-start')[0]!.initRealMs).toBeGreaterThanOrEqual(1_500);
    expect(trace.events('lambda.invoke.end')).toMatchObject([{ requestId: 'init-hang', outcome: 'timeout' }]);
    expect(log.lines).toContainEqual({
      level: 'warn',
      message: "Failed to initialise hangs: its init phase ran past Lambda's 1500 ms limit. Move slow work out of module scope or into the handler.",
    });
  });
});
