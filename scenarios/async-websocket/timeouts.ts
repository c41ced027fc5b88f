import { defineScenario } from '../../emulator/harness/define.ts';
import { CHAT, isChunk, isDone, parse, PATTERN, PROMPT, TIMED_OUT } from './apis.ts';

export const websocketIntegrationTimeout = defineScenario({
  name: 'websocket-integration-timeout',
  pattern: PATTERN,
  description:
    'A model that takes 35 s to its first token: at 29 s the client gets an "Endpoint request timed out" frame, the connection stays open, and the Lambda, still running, posts the whole answer afterwards.',
  tags: ['websocket', 'bedrock', 'timeout'],
  offlineOnly: { reason: "The 35 s time to first token is the mock's (bedrock.models latency); a real model cannot be slowed on demand." },
  async run({ ws, expect, step }) {
    const conn = await ws.connect(CHAT);
    await step('warm slow-chat (a message without a prompt is answered at once)', async () => {
      conn.send({ action: 'slowchat' });
      await conn.waitFor((f) => parse(f).type === 'error', 'slow-chat\'s {"type":"error"} frame');
    });
    const sentAt = conn.now();
    conn.send({ action: 'slowchat', prompt: PROMPT });
    const timedOut = await step('the "Endpoint request timed out" frame arrives after about 29 s', async () => {
      const frame = await conn.waitFor((f) => parse(f).message === TIMED_OUT, `a {"message": "${TIMED_OUT}"} frame`);
      const body = parse(frame);
      expect.ok(typeof body.connectionId === 'string' && body.connectionId.length > 0, `Expected a connectionId in ${frame.text}`);
      expect.ok(typeof body.requestId === 'string' && body.requestId.length > 0, `Expected a requestId in ${frame.text}`);
      expect.elapsed('the timeout frame', frame.at - sentAt, { min: 29, max: 31.5 });
      return frame;
    });
    const done = await step('then the answer arrives through @connections: chunks, then done', () => conn.waitFor(isDone, 'a {"type":"done"} frame after the timeout frame'));
    await step('every chunk came after the timeout frame, and the connection is still open', async () => {
      const from = conn.frames.indexOf(timedOut);
      const chunks = conn.frames.filter(isChunk);
      expect.ok(chunks.length > 0, 'Expected chunk frames, got none');
      expect.ok(chunks.every((c) => conn.frames.indexOf(c) > from), 'Expected every chunk after the timeout frame');
      expect.ok(conn.frames.indexOf(done) > from, 'Expected done after the timeout frame');
      // Not before the model's 35 s. The upper bound is loose: the handler's first post (an SDK client,
      // a TLS handshake) costs real milliseconds, which time compression magnifies 100-fold offline.
      expect.elapsed('the first chunk', chunks[0]!.at - sentAt, { min: 35, max: 60 });
      expect.equal(conn.closeInfo, undefined, 'the close (the connection stays open)');
    });
    await conn.close();
  },
});
