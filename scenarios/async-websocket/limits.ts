import { defineScenario } from '../../emulator/harness/define.ts';
import { CHAT, isChunk, isUnknownAction, LIMIT, MESSAGE_TOO_BIG, PATTERN, PROMPT } from './apis.ts';

/** `{"action":"pad","pad":"xxx…"}` of exactly `bytes` bytes: no route matches, so $default answers. */
function paddedMessage(bytes: number): string {
  const empty = JSON.stringify({ action: 'pad', pad: '' });
  return JSON.stringify({ action: 'pad', pad: 'x'.repeat(bytes - empty.length) });
}

export const websocketMessageTooLarge = defineScenario({
  name: 'websocket-message-too-large',
  // Nothing here waits on a limit, but the handler's posts (an SDK client, a TLS handshake) cost real
  // milliseconds, which 0.01 would magnify toward the 29 s integration timeout: 0.1 leaves room.
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A 128 KB message (in 32 KB frames) is accepted; one byte more and API Gateway closes the connection with 1009.',
  tags: ['websocket', 'limits'],
  async run({ ws, expect, step }) {
    const conn = await ws.connect(CHAT);
    await step('a message of exactly 128 KB in 32 KB frames reaches $default', async () => {
      await conn.sendFragmented(paddedMessage(LIMIT.messageBytes), LIMIT.frameBytes);
      await conn.waitFor(isUnknownAction, 'the $default answer to a 128 KB message');
    });
    await step('a message of 128 KB + 1 byte: closed with 1009', async () => {
      await conn.sendFragmented(paddedMessage(LIMIT.messageBytes + 1), LIMIT.frameBytes);
      const close = await conn.closed();
      expect.equal(close.code, MESSAGE_TOO_BIG, 'the close code');
    });
  },
});

export const websocketPostToGone = defineScenario({
  name: 'websocket-post-to-gone',
  // Nothing here waits on a limit, but the handler's posts (an SDK client, a TLS handshake) cost real
  // milliseconds, which 0.01 would magnify toward the 29 s integration timeout: 0.1 leaves room.
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: "The client leaves mid-answer: the handler's next post fails with GoneException, it stops reading the model and ends normally.",
  tags: ['websocket', 'bedrock', 'errors'],
  offlineOnly: { reason: "What the handler did after the client left is only in its logs: the emulator's trace offline, CloudWatch on AWS." },
  async run({ ws, expect, step, trace }) {
    const conn = await ws.connect(CHAT);
    const since = trace!.events().at(-1)?.seq ?? -1;
    await step('ask for a slowly written answer; close after the first chunk', async () => {
      conn.send({ action: 'drip', prompt: PROMPT });
      await conn.waitFor(isChunk, 'a first chunk');
      await conn.close();
    });
    await step('the handler logs GoneException and ends successfully', async () => {
      const log = await trace!.waitFor('lambda.log', (e) => e.seq > since && e.functionName === 'chat-drip' && e.text.includes('GoneException'));
      expect.ok(/left after \d+ chunks/.test(log.text), `Expected the handler to log how far it got, it logged ${JSON.stringify(log.text)}`);
      const end = await trace!.waitFor('lambda.invoke.end', (e) => e.seq > since && e.functionName === 'chat-drip');
      expect.equal(end.outcome, 'success', 'the outcome of chat-drip');
    });
    await step('the model stream was abandoned, not finished', async () => {
      const complete = await trace!.waitFor('bedrock.complete', (e) => e.seq > since && e.operation === 'ConverseStream');
      expect.equal(complete.outcome, 'client-gone', 'how the Bedrock stream ended');
    });
  },
});
