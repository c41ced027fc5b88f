import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../emulator/core/config.ts';

const fn = { handler: 'h.handler' };

function message(input: unknown): string {
  try {
    validateConfig(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('config was valid');
}

describe('WebSocket API config', () => {
  it('config: websocketApis applies defaults (stage dev, $request.body.action)', () => {
    const config = validateConfig({ functions: { f: fn }, websocketApis: { chat: { routes: { $default: 'f' } } } });
    expect(config.websocketApis.chat).toMatchObject({ stage: 'dev', routeSelectionExpression: '$request.body.action', authorizers: {} });
  });

  it('config: names unknown functions and authorizers, and authorizers off $connect', () => {
    const text = message({
      functions: { f: fn },
      websocketApis: {
        chat: {
          authorizers: { a: { type: 'REQUEST', function: 'nofn', identitySource: ['route.request.header.Auth'] } },
          routes: { $connect: { function: 'f', authorizer: 'missing' }, send: { function: 'f', authorizer: 'a' }, $default: 'gone' },
        },
      },
    });
    expect(text).toContain('  - websocketApis.chat.routes.$default: unknown function "gone"');
    expect(text).toContain('  - websocketApis.chat.authorizers.a.function: unknown function "nofn"');
    expect(text).toContain('  - websocketApis.chat.routes.$connect.authorizer: unknown authorizer "missing"');
    expect(text).toContain('  - websocketApis.chat.routes.send.authorizer: authorizers run on $connect only');
  });

  it('config: integration timeouts are 50 ms to 29 s; identity sources use route.request.*', () => {
    expect(message({ functions: { f: fn }, websocketApis: { c: { integrationTimeoutMs: 30_000, routes: { $default: 'f' } } } })).toContain('websocketApis.c.integrationTimeoutMs');
    expect(message({ functions: { f: fn }, websocketApis: { c: { routes: { $default: { function: 'f', integrationTimeoutMs: 10 } } } } })).toContain('integrationTimeoutMs');
    expect(message({ functions: { f: fn }, websocketApis: { c: { authorizers: { a: { type: 'REQUEST', function: 'f', identitySource: ['$request.header.Auth'] } }, routes: { $default: 'f' } } } })).toContain('identity sources are route.request.header');
  });
});
