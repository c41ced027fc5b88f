import { defineScenario } from '../../emulator/harness/define.ts';
import { CHAT, conversationId, PATTERN } from './apis.ts';

interface RoomEvent {
  from: string;
  text: string;
}

export const appsyncEventsPubSub = defineScenario({
  name: 'appsync-events-pubsub',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'Pub/sub channels on the Events API: a room subscriber and a /rooms/* subscriber get what is published over HTTP and over the socket, each only for its channels.',
  tags: ['appsync', 'events'],
  async run({ appsync, expect, step }) {
    const room = conversationId('lobby');
    const socket = await step('connect to /event/realtime: connection_ack', async () => {
      const s = await appsync.connectEvents(CHAT);
      expect.equal(s.conn.protocol, 'aws-appsync-event-ws', 'the subprotocol AppSync chose');
      expect.equal(s.handshake.type, 'connection_ack', 'the answer to connection_init');
      return s;
    });
    const [inRoom, everywhere] = await step(`subscribe to /rooms/${room} and to /rooms/*: subscribe_success`, async () => {
      const subs = [await socket.subscribe(`/rooms/${room}`), await socket.subscribe('/rooms/*')];
      for (const s of subs) expect.equal(s.reply.type, 'subscribe_success', `the answer to subscribe ${s.id}`);
      return subs as [typeof subs[0], typeof subs[0]];
    });
    await step(`POST /event: two events to /rooms/${room}, both successful`, async () => {
      const r = await appsync.publishEvents(CHAT, `/rooms/${room}`, [{ from: 'ada', text: 'hello' }, { from: 'ada', text: 'anyone here?' }]);
      expect.status(r, 200);
      const body = expect.json<{ successful: Array<{ index: number }>; failed: unknown[] }>(r);
      expect.equal(body.successful.map((e) => e.index).join(','), '0,1', 'the indexes of the successful events');
      expect.equal(body.failed.length, 0, 'failed events');
    });
    await step('both subscribers receive both events, in order', async () => {
      for (const sub of [inRoom, everywhere]) {
        await sub.waitForEvent((e) => (e as RoomEvent).text === 'anyone here?', `the second event on ${sub.id}`);
        expect.equal(sub.events().map((e) => (e as RoomEvent).text).join(' | '), 'hello | anyone here?', `the events on ${sub.id}`);
      }
    });
    await step('publish over the socket to /rooms/kitchen: only the /rooms/* subscriber receives it', async () => {
      const reply = await socket.publish('/rooms/kitchen', [{ from: 'grace', text: 'coffee?' }]);
      expect.equal(reply.type, 'publish_success', 'the answer to publish');
      await everywhere.waitForEvent((e) => (e as RoomEvent).text === 'coffee?', 'the kitchen event on /rooms/*');
      expect.equal(inRoom.events().length, 2, `events on /rooms/${room} (the kitchen event is not for it)`);
    });
    await step('a channel in a namespace the API does not have: subscribe_error', async () => {
      const s = await socket.subscribe('/nowhere/room');
      expect.equal(s.reply.type, 'subscribe_error', 'the answer to subscribe');
    });
    await socket.close();
  },
});
