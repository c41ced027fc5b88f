import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../../emulator/services/lambda-runtime/env-vars.ts';
import { failure, REGION, success, testRuntime } from './helpers.ts';

// Handlers outside the project, with no node_modules anywhere above them: as deployed without bundling.
const dir = mkdtempSync(path.join(tmpdir(), 'genai-offline-sdk-'));
const body = (extra = '') => `
  const client = new BedrockRuntimeClient();
  const credentials = await client.config.credentials();
  return { region: await client.config.region(), ...credentials${extra} };`;
writeFileSync(path.join(dir, 'esm.mjs'), `import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nexport const handler = async () => {${body()}\n};\n`);
writeFileSync(
  path.join(dir, 'cjs.cjs'),
  `const { BedrockRuntimeClient } = require('@aws-sdk/client-bedrock-runtime');\nexports.handler = async () => {${body(", resolved: require.resolve('@aws-sdk/client-bedrock-runtime')")}\n};\n`,
);
// tsx registers its loaders after the SDK fallback's, only for TypeScript handlers: both must chain.
writeFileSync(path.join(dir, 'typed.ts'), `import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';\nexport const handler = async (): Promise<unknown> => {${body()}\n};\n`);
writeFileSync(path.join(dir, 'other.mjs'), "import 'zod';\nexport const handler = async () => 'unreachable';\n");

describe('lambda: the AWS SDK v3 is provided, as by Lambda\'s Node.js runtime', () => {
  const { runtime } = testRuntime(
    { esm: { handler: 'esm.handler' }, cjs: { handler: 'cjs.handler' }, typed: { handler: 'typed.handler' }, other: { handler: 'other.handler' } },
    { baseDir: dir },
  );
  afterAll(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expected = { region: REGION, accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey, sessionToken: LOCAL_CREDENTIALS.sessionToken };

  it('lambda: an ES module handler outside the project imports @aws-sdk/client-bedrock-runtime; a no-argument client gets region and credentials from the environment', async () => {
    expect(success(await runtime.invoke('esm', {}))).toMatchObject(expected);
  });

  it('lambda: a CommonJS handler outside the project requires it from the emulator\'s copy', async () => {
    const result = success(await runtime.invoke('cjs', {})) as Record<string, unknown>;
    expect(result).toMatchObject(expected);
    expect(result.resolved).toMatch(/\/node_modules\/@aws-sdk\/client-bedrock-runtime\//);
    expect(String(result.resolved).startsWith(dir)).toBe(false);
  });

  it('lambda: a TypeScript handler outside the project imports it too', async () => {
    expect(success(await runtime.invoke('typed', {}))).toMatchObject(expected);
  });

  it('lambda: other packages of the emulator are not leaked to handler code', async () => {
    expect(failure(await runtime.invoke('other', {}))).toMatchObject({ errorType: 'Error', errorMessage: `Cannot find package 'zod' imported from ${dir}/other.mjs` });
  });
});

describe('lambda: CommonJS handler outside the project, non-SDK package', () => {
  const cjsDir = mkdtempSync(path.join(tmpdir(), 'genai-offline-sdk-cjs-'));
  writeFileSync(path.join(cjsDir, 'other.cjs'), "require('zod');\nexports.handler = async () => 'unreachable';\n");
  const { runtime } = testRuntime({ other: { handler: 'other.handler' } }, { baseDir: cjsDir });
  afterAll(async () => {
    await runtime.close();
    rmSync(cjsDir, { recursive: true, force: true });
  });

  it('lambda: require of a package Lambda does not provide fails with Runtime.ImportModuleError', async () => {
    const error = failure(await runtime.invoke('other', {}));
    expect(error.errorType).toBe('Runtime.ImportModuleError');
    expect(error.errorMessage.startsWith(`Error: Cannot find module 'zod'\nRequire stack:\n- ${cjsDir}/other.cjs`)).toBe(true);
  });
});
