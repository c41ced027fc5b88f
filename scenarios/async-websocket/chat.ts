import { defineScenario } from '../../emulator/harness/define.ts';
import { CHAT, isDone, isUnknownAction, parse, PATTERN, PROMPT } from './apis.ts';

export const websocketChat = defineScenario({
  name: 'websocket-chat',
  // Nothing here waits on a limit, but the handler's posts (an SDK client, a TLS handshake) cost real
  // milliseconds, which 0.01 would magnify toward the 29 s integration timeout: 0.1 leaves room.
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'sendmessage: the answer arrives through @connections as chunk frames, in order, then one done frame with stopReason and usage.',
  tags: ['websocket', 'bedrock'],
  async run({ ws, expect, step }) {
    const conn = await step('connect with ?name=', () => ws.connect(CHAT, { query: { name: 'ada' } }));
    const done = await step('send {"action":"sendmessage"}; chunks arrive, then done', async () => {
      conn.send({ action: 'sendmessage', prompt: PROMPT });
      return conn.waitFor(isDone, 'a {"type":"done"} frame');
    });
    await step('every frame before done is a non-empty chunk, and done carries stopReason and usage', async () => {
      const before = conn.frames.slice(0, conn.frames.indexOf(done));
      expect.ok(before.length > 0, 'Expected chunk frames before the done frame, got none');
      for (const frame of before) {
        expect.equal(parse(frame).type, 'chunk', `the type of frame ${JSON.stringify(frame.text)}`);
        expect.ok(typeof parse(frame).text === 'string' && parse(frame).text!.length > 0, `Expected text in ${JSON.stringify(frame.text)}`);
      }
      expect.ok(before.every((f, i) => i === 0 || f.at >= before[i - 1]!.at), 'Expected chunks in arrival order');
      expect.ok(before.map((f) => parse(f).text).join('').trim().length > 0, 'Expected the chunks to spell a non-empty answer');
      const last = parse(done);
      expect.equal(last.stopReason, 'end_turn', 'stopReason in the done frame');
      expect.ok((last.usage?.outputTokens ?? 0) > 0, `Expected usage.outputTokens > 0 in the done frame, got ${done.text}`);
    });
    await step('close from the client: 1000', async () => {
      const closed = await conn.close();
      expect.equal(closed.code, 1000, 'the close code');
    });
  },
});

export const websocketUnknownAction = defineScenario({
  name: 'websocket-unknown-action',
  // Nothing here waits on a limit, but the handler's posts (an SDK client, a TLS handshake) cost real
  // milliseconds, which 0.01 would magnify toward the 29 s integration timeout: 0.1 leaves room.
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A message whose action names no route, or that is not JSON, goes to $default, which answers {"error":"unknown action"}.',
  tags: ['websocket'],
  async run({ ws, expect, step }) {
    const conn = await ws.connect(CHAT);
    await step('{"action":"dance"} is answered by $default', async () => {
      conn.send({ action: 'dance' });
      await conn.waitFor(isUnknownAction, '{"error":"unknown action"}');
    });
    await step('a message that is not JSON goes to $default too', async () => {
      conn.send('hello?');
      await conn.waitFor((f) => conn.frames.indexOf(f) === 1 && isUnknownAction(f), 'a second {"error":"unknown action"}');
    });
    expect.equal(conn.closeInfo, undefined, 'the close after unrouted messages (the connection stays open)');
    await conn.close();
  },
});
