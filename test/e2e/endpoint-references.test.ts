import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startEmulator, silentLog } from '../../emulator/index.ts';

const baseDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const options = { port: 0, timeScale: 0.01, log: silentLog, baseDir };

// A deployment template passes an API's URL to a function as `!GetAtt`; the emulator's config says
// `{"endpoint": "<endpoints-file field>"}` and the handler reads a plain variable, unmodified.
describe('functions: {endpoint} environment references', () => {
  it('resolves to the endpoints file\'s values once the APIs listen', async () => {
    const emu = await startEmulator(
      {
        functions: {
          env: { handler: 'handlers/env.handler', environment: { SELF_URL: { endpoint: 'httpApis.api' }, BEDROCK_URL: { endpoint: 'bedrock' }, PLAIN: 'as written' } },
        },
        httpApis: { api: { routes: { 'GET /env': 'env' } } },
      },
      options,
    );
    try {
      const res = await fetch(`${emu.endpoints.httpApis.api}/env?SELF_URL&BEDROCK_URL&PLAIN`);
      expect(await res.json()).toEqual({ SELF_URL: emu.endpoints.httpApis.api, BEDROCK_URL: emu.endpoints.bedrock, PLAIN: 'as written' });
    } finally {
      await emu.close();
    }
  });

  it('refuses to start when a reference names nothing served, naming the function, variable and path', async () => {
    const start = startEmulator(
      {
        functions: { env: { handler: 'handlers/env.handler', environment: { GRAPHQL_URL: { endpoint: 'appsyncApis.chat.graphqlUrl' } } } },
        httpApis: { api: { routes: { 'GET /env': 'env' } } },
      },
      options,
    );
    await expect(start).rejects.toThrow(
      'Failed to resolve functions\' environment references: env GRAPHQL_URL -> appsyncApis.chat.graphqlUrl. Name a field the endpoints file has, e.g. {"endpoint": "appsyncApis.<name>.graphqlUrl"}.',
    );
  });

  it('rejects a malformed reference at config validation', async () => {
    const start = startEmulator({ functions: { env: { handler: 'handlers/env.handler', environment: { X: { endpoint: 'nowhere' } } } } }, options);
    await expect(start).rejects.toThrow(/functions\.env\.environment\.X/);
  });
});
