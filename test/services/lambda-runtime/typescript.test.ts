import { afterAll, describe, expect, it } from 'vitest';
import { failure, FIXTURES, success, testRuntime } from './helpers.ts';

// Lambda's Node.js runtime has no TypeScript loader. The emulator adds tsx to an environment only when
// its handler is TypeScript, so JavaScript handlers resolve modules exactly as on Lambda.
describe('lambda: TypeScript support loads only for TypeScript handlers', () => {
  const { runtime, log } = testRuntime({
    plain: { handler: 'loaders/plain.handler' },
    extensionless: { handler: 'loaders/extensionless.handler' },
    typed: { handler: 'loaders/typed.handler' },
  });
  afterAll(() => runtime.close());

  it('lambda: an .mjs handler runs in an environment without tsx', async () => {
    expect(success(await runtime.invoke('plain', {}))).toEqual({ typescript: false });
    expect(log.lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });

  it('lambda: an ES module importing a relative path without its extension fails at init with ERR_MODULE_NOT_FOUND, as on Lambda', async () => {
    const error = failure(await runtime.invoke('extensionless', {}));
    expect(error).toMatchObject({
      errorType: 'Error',
      errorMessage: `Cannot find module '${FIXTURES}/loaders/helper' imported from ${FIXTURES}/loaders/extensionless.mjs`,
    });
    expect(error.trace?.[0]).toBe(`Error [ERR_MODULE_NOT_FOUND]: ${error.errorMessage}`);
  });

  it('lambda: a .ts handler gets tsx in its own environment, and its imports of other .ts files load', async () => {
    expect(success(await runtime.invoke('typed', {}))).toEqual({ typescript: true, from: 'typed.ts' });
    // The JavaScript handler's warm environment is unaffected.
    expect(success(await runtime.invoke('plain', {}))).toEqual({ typescript: false });
  });
});
