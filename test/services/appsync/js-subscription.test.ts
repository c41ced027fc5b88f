import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { headerQuery, RealtimeClient, startMessage } from './realtime-support.ts';
import { FIXTURES, post } from './support.ts';

// Enhanced subscription filters end to end: a subscription resolver at start, a raw ws client, mutations over HTTP.
const clock = new ManualClock();
let emulator: RunningEmulator;
let endpoints: { graphqlUrl: string; realtimeUrl: string; apiKey: string };

beforeAll(async () => {
  emulator = await startEmulator(
    {
      bedrock: { enabled: false },
      appsyncApis: {
        tickets: {
          schema: 'appsync/js/schema.graphql',
          resolvers: {
            'Mutation.createTicket': { dataSource: 'NONE' },
            'Subscription.onSevere': { dataSource: 'NONE', code: 'appsync/js/resolvers/on-severe.js' },
            'Subscription.onDenied': { dataSource: 'NONE', code: 'appsync/js/resolvers/on-denied.js' },
          },
        },
      },
    },
    { port: 0, clock, log: silentLog, baseDir: FIXTURES },
  );
  endpoints = emulator.endpoints.appsyncApis!.tickets! as typeof endpoints;
});
afterAll(() => emulator.close());

const SELECTION = '{ id severity group tags author { name } }';

async function ready(): Promise<RealtimeClient> {
  const client = await RealtimeClient.open(`${endpoints.realtimeUrl}${headerQuery(endpoints.apiKey)}`, ['graphql-ws']);
  client.send('{"type":"connection_init"}');
  await client.next();
  await client.next();
  return client;
}

async function create(input: string): Promise<void> {
  const res = await post(endpoints.graphqlUrl, JSON.stringify({ query: `mutation { createTicket(${input}) ${SELECTION} }`, variables: null }), { 'content-type': 'application/json', 'x-api-key': endpoints.apiKey });
  expect(res.status).toBe(200);
}

const data = (id: string, field: string, value: unknown) => JSON.stringify({ type: 'data', id, payload: { data: { [field]: value } } });

describe('AppSync enhanced subscription filters over the real-time protocol', () => {
  it('enhanced filter: the resolver\'s filter decides delivery (groups OR-ed, filters AND-ed, nested fields); arguments no longer filter', async () => {
    const client = await ready();
    client.send(startMessage('sev', 'subscription { onSevere(group: "dev") { id severity } }', {}, endpoints.apiKey));
    expect(await client.next()).toBe('{"type":"start_ack","id":"sev"}');
    client.send(startMessage('all', 'subscription { onTicket { id } }', {}, endpoints.apiKey));
    expect(await client.next()).toBe('{"type":"start_ack","id":"all"}');

    await create('id: "1", severity: 2, group: "dev"');
    expect(await client.next()).toBe(data('all', 'onTicket', { id: '1' }));
    await create('id: "2", severity: 4, group: "dev"');
    expect(await client.next()).toBe(data('all', 'onTicket', { id: '2' }));
    expect(await client.next()).toBe(data('sev', 'onSevere', { id: '2', severity: 4 }));
    await create('id: "3", severity: 4, group: "ops"');
    expect(await client.next()).toBe(data('all', 'onTicket', { id: '3' }));
    await create('id: "4", severity: 5, group: "ops", tags: ["page"]');
    expect(await client.next()).toBe(data('all', 'onTicket', { id: '4' }));
    expect(await client.next()).toBe(data('sev', 'onSevere', { id: '4', severity: 5 }));
    await create('id: "5", severity: 1, author: {name: "Ada"}');
    expect(await client.next()).toBe(data('all', 'onTicket', { id: '5' }));
    expect(await client.next()).toBe(data('sev', 'onSevere', { id: '5', severity: 1 }));
    expect(client.unread()).toEqual([]);
    client.ws.close();
  });

  it('enhanced filter: util.unauthorized() in the subscription resolver answers start with an error, not start_ack', async () => {
    const client = await ready();
    client.send(startMessage('deny', 'subscription { onDenied { id } }', {}, endpoints.apiKey));
    expect(await client.next()).toBe('{"type":"error","id":"deny","payload":{"errors":[{"errorType":"Unauthorized","message":"Not Authorized to access onDenied on type Subscription"}]}}');
    await create('id: "6", severity: 9');
    client.send(startMessage('after', 'subscription { onTicket { id } }', {}, endpoints.apiKey));
    expect(await client.next()).toBe('{"type":"start_ack","id":"after"}');
    expect(emulator.trace.events('appsync.subscribe').some((e) => e.subscriptionId === 'deny')).toBe(false);
    client.ws.close();
  });
});
