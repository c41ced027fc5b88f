import { describe, expect, it } from 'vitest';
import { defineConfig, defineScenario, type EmulatorConfigInput } from '../../emulator/index.ts';

// The public extension points are typed: `npm run typecheck` fails if these stop holding. Each
// `@ts-expect-error` line must be an error, so a loosened type breaks the build.

const config = defineConfig({
  timeScale: 0.01,
  functions: { chat: { handler: 'chat.handler', timeout: 30, environment: { MODEL: 'x' } } },
  restApis: { api: { routes: { 'POST /chat': 'chat', 'GET /slow': { function: 'chat', integrationTimeoutMs: 10_000 } } } },
  httpApis: { api: { routes: { $default: 'chat' } } },
});

defineConfig({ bedrock: { latency: { timeToFirstTokenMs: 800, tokensPerSecond: 30 }, mock: { seed: 7, outputTokens: 100 } } });
// @ts-expect-error the Bedrock mock's latency is in numbers of ms and tokens
defineConfig({ bedrock: { latency: { timeToFirstTokenMs: '400' } } });
defineConfig({ bedrock: { mode: 'replay', upstream: { recordings: 'fixtures/bedrock-recordings' } } });
// @ts-expect-error the modes are mock, real, record and replay
defineConfig({ bedrock: { mode: 'proxy' } });
// @ts-expect-error unknown top-level keys are rejected
defineConfig({ functions: {}, restApi: {} });
// @ts-expect-error timeout is a number of seconds
defineConfig({ functions: { chat: { handler: 'chat.handler', timeout: '30' } } });
// @ts-expect-error a route names a function or an object with one
defineConfig({ restApis: { api: { routes: { 'POST /chat': { integrationTimeoutMs: 10 } } } } });
// @ts-expect-error authorizer types are AWS's
defineConfig({ restApis: { api: { authorizers: { a: { type: 'JWT', function: 'f' } }, routes: {} } } });

const scenario = defineScenario({
  name: 'typed',
  pattern: 'sync-request-response',
  description: 'a scenario whose context is typed',
  async run({ http, expect: check, mode, timeScale }) {
    const res = await http.request({ api: { kind: 'restApis', name: 'api' }, method: 'POST', path: '/chat', body: { prompt: 'hi' } });
    check.status(res, 200);
    const n: number = res.status + res.emulatedMs + timeScale;
    const m: 'offline' | 'remote' = mode;
    void n;
    void m;
    // @ts-expect-error APIs are named by kind
    await http.request({ api: { kind: 'graphql', name: 'api' }, method: 'GET', path: '/' });
  },
});

describe('public API types', () => {
  it('typings: defineConfig and defineScenario return what they were given', () => {
    const input: EmulatorConfigInput = config;
    expect(input.timeScale).toBe(0.01);
    expect(scenario.name).toBe('typed');
  });
});
