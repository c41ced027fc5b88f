import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, makeRealtimeApi } from './realtime-support.ts';

afterEach(closeAll);

const PUBLISH = 'mutation P($c: ID!, $s: Int!, $t: String!) { publishChunk(conversationId: $c, seq: $s, text: $t) { conversationId seq author { name } } }';

describe('AppSync real-time: fan-out of @aws_subscribe mutations', () => {
  it('AppSync real-time: an HTTP mutation reaches two subscribers, each with its selection set cut to the mutation\'s, and the argument filter holds', async () => {
    const t = await makeRealtimeApi();
    const a = await t.ready();
    const b = await t.ready();
    // a: filtered to c1, asks for `text`, which the mutation does not select (omitted).
    expect(await a.start('a', 'subscription { onConversation(conversationId: "c1") { conversationId seq text } }')).toBe('{"type":"start_ack","id":"a"}');
    // b: unfiltered, an alias, __typename and a nested selection.
    expect(await b.start('b', 'subscription { chunk: onChunk { __typename n: seq author { name } } }')).toBe('{"type":"start_ack","id":"b"}');
    // c: on a's connection, filtered to c2.
    expect(await a.start('c', 'subscription S($c: ID) { onChunk(conversationId: $c) { seq } }', { c: 'c2' })).toBe('{"type":"start_ack","id":"c"}');

    const response = await t.mutate(PUBLISH, { c: 'c1', s: 1, t: 'hello' });
    expect(JSON.parse(response.body)).toEqual({ data: { publishChunk: { conversationId: 'c1', seq: 1, author: null } } });
    expect(await a.next()).toBe('{"type":"data","id":"a","payload":{"data":{"onConversation":{"conversationId":"c1","seq":1}}}}');
    expect(await b.next()).toBe('{"type":"data","id":"b","payload":{"data":{"chunk":{"__typename":"Chunk","n":1,"author":null}}}}');

    await t.mutate(PUBLISH, { c: 'c2', s: 2, t: 'again' });
    // c's first data is the c2 mutation: the c1 one did not reach it; a's filter kept c2 out.
    expect(await a.next()).toBe('{"type":"data","id":"c","payload":{"data":{"onChunk":{"seq":2}}}}');
    expect(await b.next()).toBe('{"type":"data","id":"b","payload":{"data":{"chunk":{"__typename":"Chunk","n":2,"author":null}}}}');
    expect(a.unread()).toEqual([]);
    expect(t.trace.events('appsync.deliver').map((e) => `${e.subscriptionId}:${e.field}:${e.mutationField}`).sort()).toEqual([
      'a:onConversation:publishChunk',
      'b:onChunk:publishChunk',
      'b:onChunk:publishChunk',
      'c:onChunk:publishChunk',
    ]);
  });

  it('AppSync real-time: a mutation aliased and selected through a fragment publishes under field names', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    await client.start('s', 'subscription { onConversation(conversationId: "x") { conversationId text } }');
    await t.mutate('mutation { renamed: rename(conversationId: "x", text: "new") { ...F } } fragment F on Chunk { conversationId t: text }');
    expect(await client.next()).toBe('{"type":"data","id":"s","payload":{"data":{"onConversation":{"conversationId":"x","text":"new"}}}}');
  });

  it('AppSync real-time: a filter on a field the mutation did not select does not match', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    await client.start('f', 'subscription { onChunk(conversationId: "c1") { seq } }');
    await client.start('all', 'subscription { onChunk { seq } }');
    await t.mutate('mutation { publishChunk(conversationId: "c1", seq: 5, text: "t") { seq } }');
    expect(await client.next()).toBe('{"type":"data","id":"all","payload":{"data":{"onChunk":{"seq":5}}}}');
    expect(client.unread()).toEqual([]);
  });

  it('AppSync real-time: queries, failed mutations and stopped or closed subscriptions deliver nothing', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    const other = await t.ready();
    await client.start('s', 'subscription { onChunk { seq } }');
    await other.start('o', 'subscription { onChunk { seq } }');
    other.ws.close();
    await t.trace.waitFor('appsync.disconnect');
    expect(t.trace.events('appsync.unsubscribe')).toMatchObject([{ subscriptionId: 'o', by: 'close' }]);
    await t.mutate('{ ping }');
    await t.mutate('mutation { publishChunk(conversationId: "c", seq: "x", text: "t") { seq } }');
    client.send('{"type":"stop","id":"s"}');
    expect(await client.next()).toBe('{"type":"complete","id":"s"}');
    await t.mutate('mutation { publishChunk(conversationId: "c", seq: 1, text: "t") { seq } }');
    expect(t.trace.events('appsync.deliver')).toEqual([]);
    expect(client.unread()).toEqual([]);
  });

  it('AppSync real-time: a data message over the payload limit is not sent; the subscriber gets LimitExceededError', async () => {
    const t = await makeRealtimeApi({ appsyncSubscriptionPayloadBytes: 400 });
    const client = await t.ready();
    await client.start('s', 'subscription { onChunk { text } }');
    await t.mutate('mutation { publishChunk(conversationId: "c", seq: 1, text: "short") { text } }');
    expect(await client.next()).toBe('{"type":"data","id":"s","payload":{"data":{"onChunk":{"text":"short"}}}}');
    await t.mutate(`mutation { publishChunk(conversationId: "c", seq: 1, text: "${'x'.repeat(400)}") { text } }`);
    expect(await client.next()).toBe('{"type":"error","id":"s","payload":{"errors":[{"errorType":"LimitExceededError","message":"Subscription payload of 467 bytes exceeds the 400 bytes limit"}]}}');
    expect(t.trace.events('limit.hit')).toMatchObject([{ limit: 'appsyncSubscriptionPayloadBytes' }]);
  });

  it('AppSync real-time: shutdown closes every connection with 1001', async () => {
    const t = await makeRealtimeApi();
    const client = await t.ready();
    t.api.shutdown();
    expect(await client.closed).toEqual({ code: 1001, reason: 'Server shutting down' });
  });
});
