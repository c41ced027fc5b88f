import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, HOST, makeRealtimeApi, startMessage, type RealtimeClient, type RealtimeTestApi } from './realtime-support.ts';

afterEach(closeAll);

const SUB = 'subscription S { onChunk { conversationId seq } }';
const UNSUPPORTED = '{"type":"error","payload":{"errors":[{"errorType":"UnsupportedOperation","message":"unknown not supported through the realtime channel"}]}}';

/** The connection still registers subscriptions, and a new connection is still accepted. */
async function stillServes(t: RealtimeTestApi, client: RealtimeClient): Promise<void> {
  expect(await client.start('after', SUB)).toBe('{"type":"start_ack","id":"after"}');
  expect(await (await t.ready()).start('fresh', SUB)).toBe('{"type":"start_ack","id":"fresh"}');
}

describe('AppSync real-time: no frame can break the server', () => {
  it('AppSync real-time: a non-JSON frame gets UnsupportedOperation', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send('{"type":');
    expect(await client.next()).toBe(UNSUPPORTED);
    await stillServes(t, client);
  });

  it('AppSync real-time: an unknown type, a JSON array and a binary frame get UnsupportedOperation', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send('{"type":"subscribe","id":"x"}');
    expect(await client.next()).toBe('{"type":"error","id":"x","payload":{"errors":[{"errorType":"UnsupportedOperation","message":"unknown not supported through the realtime channel"}]}}');
    client.send('[1,2]');
    expect(await client.next()).toBe(UNSUPPORTED);
    client.send(Buffer.from([1, 2, 3]));
    expect(await client.next()).toBe(UNSUPPORTED);
    await stillServes(t, client);
  });

  it('AppSync real-time: a start with a syntax error gets the /graphql syntax entry', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    expect(await client.start('bad', 'subscription { onChunk { seq }')).toBe(
      '{"type":"error","id":"bad","payload":{"errors":[{"path":null,"locations":[{"line":1,"column":31,"sourceName":null}],"message":"Invalid Syntax : offending token \'<EOF>\' at line 1 column 31"}]}}',
    );
    await stillServes(t, client);
  });

  it('AppSync real-time: a start naming an unknown field gets graphql-java\'s FieldUndefined', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    expect(await client.start('v', 'subscription { onChunk { nope } }')).toBe(
      '{"type":"error","id":"v","payload":{"errors":[{"path":null,"locations":[{"line":1,"column":26,"sourceName":null}],"message":"Validation error of type FieldUndefined: Field \'nope\' in type \'Chunk\' is undefined @ \'onChunk/nope\'"}]}}',
    );
    await stillServes(t, client);
  });

  it('AppSync real-time: a wrong or missing API key in extensions.authorization gets UnauthorizedException', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send(startMessage('k', SUB, {}, 'da2-wrong'));
    expect(await client.next()).toBe('{"type":"error","id":"k","payload":{"errors":[{"errorType":"UnauthorizedException","message":"You are not authorized to make this call."}]}}');
    client.send(JSON.stringify({ id: 'k2', type: 'start', payload: { data: JSON.stringify({ query: SUB }) } }));
    expect(JSON.parse(await client.next())).toMatchObject({ id: 'k2', type: 'error', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
    await stillServes(t, client);
  });

  it('AppSync real-time: a query or a mutation where a subscription belongs gets UnsupportedOperation', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    expect(await client.start('q', '{ ping }')).toBe('{"type":"error","id":"q","payload":{"errors":[{"errorType":"UnsupportedOperation","message":"query not supported through the realtime channel"}]}}');
    expect(await client.start('m', 'mutation { rename(conversationId: "c", text: "t") { seq } }')).toBe(
      '{"type":"error","id":"m","payload":{"errors":[{"errorType":"UnsupportedOperation","message":"mutation not supported through the realtime channel"}]}}',
    );
    expect(await client.start('two', 'subscription A { onChunk { seq } } subscription B { onChunk { seq } }')).toBe(
      '{"type":"error","id":"two","payload":{"errors":[{"errorType":"UnsupportedOperation","message":"unknown not supported through the realtime channel"}]}}',
    );
    expect(t.trace.events('appsync.subscribe')).toEqual([]);
    await stillServes(t, client);
  });

  it('AppSync real-time: a start whose payload.data is not a JSON string of {query}, or without an id, gets BadRequestException', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    const authorization = { 'x-api-key': 'da2-realtimetestkey0000000000', host: HOST };
    const bad = '{"type":"error","id":"d","payload":{"errors":[{"errorType":"BadRequestException","message":"The start message needs payload.data, a JSON string of {\\"query\\", \\"variables\\"}."}]}}';
    for (const data of [{ query: SUB }, 'not json', '{"variables":{}}', undefined]) {
      client.send(JSON.stringify({ id: 'd', type: 'start', payload: { data, extensions: { authorization } } }));
      expect(await client.next()).toBe(bad);
    }
    client.send(JSON.stringify({ type: 'start', payload: { data: JSON.stringify({ query: SUB }), extensions: { authorization } } }));
    expect(await client.next()).toBe(bad.replace(',"id":"d"', ''));
    await stillServes(t, client);
  });

  it('AppSync real-time: a variable of the wrong type gets the /graphql variable entry', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    const answer = JSON.parse(await client.start('var', 'subscription S($seq: Int) { onChunk(seq: $seq) { seq } }', { seq: 'x' })) as { payload: { errors: Array<{ message: string }> } };
    expect(answer).toMatchObject({ type: 'error', id: 'var' });
    expect(answer.payload.errors[0]!.message).toMatch(/^Variable "\$seq" got invalid value "x"/);
    await stillServes(t, client);
  });

  it('AppSync real-time: a duplicate subscription id gets DuplicatedOperationError; the first stays live', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    expect(await client.start('dup', SUB)).toBe('{"type":"start_ack","id":"dup"}');
    expect(await client.start('dup', SUB)).toBe('{"type":"error","id":"dup","payload":{"errors":[{"errorType":"DuplicatedOperationError","message":"Duplicate subscription ID: dup"}]}}');
    await t.mutate('mutation { publishChunk(conversationId: "c", seq: 1, text: "t") { conversationId seq } }');
    expect(await client.next()).toBe('{"type":"data","id":"dup","payload":{"data":{"onChunk":{"conversationId":"c","seq":1}}}}');
    await stillServes(t, client);
  });

  it('AppSync real-time: a message over 240 KB gets LimitExceededError and the connection stays open', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    const big = JSON.stringify({ type: 'start', id: 'big', payload: { data: 'x'.repeat(245_760) } });
    client.send(big);
    expect(await client.next()).toBe(`{"type":"error","payload":{"errors":[{"errorType":"LimitExceededError","message":"Message of ${Buffer.byteLength(big)} bytes exceeds the 245760 bytes limit"}]}}`);
    await stillServes(t, client);
  });

  it('AppSync real-time: the 101st subscription gets MaxSubscriptionsReachedError; a stop makes room', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    for (let i = 0; i < 100; i++) client.send(startMessage(`s${i}`, SUB));
    for (let i = 0; i < 100; i++) expect(await client.next()).toBe(`{"type":"start_ack","id":"s${i}"}`);
    expect(await client.start('s100', SUB)).toBe('{"type":"error","id":"s100","payload":{"errors":[{"errorType":"MaxSubscriptionsReachedError","message":"Max number of 100 subscriptions reached"}]}}');
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncSubscriptionsPerConnection' }]);
    client.send('{"type":"stop","id":"s0"}');
    expect(await client.next()).toBe('{"type":"complete","id":"s0"}');
    expect(await client.start('s100', SUB)).toBe('{"type":"start_ack","id":"s100"}');
    // The limit is per connection.
    expect(await (await t.ready()).start('other', SUB)).toBe('{"type":"start_ack","id":"other"}');
  });

  it('AppSync real-time: a second connection_init is ignored', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    client.send('{"type":"connection_init"}');
    expect(await client.start('1', SUB)).toBe('{"type":"start_ack","id":"1"}');
  });
});
