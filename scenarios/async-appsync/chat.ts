import { defineScenario } from '../../emulator/harness/define.ts';
import { CHAT, conversationId, ON_CHUNK, PATTERN, PROMPT, SEND_MESSAGE, type Chunk, type GraphQLAnswer } from './apis.ts';

export const appsyncChat = defineScenario({
  name: 'appsync-chat',
  // The streaming function's first Bedrock call and publishes cost real milliseconds; 0.1 keeps them short in emulated time.
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'AI chat with AppSync: subscribe to onChunk, sendMessage returns at once, and the answer arrives as chunk after chunk through the publishChunk mutation, then a done chunk.',
  tags: ['appsync', 'subscription', 'bedrock'],
  async run({ appsync, expect, step }) {
    const socket = await step('connect to the real-time endpoint: graphql-ws, connection_ack', async () => {
      const s = await appsync.connect(CHAT);
      expect.equal(s.conn.protocol, 'graphql-ws', 'the subprotocol AppSync chose');
      expect.equal(s.handshake.type, 'connection_ack', 'the answer to connection_init');
      expect.equal(s.handshake.payload?.connectionTimeoutMs, 300_000, 'connectionTimeoutMs in the ack');
      return s;
    });
    const mine = conversationId('chat');
    const other = conversationId('other');
    const [subscription, elsewhere] = await step('subscribe to onChunk for this conversation and for another one: start_ack', async () => {
      const subs = [await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: mine } }), await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: other } })];
      for (const s of subs) expect.equal(s.reply.type, 'start_ack', `the answer to start ${s.id}`);
      return subs as [typeof subs[0], typeof subs[0]];
    });
    await step('sendMessage answers at once with status STARTED', async () => {
      const r = await appsync.graphql(CHAT, { query: SEND_MESSAGE, variables: { conversationId: mine, prompt: PROMPT } });
      expect.status(r, 200);
      expect.equal(JSON.stringify(expect.json<GraphQLAnswer<unknown>>(r)), JSON.stringify({ data: { sendMessage: { conversationId: mine, status: 'STARTED' } } }), 'the mutation\'s answer');
    });
    const done = await step('the chunks arrive on the subscription, then one with done: true', () => subscription.waitForData((d) => (d.onChunk as Chunk).done, 'a chunk with done: true'));
    await step('the chunks are in order, spell an answer, and the last says why the model stopped', async () => {
      const chunks = subscription.data().map((d) => d.onChunk as Chunk);
      expect.ok(chunks.length >= 2, `Expected text chunks before the done chunk, got ${chunks.length} messages`);
      chunks.forEach((c, i) => expect.equal(c.seq, i, `seq of chunk ${i}`));
      expect.ok(chunks.every((c) => c.conversationId === mine), 'Expected every chunk to belong to this conversation');
      expect.ok(chunks.slice(0, -1).map((c) => c.text ?? '').join('').trim().length > 0, 'Expected the chunks to spell a non-empty answer');
      expect.equal((done.onChunk as Chunk).stopReason, 'end_turn', 'stopReason in the done chunk');
      expect.equal(elsewhere.data().length, 0, 'messages on the other conversation\'s subscription (its argument does not match)');
    });
    await step('stop: complete', () => subscription.stop());
    await socket.close();
  },
});
