import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { EmulatorError } from '../../../emulator/core/errors.ts';
import { resolveLimits } from '../../../emulator/core/limits.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import type { ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { createAppSyncApi } from '../../../emulator/services/appsync/router.ts';
import { FakeLambda } from '../../support/fake-lambda.ts';
import { FIXTURES } from './support.ts';

function deps(): ServiceDeps {
  const clock = new ManualClock();
  return { clock, trace: new Trace(clock), log: memoryLog(), limits: resolveLimits(), lambda: new FakeLambda(clock, { greeter: () => null }), region: 'us-east-1', accountId: '123456789012' };
}

function configError(input: Record<string, unknown>): string {
  const options = appsyncApiOptionsSchema.parse({ schema: 'appsync/js/schema.graphql', ...input });
  try {
    createAppSyncApi('js', options, deps(), { baseDir: FIXTURES }).shutdown();
  } catch (error) {
    expect(error).toBeInstanceOf(EmulatorError);
    expect((error as EmulatorError).code).toBe('ERR_CONFIG_VALIDATION');
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

const code = (file: string) => `appsync/js/resolvers/${file}`;
const path = (file: string) => `${FIXTURES}appsync/js/resolvers/${file}`;

describe('AppSync APPSYNC_JS resolver configuration', () => {
  it('config: the schema accepts the short forms, code resolvers and dataSources; code must be .js, .mjs or .ts', () => {
    const parsed = appsyncApiOptionsSchema.parse({
      schema: 's.graphql',
      dataSources: { fn: { type: 'AWS_LAMBDA', function: 'greeter' }, ai: { type: 'AMAZON_BEDROCK_RUNTIME' }, local: { type: 'NONE' } },
      resolvers: { 'Query.a': { function: 'greeter' }, 'Query.b': { dataSource: 'NONE' }, 'Query.c': { dataSource: 'fn', code: 'r/c.ts' } },
    });
    expect(parsed.resolvers['Query.c']).toEqual({ dataSource: 'fn', code: 'r/c.ts' });
    const bad = appsyncApiOptionsSchema.safeParse({ schema: 's.graphql', resolvers: { 'Query.c': { dataSource: 'fn', code: 'r/c.py' } } });
    expect(bad.success).toBe(false);
    const badSource = appsyncApiOptionsSchema.safeParse({ schema: 's.graphql', dataSources: { 'my-source': { type: 'NONE' } } });
    expect(badSource.error?.issues[0]).toMatchObject({ code: 'invalid_key', path: ['dataSources', 'my-source'] });
  });

  it('config: every problem of the code resolvers is reported at once, each with its path', () => {
    // Written here, not kept as a fixture: the linter would reject it.
    const badSyntax = join(mkdtempSync(join(tmpdir(), 'appsync-js-')), 'bad-syntax.js');
    writeFileSync(badSyntax, 'export function request(ctx) {\n  return { payload: ctx.args\n}\n');
    const message = configError({
      dataSources: { ai: { type: 'AMAZON_BEDROCK_RUNTIME' }, ghost: { type: 'AWS_LAMBDA', function: 'nope' }, greeter: { type: 'AWS_LAMBDA', function: 'greeter' } },
      resolvers: {
        'Query.echo': { dataSource: 'missing', code: code('echo.js') },
        'Query.hello': { dataSource: 'NONE', code: code('no-response.js') },
        'Query.helloEvent': { dataSource: 'NONE', code: badSyntax },
        'Query.fail': { dataSource: 'NONE', code: code('node-import.js') },
        'Query.ask': { dataSource: 'NONE', code: code('does-not-exist.js') },
        'Subscription.onSevere': { dataSource: 'greeter', code: code('on-severe.js') },
      },
    });
    expect(message).toBe(
      'Failed to load the resolvers of AppSync API "js": ' +
        [
          'appsyncApis.js.dataSources.ai: an AMAZON_BEDROCK_RUNTIME data source needs bedrock.enabled',
          'appsyncApis.js.dataSources.ghost.function: no function named "nope" in functions',
          'appsyncApis.js.resolvers["Query.echo"].dataSource: no data source named "missing" (declare it under dataSources, or use NONE)',
          `appsyncApis.js.resolvers["Query.hello"].code: ${path('no-response.js')}: it exports no response function (a unit resolver needs request and response)`,
          `appsyncApis.js.resolvers["Query.helloEvent"].code: ${badSyntax}: line 4:0: Unexpected end of file`,
          `appsyncApis.js.resolvers["Query.fail"].code: ${path('node-import.js')}: line 1:29: Could not resolve "node:fs"`,
          `appsyncApis.js.resolvers["Query.ask"].code: ${path('does-not-exist.js')}: Could not resolve "${path('does-not-exist.js')}"`,
          'appsyncApis.js.resolvers["Subscription.onSevere"].dataSource: a subscription resolver runs at start with a NONE data source here, not AWS_LAMBDA',
        ].join('; ') +
        '. Fix the paths named.',
    );
  });
});
