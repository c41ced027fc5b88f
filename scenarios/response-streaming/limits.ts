import { defineScenario } from '../../emulator/harness/define.ts';
import { chatEvents, functionUrl, LIMIT, PATTERN, PROMPT, restUrl } from './apis.ts';

export const streamClientDisconnect = defineScenario({
  name: 'stream-client-disconnect',
  offlineTimeScale: 0.01,
  pattern: PATTERN,
  description: 'A client leaves a function URL stream after the first text: the function is not stopped; it writes on to the end (offline, the trace shows it).',
  tags: ['function-url', 'streaming'],
  async run(ctx) {
    const { expect, step, trace } = ctx;
    const since = trace?.events().at(-1)?.seq ?? -1;
    await step('read until the first text event, then close the connection', async () => {
      const r = await ctx.stream(functionUrl(ctx, 'drip'), { body: { prompt: PROMPT }, leaveWhen: (chunks) => chunks.some((c) => c.text.includes('"text"')) });
      expect.equal(r.status, 200, 'the status');
      expect.ok(chatEvents(r).every((e) => !e.done), 'Expected to leave before the done event');
    });
    if (!trace) return;
    await step('the function runs on after the client left and ends successfully', async () => {
      const gone = await trace.waitFor('lambda.stream.client-gone', (e) => e.seq > since && e.functionName === 'stream-drip');
      const end = await trace.waitFor('lambda.invoke.end', (e) => e.seq > gone.seq && e.functionName === 'stream-drip');
      expect.equal(end.outcome, 'success', 'the outcome of stream-drip after the client left');
      const written = trace.events('lambda.stream.chunk').filter((e) => e.requestId === gone.requestId);
      expect.ok(written.length > gone.chunks + 1, `Expected chunks written after the client left (${gone.chunks} before, ${written.length} in all)`);
    });
  },
});

export const functionUrlBufferedTooLarge = defineScenario({
  name: 'function-url-buffered-too-large',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A BUFFERED function URL whose function returns 7 MB: over the 6 MB a synchronous invoke may return, the client gets 502.',
  tags: ['function-url', 'limit'],
  async run(ctx) {
    await ctx.step('GET the big answer: 502 Internal Server Error', async () => {
      const r = await ctx.stream(functionUrl(ctx, 'big'), { method: 'GET' });
      ctx.expect.equal(r.status, 502, 'the status');
      ctx.expect.equal(r.text(), 'Internal Server Error', 'the body');
    });
  },
});

export const functionUrlBandwidthCap = defineScenario({
  name: 'function-url-bandwidth-cap',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A handler that writes faster than 2 MB/s: the first 6 MB arrive at once, the rest at no more than 2 MB per second, measured at the client.',
  tags: ['function-url', 'streaming', 'limit'],
  offlineOnly: { reason: 'The padded stream is the example app\'s bulk URL (FILLER_KB 512); a deployment would need the same function.' },
  async run(ctx) {
    const { expect, step } = ctx;
    const r = await step('read the whole padded stream', async () => {
      const res = await ctx.stream(functionUrl(ctx, 'bulk'), { body: { prompt: 'Write a long answer.' } });
      expect.equal(res.status, 200, 'the status');
      expect.equal(res.cut, undefined, 'how the body ended (cut)');
      return res;
    });
    await step('past 6 MB, bytes arrive at 2 MB per emulated second at most', async () => {
      // The rate from the read that took the total past 6 MB to the last read: bytes that came after
      // that read, over the time they took (the crossing read's own bytes came at once, as allowed).
      let total = 0;
      let crossedAt: number | undefined;
      let crossedBytes = 0;
      for (const chunk of r.chunks) {
        total += chunk.bytes;
        if (crossedAt === undefined && total >= LIMIT.functionUrlUncappedBytes) {
          crossedAt = chunk.at;
          crossedBytes = total;
        }
      }
      expect.ok(total > LIMIT.functionUrlUncappedBytes + LIMIT.bytesPerSecondAfter, `Expected more than 8 MB in all, got ${total} bytes`);
      const after = total - crossedBytes;
      const seconds = (r.emulatedMs - crossedAt!) / 1000;
      const rate = after / seconds;
      ctx.metric('function-url.bytesPerSecondAfter6MB', rate);
      // 25% over: the client reads real time, which at 0.1 puts ~0.5 emulated s of jitter on a ~4 s window
      // (the service's tests pin the pace exactly on a manual clock).
      expect.ok(rate <= LIMIT.bytesPerSecondAfter * 1.25, `Expected at most 2 MB/s after 6 MB, measured ${(rate / 1048576).toFixed(2)} MB/s (${after} bytes in ${seconds.toFixed(2)} s)`);
      expect.ok(rate >= LIMIT.bytesPerSecondAfter * 0.5, `Expected the cap, not the handler, to set the pace (measured ${(rate / 1048576).toFixed(2)} MB/s)`);
    });
  },
});

export const restStreamPastFifteenMinutes = defineScenario({
  name: 'rest-stream-past-15-minutes',
  offlineTimeScale: 0.001,
  budgetSeconds: 1_500,
  pattern: PATTERN,
  description: 'A REST STREAM response whose model writes a token every 30 s: never idle for 5 minutes, but cut at 15 minutes in all; the client sees a truncated body.',
  tags: ['rest', 'streaming', 'limit'],
  offlineOnly: { reason: 'A model that takes 20 minutes to answer is the mock\'s (bedrock.models latency).' },
  async run(ctx) {
    const { expect, step } = ctx;
    await step('POST /chat-marathon: text for 15 minutes, then the body is cut before done', async () => {
      const r = await ctx.stream(restUrl(ctx, '/chat-marathon'), { body: { prompt: PROMPT } });
      expect.equal(r.status, 200, 'the status');
      expect.ok(r.cut !== undefined, `Expected the body to be cut, it ended normally after ${r.emulatedMs} ms`);
      const events = chatEvents(r);
      expect.ok(events.length > 10 && events.every((e) => !e.done), `Expected many text events and no done, got ${events.length}`);
      // At time scale 0.001 each real millisecond of overhead reads as an emulated second, so the upper
      // bound is the answer's own 20 minutes: the cut came well before the model would have finished.
      expect.elapsed('the stream', r.emulatedMs, { min: LIMIT.restStreamMaxMs / 1000 - 5, max: 1_150 });
    });
    if (ctx.trace) {
      await step('the trace names the limit: restStreamIntegrationTimeoutMaxMs', async () => {
        const hit = ctx.trace!.events('limit.hit').filter((e) => e.functionName === 'stream-marathon').at(-1);
        expect.equal(hit?.limit, 'restStreamIntegrationTimeoutMaxMs', 'the limit that cut the stream');
      });
    }
  },
});
