import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../emulator/core/config.ts';
import { EmulatorError } from '../../emulator/core/errors.ts';

const fn = { handler: 'handlers/chat.handler' };

function validationMessage(input: unknown): string {
  try {
    validateConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as EmulatorError).code).toBe('ERR_CONFIG_VALIDATION');
    return (error as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('config', () => {
  it('config: applies AWS defaults (3 s function timeout, 128 MB, stage dev, $default)', () => {
    const config = validateConfig({ functions: { chat: fn }, restApis: { a: { routes: { 'POST /chat': 'chat' } } }, httpApis: { b: { routes: { 'POST /chat': 'chat' } } } });
    expect(config.timeScale).toBe(1);
    expect(config.host).toBe('127.0.0.1');
    expect(config.functions.chat).toMatchObject({ timeout: 3, memorySize: 128, environment: {} });
    expect(config.restApis.a!.stage).toBe('dev');
    expect(config.httpApis.b!.stage).toBe('$default');
  });

  it('config: reports every problem with its path in one error', () => {
    const message = validationMessage({
      timeScale: -1,
      functions: { chat: { handler: 'no-export', timeout: 901 } },
      restApis: { a: { routes: { 'FETCH /x': 'chat', 'GET /y': 'missing' } } },
      surprise: true,
    });
    expect(message).toContain('Failed to validate config: ');
    expect(message).toContain('  - timeScale: ');
    expect(message).toContain('  - functions.chat.handler: must be "path/to/file.export"');
    expect(message).toContain('  - functions.chat.timeout: ');
    expect(message).toContain('  - restApis.a.routes["FETCH /x"]: ');
    expect(message).toContain('surprise');
  });

  it('config: names unknown functions and authorizers in routes', () => {
    const message = validationMessage({
      functions: { chat: fn },
      restApis: { a: { routes: { 'GET /y': 'missing', 'GET /z': { function: 'chat', authorizer: 'nope' } } } },
      httpApis: { b: { routes: { $default: 'gone' } } },
    });
    expect(message).toContain('  - restApis.a.routes["GET /y"]: unknown function "missing" (declare it under "functions")');
    expect(message).toContain('  - restApis.a.routes["GET /z"].authorizer: unknown authorizer "nope"');
    expect(message).toContain('  - httpApis.b.routes.$default: unknown function "gone"');
  });

  it('config: a REST integration timeout above 29 s needs the raised quota, never on edge APIs', () => {
    const route = { 'GET /long': { function: 'chat', integrationTimeoutMs: 60_000 } };
    expect(validationMessage({ functions: { chat: fn }, restApis: { a: { routes: route } } })).toContain(
      'restApis.a.routes["GET /long"].integrationTimeoutMs: must be at most 29000 ms; above 29000 ms set "integrationTimeoutQuotaMs"',
    );
    expect(() => validateConfig({ functions: { chat: fn }, restApis: { a: { integrationTimeoutQuotaMs: 120_000, routes: route } } })).not.toThrow();
    expect(validationMessage({ functions: { chat: fn }, restApis: { a: { endpointType: 'EDGE', integrationTimeoutQuotaMs: 120_000, routes: route } } })).toContain(
      'edge-optimized APIs cannot raise the 29 s integration timeout',
    );
  });

  it('config: HTTP API integration timeouts stop at 30 s', () => {
    expect(validationMessage({ functions: { chat: fn }, httpApis: { b: { routes: { 'GET /x': { function: 'chat', integrationTimeoutMs: 30_001 } } } } })).toContain(
      'httpApis.b.routes["GET /x"].integrationTimeoutMs',
    );
  });

  it('config: REST request validation names unknown models with their path', () => {
    const routes = { 'POST /x': { function: 'chat', requestValidator: 'body', requestModels: { 'application/json': 'Nope', 'text/plain': 'Pet', $default: 'Empty' } } };
    const message = validationMessage({ functions: { chat: fn }, restApis: { a: { models: { Pet: { type: 'object' } }, routes } } });
    expect(message).toContain('Failed to validate config: 1 problem.');
    expect(message).toContain('  - restApis.a.routes["POST /x"].requestModels["application/json"]: unknown model "Nope" (declare it under "models"; Empty and Error are built in)');
  });

  it('config: REST models must be alphanumeric JSON Schema draft 4, validators and parameter keys as AWS names them', () => {
    const message = validationMessage({
      functions: { chat: fn },
      restApis: {
        a: {
          models: { Broken: { type: 'nope' }, Later: { $schema: 'http://json-schema.org/draft-07/schema#' }, 'not-alnum': { type: 'object' } },
          routes: { 'GET /y': { function: 'chat', requestValidator: 'everything' }, 'GET /z': { function: 'chat', requestParameters: { 'query.q1': true } } },
        },
      },
    });
    expect(message).toContain('  - restApis.a.models.Broken: is not a JSON Schema draft 4: schema/type must be equal to one of the allowed values');
    expect(message).toContain('  - restApis.a.models.Later: is not a JSON Schema draft 4: no schema with key or ref "http://json-schema.org/draft-07/schema#"');
    expect(message).toContain('  - restApis.a.models["not-alnum"]: ');
    expect(message).toContain('  - restApis.a.routes["GET /y"]: ');
    expect(message).toContain('  - restApis.a.routes["GET /z"]: ');
  });

  it('config: limits can be overridden by name, and unknown names are rejected', () => {
    expect(validateConfig({ limits: { restIntegrationTimeoutMs: 5000 } }).limits.restIntegrationTimeoutMs).toBe(5000);
    expect(validationMessage({ limits: { restTimeout: 5 } })).toContain('limits');
  });
});
