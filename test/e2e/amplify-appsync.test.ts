import { fileURLToPath } from 'node:url';
import { Amplify } from '@aws-amplify/core';
import { events, generateClient, type GraphQLQuery, type GraphQLSubscription } from '@aws-amplify/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, silentLog, startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { Inbox, installWebSocketGlobal, trustCaForFetch } from './amplify-support.ts';

// The unmodified Amplify JS v6 client (the packages `aws-amplify/api` and `aws-amplify/data` re-export)
// against the emulator's AppSync: real sockets, real Lambda workers, https:// and wss:// with the local
// CA. Time moves only when a test advances the manual clock; no test needs it to.
const FIXTURES = fileURLToPath(new URL('../fixtures/appsync/amplify/', import.meta.url));
const API_KEY = 'da2-amplifyclienttest000000000';

const GET_CONVERSATION = 'query Get($id: ID!) { getConversation(id: $id) { id title } }';
const SEND_MESSAGE = 'mutation Send($conversationId: ID!, $text: String!) { sendMessage(conversationId: $conversationId, text: $text) { id conversationId text } }';
const PUBLISH_CHUNK = 'mutation Publish($conversationId: ID!, $seq: Int!, $text: String!) { publishChunk(conversationId: $conversationId, seq: $seq, text: $text) { conversationId seq text } }';
const ON_CHUNK = 'subscription OnChunk($conversationId: ID!) { onChunk(conversationId: $conversationId) { conversationId seq text } }';

interface Chunk {
  conversationId: string;
  seq: number;
  text: string;
}

let emulator: RunningEmulator;
let graphqlUrl: string;
let eventsUrl: string;
const undo: Array<() => void> = [];

beforeAll(async () => {
  emulator = await startEmulator(
    {
      functions: {
        getConversation: { handler: 'handlers/chat.getConversation' },
        // The API's URL and key reach the function as a deployed stack would pass them: as variables.
        sendMessage: { handler: 'handlers/chat.sendMessage', environment: { GRAPHQL_URL: { endpoint: 'appsyncApis.chat.graphqlUrl' }, GRAPHQL_API_KEY: API_KEY } },
      },
      bedrock: { enabled: false },
      appsyncApis: {
        chat: {
          schema: 'chat.graphql',
          auth: [{ type: 'API_KEY', apiKey: API_KEY }],
          events: { namespaces: { default: {} } },
          resolvers: {
            'Query.getConversation': { function: 'getConversation' },
            'Mutation.sendMessage': { function: 'sendMessage' },
            'Mutation.publishChunk': { dataSource: 'NONE' },
          },
        },
      },
    },
    { port: 0, clock: new ManualClock(), log: silentLog, baseDir: FIXTURES },
  );
  const endpoints = emulator.endpoints.appsyncApis!.chat!;
  // The https:// forms, as AWS hands them out: the port also speaks TLS (gateway/tls-sniff.ts).
  graphqlUrl = endpoints.graphqlUrl!.replace(/^http:/, 'https:');
  eventsUrl = endpoints.eventsUrl!.replace(/^http:/, 'https:');
  const caPem = emulator.localCa!.caPem;
  undo.push(installWebSocketGlobal(caPem), trustCaForFetch(caPem));
  Amplify.configure({
    API: {
      GraphQL: { endpoint: graphqlUrl, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: API_KEY },
      Events: { endpoint: eventsUrl, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: API_KEY },
    },
  });
});

afterAll(async () => {
  await events.closeAll();
  await emulator?.close();
  for (const restore of undo.splice(0).reverse()) restore();
});

describe('Amplify v6 GraphQL client', () => {
  it('Amplify: generateClient().graphql() runs a query on a Lambda resolver over https://', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = await client.graphql({ query: GET_CONVERSATION, variables: { id: 'c-1' } });
    expect(result).toEqual({ data: { getConversation: { id: 'c-1', title: 'Conversation c-1' } } });
  });

  it('Amplify: generateClient().graphql() runs a mutation on a NONE resolver', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const result = await client.graphql({ query: PUBLISH_CHUNK, variables: { conversationId: 'c-0', seq: 1, text: 'hi' } });
    expect(result).toEqual({ data: { publishChunk: { conversationId: 'c-0', seq: 1, text: 'hi' } } });
  });

  it('Amplify: .subscribe() over wss:// receives the chat\'s chunks in order, only for its conversation', async () => {
    const client = generateClient({ authMode: 'apiKey' });
    const chunks = new Inbox<{ onChunk: Chunk }>();
    const failures = new Inbox<unknown>();
    const subscribed = emulator.trace.waitFor('appsync.subscribe', (e) => e.field === 'onChunk');
    const subscription = client.graphql<GraphQLSubscription<{ onChunk: Chunk }>>({ query: ON_CHUNK, variables: { conversationId: 'c-2' } }).subscribe({
      next: (message) => chunks.push(message.data),
      error: (error: unknown) => failures.push(error),
    });
    try {
      await subscribed;
      // Another conversation's chunk first: had the filter let it through, it would arrive first.
      await client.graphql({ query: PUBLISH_CHUNK, variables: { conversationId: 'c-other', seq: 1, text: 'not yours' } });
      const sent = await client.graphql({ query: SEND_MESSAGE, variables: { conversationId: 'c-2', text: 'hello there' } });
      expect(sent).toEqual({ data: { sendMessage: { id: 'msg-c-2', conversationId: 'c-2', text: 'hello there' } } });
      const received = await chunks.until((items) => items.length >= 4);
      expect(received).toEqual([
        { onChunk: { conversationId: 'c-2', seq: 1, text: 'You' } },
        { onChunk: { conversationId: 'c-2', seq: 2, text: 'said:' } },
        { onChunk: { conversationId: 'c-2', seq: 3, text: 'hello' } },
        { onChunk: { conversationId: 'c-2', seq: 4, text: 'there' } },
      ]);
      expect(failures.items).toEqual([]);
      // The emulator delivered those four and nothing else (the other conversation's chunk to nobody).
      const { subscriptionId } = await subscribed;
      expect(emulator.trace.events('appsync.deliver').map((e) => e.subscriptionId)).toEqual([subscriptionId, subscriptionId, subscriptionId, subscriptionId]);
    } finally {
      subscription.unsubscribe();
    }
    // Unsubscribing sends `stop`; with no subscription left Amplify closes its socket (after its own 1 s).
    const { connectionId } = await subscribed;
    expect(await emulator.trace.waitFor('appsync.unsubscribe', (e) => e.connectionId === connectionId)).toMatchObject({ by: 'stop' });
    expect(await emulator.trace.waitFor('appsync.disconnect', (e) => e.connectionId === connectionId)).toMatchObject({ by: 'client', code: 1000 });
  });

  it('Amplify: a wrong API key gets the client\'s Unauthorized error for AppSync\'s 401', async () => {
    const client = generateClient({ authMode: 'apiKey', apiKey: 'da2-wrongkey000000000000000000' });
    const error = await client.graphql<GraphQLQuery<unknown>>({ query: GET_CONVERSATION, variables: { id: 'c-1' } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    // Amplify turns the 401 into a GraphQL result with one error, renamed "Unauthorized" because the
    // x-amzn-errortype header names UnauthorizedException. Its original error says "Unknown error":
    // Amplify reads a top-level `message`, and AppSync's 401 body nests it in `errors` (reference §1.4).
    expect(error).toEqual({ data: {}, errors: [expect.objectContaining({ message: 'Unauthorized' })] });
    const [first] = (error as { errors: Array<{ originalError: unknown; recoverySuggestion: string }> }).errors;
    expect(first!.originalError).toMatchObject({ name: 'UnauthorizedException', message: 'Unknown error', $metadata: { httpStatusCode: 401 } });
    expect(first!.recoverySuggestion).toContain('make sure to set the "authMode" in generateClient');
  });
});

describe('Amplify v6 Events client', () => {
  it('Amplify Events: connect, subscribe, publish over wss:// and post over https:// reach the subscriber', async () => {
    const received = new Inbox<unknown>();
    const failures = new Inbox<unknown>();
    const channel = await events.connect('/default/room');
    const subscription = channel.subscribe({ next: (data: { event: unknown }) => received.push(data.event), error: (error: unknown) => failures.push(error) });
    try {
      const { subscriptionId } = await subscription.ready;
      await channel.publish({ text: 'over the socket' });
      // `post` answers undefined when every event was accepted (the failed ones otherwise).
      expect(await events.post('/default/room', [{ text: 'over http' }, { n: 2 }])).toBeUndefined();
      expect(await received.until((items) => items.length >= 3)).toEqual([{ text: 'over the socket' }, { text: 'over http' }, { n: 2 }]);
      expect(failures.items).toEqual([]);
      expect(emulator.trace.events('appsync.events-subscribe')).toMatchObject([{ subscriptionId, channel: '/default/room' }]);
      expect(emulator.trace.events('appsync.events-publish')).toMatchObject([
        { channel: '/default/room', via: 'websocket', successful: 1, failed: 0 },
        { channel: '/default/room', via: 'http', successful: 2, failed: 0 },
      ]);
    } finally {
      await channel.close();
    }
    // close() unsubscribes; with no channel left Amplify closes the socket (after its own 1 s).
    const { connectionId } = emulator.trace.events('appsync.events-subscribe')[0]!;
    expect(await emulator.trace.waitFor('appsync.events-unsubscribe', (e) => e.connectionId === connectionId)).toMatchObject({ by: 'unsubscribe' });
    expect(await emulator.trace.waitFor('appsync.disconnect', (e) => e.connectionId === connectionId)).toMatchObject({ by: 'client', code: 1000 });
  });
});
