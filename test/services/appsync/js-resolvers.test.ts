import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

// APPSYNC_JS unit resolvers over real HTTP, real Lambda workers, the Bedrock mock in-process; manual time.
const clock = new ManualClock();
let emulator: RunningEmulator;
let url: string;
let apiKey: string;

const js = (code: string, dataSource = 'NONE') => ({ dataSource, code: `appsync/js/resolvers/${code}` });

beforeAll(async () => {
  emulator = await startEmulator(
    {
      functions: { greeter: { handler: 'appsync/js/handlers.hello' } },
      bedrock: { enabled: false },
      appsyncApis: {
        js: {
          schema: 'appsync/js/schema.graphql',
          dataSources: { greeter: { type: 'AWS_LAMBDA', function: 'greeter' }, local: { type: 'NONE' } },
          resolvers: {
            'Query.echo': js('echo.js', 'local'),
            'Query.hello': js('hello.ts', 'greeter'),
            'Query.helloEvent': js('hello-event.js', 'greeter'),
            'Query.fail': js('fail.js'),
            'Mutation.createTicket': { dataSource: 'NONE' },
          },
        },
      },
    },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  ({ graphqlUrl: url, apiKey } = emulator.endpoints.appsyncApis!.js! as { graphqlUrl: string; apiKey: string });
});
afterAll(() => emulator.close());

const gql = (query: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  post(url, JSON.stringify({ query, variables: null }), { 'content-type': 'application/json', 'x-api-key': apiKey, ...headers });

describe('AppSync APPSYNC_JS unit resolvers', () => {
  it('APPSYNC_JS: a NONE resolver runs request and response with ctx, stash and util on the emulated clock', async () => {
    const res = await gql('{ echo(text: "a b&c~") }', { 'x-test': 'yes' });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { data: { echo: string } };
    const echo = JSON.parse(body.data.echo) as Record<string, unknown>;
    expect(echo.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    delete echo.id;
    const now = clock.now();
    expect(echo).toEqual({
      text: 'a b&c~',
      now: new Date(now).toISOString(),
      seconds: Math.floor(now / 1000),
      formatted: '2026-01-01T01:00',
      b64: Buffer.from('a b&c~').toString('base64'),
      url: 'a+b%26c%7E',
      missing: 'default',
      host: 'yes',
      field: 'Query.echo',
      stash: { seen: true },
      error: null,
    });
  });

  it('APPSYNC_JS: an AWS_LAMBDA data source gets the request payload; its result is ctx.result (TypeScript code)', async () => {
    const res = await gql('{ hello(name: "Ada") }');
    expect(res.body).toBe('{"data":{"hello":"Hello, Ada!"}}');
    const ds = emulator.trace.events('appsync.datasource').at(-1)!;
    expect(ds).toMatchObject({ api: 'js', field: 'Query.hello', dataSource: 'greeter', outcome: 'success' });
    const invoke = emulator.trace.events('appsync.resolver').at(-1)!;
    expect(invoke).toMatchObject({ field: 'Query.hello', functionName: 'greeter', outcome: 'success' });
  });

  it('APPSYNC_JS: a Lambda error reaches ctx.error as Lambda:Unhandled, and util.error re-raises it', async () => {
    const res = await gql('{ hello(name: "nobody") }');
    expect(res.body).toBe('{"data":{"hello":null},"errors":[{"path":["hello"],"data":null,"errorType":"Lambda:Unhandled","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"No one to greet"}]}');
    expect(emulator.trace.events('appsync.datasource').at(-1)!.outcome).toBe('error');
  });

  it('APPSYNC_JS: invocationType Event does not wait for the function; ctx.result is null', async () => {
    const res = await gql('{ helloEvent(name: "Bob") }');
    expect(res.body).toBe('{"data":{"helloEvent":"queued (result: null)"}}');
    expect(emulator.trace.events('appsync.datasource').at(-1)!.outcome).toBe('event');
    await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'greeter');
  });

  it('APPSYNC_JS: util.error gives the field null with errorType, data and errorInfo', async () => {
    const res = await gql('{ fail(kind: "error") }');
    expect(res.body).toBe('{"data":{"fail":null},"errors":[{"path":["fail"],"data":{"id":"t-1"},"errorType":"Conflict","errorInfo":{"hint":"reopen it"},"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Ticket is closed"}]}');
  });

  it('APPSYNC_JS: util.error without a type gives errorType null', async () => {
    const res = await gql('{ fail(kind: "error-bare") }');
    expect(res.body).toBe('{"data":{"fail":null},"errors":[{"path":["fail"],"data":null,"errorType":null,"errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Something went wrong"}]}');
  });

  it('APPSYNC_JS: util.unauthorized gives Unauthorized with AppSync\'s message', async () => {
    const res = await gql('{ fail(kind: "unauthorized") }');
    expect(res.body).toBe('{"data":{"fail":null},"errors":[{"path":["fail"],"data":null,"errorType":"Unauthorized","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Not Authorized to access fail on type Query"}]}');
  });

  it('APPSYNC_JS: an error the code throws itself is errorType Code with its name and message', async () => {
    const res = await gql('{ fail(kind: "throw") }');
    expect(res.body).toBe('{"data":{"fail":null},"errors":[{"path":["fail"],"data":null,"errorType":"Code","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"TypeError: Cannot read properties of undefined (reading \'here\')"}]}');
  });

  it('APPSYNC_JS: code that never returns fails its field after 1 s of CPU, and the emulator keeps serving', async () => {
    const res = await gql('{ fail(kind: "spin") }');
    expect(res.body).toBe('{"data":{"fail":null},"errors":[{"path":["fail"],"data":null,"errorType":"Code","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Error: request() ran more than 1000 ms of CPU"}]}');
    expect((await gql('{ fail(kind: "early") }')).body).toBe('{"data":{"fail":"returned early"}}');
  });

  it('APPSYNC_JS: a util AppSync has and the emulator does not fails the field naming it', async () => {
    const res = await gql('{ fail(kind: "not-emulated") }');
    const body = JSON.parse(res.body) as { errors: Array<{ errorType: string; message: string }> };
    expect(body.errors[0]).toMatchObject({ errorType: 'Code', message: 'NotEmulatedError: Failed to run util.dynamodb: genai-offline does not emulate it yet. Use another utility or open an issue.' });
  });

  it('APPSYNC_JS: runtime.earlyReturn in request skips the data source and response', async () => {
    const before = emulator.trace.events('appsync.datasource').length;
    const res = await gql('{ fail(kind: "early") }');
    expect(res.body).toBe('{"data":{"fail":"returned early"}}');
    expect(emulator.trace.events('appsync.datasource').length).toBe(before);
  });

  it('APPSYNC_JS: util.appendError adds an error entry and keeps the field\'s value', async () => {
    const res = await gql('{ fail(kind: "append") }');
    expect(res.body).toBe('{"data":{"fail":"response ran: append"},"errors":[{"path":["fail"],"data":{"n":1},"errorType":"Warning","errorInfo":null,"locations":[{"line":1,"column":3,"sourceName":null}],"message":"Partial result"}]}');
  });

  it('APPSYNC_JS: the short forms still work beside code resolvers (NONE answers its arguments)', async () => {
    const res = await gql('mutation { createTicket(id: "t1", severity: 2) { id severity } }');
    expect(res.body).toBe('{"data":{"createTicket":{"id":"t1","severity":2}}}');
  });
});
