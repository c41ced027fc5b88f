import { LLMock } from '@copilotkit/aimock';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

/**
 * @copilotkit/aimock (HTTP/1.1 only) in its own process, set up for the emulator's workload.
 *
 * How the emulator's pacing maps onto aimock's (its `calculateDelay`: frame 0 waits `ttft`, every
 * later frame `1000 / tps` ms, where a "frame" is any event-stream message, not a token):
 * - chunkSize 12: the emulator's 3 tokens a chunk at 4 characters a token;
 * - streamingProfile.tps 50/3: one 12-character (3-token) delta every 60 ms, i.e. 50 tokens/s;
 * - streamingProfile.ttft 400: the emulator's time to first token. aimock spends it before
 *   messageStart, then paces contentBlockStart like a delta, so its first delta lands at 400 + 60 + 60 ms;
 * - the reply is 168 characters (42 tokens, 14 full chunks), the emulator's ~40-token / 14-chunk reply
 *   with no short last chunk, so every gap's expected value is exactly 60 ms.
 * Converse (non-streaming) has no latency setting in aimock: it answers at once, whatever the profile.
 * Usage is left to aimock (it reports zeros unless a fixture hard-codes numbers).
 */
const REPLY =
  'The quick brown fox jumps over the lazy dog while a patient model streams its answer in small pieces, ' +
  'twelve characters at a time, at fifty tokens per second as agreed.';

const PACING = { chunkSize: 12, streamingProfile: { ttft: 400, tps: 50 / 3 } };

const mock = new LLMock({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
mock.addFixtures([
  // The nearest aimock has to a typed HTTP error: a 429 with an error body (no x-amzn-errortype header).
  { match: { model: 'bench.throttle' }, response: { error: { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' }, status: 429 } },
  // The nearest to an in-stream exception: the stream is cut after messageStart, contentBlockStart and 2 deltas.
  { match: { model: 'bench.midstream' }, response: { content: REPLY }, truncateAfterChunks: 4, ...PACING },
  { match: { predicate: () => true }, response: { content: REPLY }, ...PACING },
]);
const url = await mock.start();
reportLoopDelayOnSignal();
process.stdout.write(`${JSON.stringify({ url, unpaced: url })}\n`);
