import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLScalarType, isScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../emulator/core/config.ts';
import { EmulatorError } from '../../../emulator/core/errors.ts';
import { createEmulator } from '../../../emulator/emulator.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { defaultApiKey } from '../../../emulator/services/appsync/router.ts';
import { AWS_SCALAR_NAMES } from '../../../emulator/services/appsync/scalars.ts';
import { buildAppSyncSchema, loadAppSyncSchema } from '../../../emulator/services/appsync/schema.ts';
import { FIXTURES } from './support.ts';

const CHAT = join(FIXTURES, 'appsync/chat.graphql');

function loadError(file: string): EmulatorError {
  try {
    loadAppSyncSchema('chat', file);
  } catch (error) {
    expect(error).toBeInstanceOf(EmulatorError);
    return error as EmulatorError;
  }
  throw new Error('expected a schema error');
}

function scalar(name: string): GraphQLScalarType {
  const type = buildAppSyncSchema('type Query { x: String }', 'inline').getType(name);
  if (!isScalarType(type)) throw new Error(`${name} is not a scalar`);
  return type;
}

const accepts = (name: string, value: unknown): boolean => {
  try {
    scalar(name).parseValue(value);
    return true;
  } catch {
    return false;
  }
};

describe('AppSync schema', () => {
  it('AppSync: a schema with AppSync directives and AWS scalars loads without declaring them', () => {
    const schema = buildAppSyncSchema(readFileSync(CHAT, 'utf8'), CHAT);
    expect(schema.getSubscriptionType()?.getFields().onChunk).toBeDefined();
    for (const name of AWS_SCALAR_NAMES) expect(schema.getType(name)).toBeInstanceOf(GraphQLScalarType);
    expect(schema.getDirective('aws_subscribe')?.args.map((a) => `${a.name}: ${String(a.type)}`)).toEqual(['mutations: [String]']);
    expect(AWS_SCALAR_NAMES.size).toBe(9);
  });

  it('AppSync: a schema error names file, line and column at startup', () => {
    const unknown = loadError(join(FIXTURES, 'appsync/unknown-type.graphql'));
    expect(unknown.code).toBe('ERR_CONFIG_VALIDATION');
    expect(unknown.message).toBe(`Failed to load the schema of appsyncApis.chat: ${join(FIXTURES, 'appsync/unknown-type.graphql')}:3:11: Unknown type "Nope". Fix the SDL; AWS scalars and AppSync directives are predefined.`);
    const syntax = loadError(join(FIXTURES, 'appsync/syntax-error.graphql'));
    expect(syntax.message).toContain('syntax-error.graphql:4:1: Syntax Error: Expected Name, found "}".');
    expect(loadError(join(FIXTURES, 'appsync/absent.graphql')).code).toBe('ERR_CONFIG_LOAD');
  });

  it('AppSync: type names starting with AWS are reserved, so a schema cannot redefine an AWS scalar', () => {
    expect(() => buildAppSyncSchema('type Query { x: String }\nscalar AWSDateTime', 'inline')).toThrow('Type name "AWSDateTime" uses the prefix "AWS", which AppSync reserves.');
    expect(() => buildAppSyncSchema('type Query { x: AWSThing }\ntype AWSThing { a: Int }', 'inline')).toThrow('AppSync reserves');
  });

  it('AppSync: AWS scalars validate as the scalars page describes', () => {
    const cases: Array<[string, unknown, boolean]> = [
      ['AWSDate', '1970-01-01', true],
      ['AWSDate', '1970-01-01Z', true],
      ['AWSDate', '1970-01-01-07:00', true],
      ['AWSDate', '1970-13-01', false],
      ['AWSTime', '12:30', true],
      ['AWSTime', '12:30:24.500+05:30:15', true],
      ['AWSTime', '25:00', false],
      ['AWSDateTime', '1970-01-01T12:00:00.000Z', true],
      ['AWSDateTime', '1970-01-01T12:00:00.1234-07:00:30', true],
      ['AWSDateTime', '1970-01-01T12:00:00', false],
      ['AWSDateTime', '1970-01-01', false],
      ['AWSTimestamp', -123, true],
      ['AWSTimestamp', 1.5, false],
      ['AWSTimestamp', '123', false],
      ['AWSEmail', 'ada@example.com', true],
      ['AWSEmail', 'not-an-email', false],
      ['AWSURL', 'https://example.com/a?b=c', true],
      ['AWSURL', 'mailto:ada@example.com', true],
      ['AWSURL', 'example.com', false],
      ['AWSPhone', '+1 555-0100 123', true],
      ['AWSPhone', '555 0100', true],
      ['AWSPhone', 'call me', false],
      ['AWSIPAddress', '10.0.0.1', true],
      ['AWSIPAddress', '2001:db8::/32', true],
      ['AWSIPAddress', '10.0.0.1/33', false],
      ['AWSIPAddress', '300.0.0.1', false],
      ['AWSJSON', '{"a":[1,2]}', true],
      ['AWSJSON', '{bad', false],
    ];
    for (const [name, value, ok] of cases) expect([name, value, accepts(name, value)]).toEqual([name, value, ok]);
  });

  it('AppSync: AWSJSON reaches resolvers parsed and leaves as text', () => {
    const json = scalar('AWSJSON');
    expect(json.parseValue('{"a":1}')).toEqual({ a: 1 });
    expect(json.serialize({ a: 1 })).toBe('{"a":1}');
    expect(json.serialize('{"a":1}')).toBe('{"a":1}');
  });
});

describe('AppSync config', () => {
  it('AppSync: the default API key is da2- plus 26 lowercase letters and digits, stable per API', () => {
    expect(defaultApiKey('chat')).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(defaultApiKey('chat')).toBe(defaultApiKey('chat'));
    expect(defaultApiKey('chat')).not.toBe(defaultApiKey('other'));
  });

  it('AppSync: resolvers must name declared functions and "Type.field" keys', () => {
    const messageOf = (input: unknown): string => {
      try {
        validateConfig(input);
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    expect(messageOf({ appsyncApis: { chat: { schema: 'chat.graphql', resolvers: { 'Mutation.sendMessage': { function: 'missing' } } } } })).toContain('  - appsyncApis.chat.resolvers["Mutation.sendMessage"].function: unknown function "missing" (declare it under "functions")');
    expect(messageOf({ appsyncApis: { chat: { schema: 'chat.graphql', resolvers: { nodot: { dataSource: 'NONE' } } } } })).toContain('  - appsyncApis.chat.resolvers.nodot: ');
    const config = validateConfig({ appsyncApis: { chat: { schema: 'chat.graphql' } } });
    expect(config.appsyncApis.chat).toEqual({ schema: 'chat.graphql', auth: [{ type: 'API_KEY' }], resolvers: {}, dataSources: {} });
  });

  it('AppSync: a resolver on a field the schema lacks fails at startup', async () => {
    const start = createEmulator({ appsyncApis: { chat: { schema: 'appsync/chat.graphql', resolvers: { 'Query.nothing': { dataSource: 'NONE' } } } }, bedrock: { enabled: false } }, { baseDir: FIXTURES, clock: new ManualClock(), log: silentLog });
    await expect(start).rejects.toThrow('Failed to configure appsyncApis.chat.resolvers["Query.nothing"]: the schema has no field Query.nothing. Name an existing "Type.field".');
  });
});
