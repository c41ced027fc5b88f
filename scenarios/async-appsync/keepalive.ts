import { defineScenario } from '../../emulator/harness/define.ts';
import type { AppSyncMessage } from '../../emulator/harness/appsync-client.ts';
import { pause } from '../async-websocket/apis.ts';
import { CHAT, conversationId, LIMIT, ON_CHUNK, PATTERN, PUBLISH_CHUNK, QUIET, type Chunk } from './apis.ts';

/** AppSync's keep-alive cadence (real-time-websocket-client.html: "periodically"; observed every 60 s). */
const KA_EVERY_MS = 60_000;

const isKa = (m: AppSyncMessage) => m.type === 'ka';

export const appsyncMissedKeepAlive = defineScenario({
  name: 'appsync-missed-keepalive',
  // Waits out connectionTimeoutMs (5 emulated minutes): 3 s of real time at 0.01.
  offlineTimeScale: 0.01,
  pattern: PATTERN,
  description: 'ka arrives every minute on a healthy connection; on one where it stops, the client gives the connection up after connectionTimeoutMs, reconnects, subscribes again and is delivered to.',
  tags: ['appsync', 'subscription', 'keep-alive'],
  offlineOnly: { reason: 'Stopping AppSync\'s keep-alive is a fault only the emulator can inject (appsyncApis.quiet.limits.appsyncKeepAliveMs: 0).' },
  async run(ctx) {
    const { appsync, expect, step } = ctx;
    await step('a healthy connection: ka after the ack, then again within a minute', async () => {
      const socket = await appsync.connect(CHAT);
      const first = await socket.waitFor(isKa, 'the first ka');
      const second = await socket.waitFor((m) => isKa(m) && m !== first && m.frame.at > first.frame.at, 'a second ka');
      expect.elapsed('the gap between two ka messages', second.frame.at - first.frame.at, { min: KA_EVERY_MS / 1000 - 1, max: KA_EVERY_MS / 1000 + 5 });
      await socket.close();
    });
    const id = conversationId('quiet');
    const deadSocket = await step('a connection whose ka stops: the ack, one ka, then nothing for connectionTimeoutMs', async () => {
      const socket = await appsync.connect(QUIET);
      const timeout = socket.handshake.payload?.connectionTimeoutMs as number;
      expect.equal(timeout, LIMIT.connectionTimeoutMs, 'connectionTimeoutMs in the ack');
      const first = await socket.waitFor(isKa, 'the first ka');
      expect.equal((await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: id } })).reply.type, 'start_ack', 'the answer to start');
      await pause(ctx, timeout);
      const kas = socket.messages().filter(isKa);
      expect.equal(kas.length, 1, `ka messages in the ${timeout / 1000} s after the first`);
      expect.ok(socket.conn.now() - first.frame.at >= timeout, 'Expected connectionTimeoutMs to have passed since the last ka');
      return socket;
    });
    await step('the client gives that connection up (as Amplify does), reconnects and subscribes again', async () => {
      await deadSocket.close();
      const socket = await appsync.connect(QUIET);
      expect.equal(socket.handshake.type, 'connection_ack', 'the answer to connection_init on the new connection');
      const subscription = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: id } });
      expect.equal(subscription.reply.type, 'start_ack', 'the answer to start on the new connection');
      const r = await appsync.graphql(QUIET, { query: PUBLISH_CHUNK, variables: { conversationId: id, seq: 0, text: 'still here', done: true } });
      expect.status(r, 200);
      const data = await subscription.waitForData((d) => (d.onChunk as Chunk).text === 'still here', 'the chunk on the new subscription');
      expect.equal((data.onChunk as Chunk).seq, 0, 'seq of the delivered chunk');
      await socket.close();
    });
  },
});
