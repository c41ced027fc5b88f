import type { Trace } from '../../emulator/core/trace.ts';
import { defineScenario, type ScenarioContext } from '../../emulator/harness/define.ts';
import type { StreamedResponse } from '../../emulator/harness/stream-client.ts';
import { chatEvents, chatTiming, functionUrl, PATTERN, PROMPT, recordTiming, restUrl } from './apis.ts';

/** The chat stream's shape: 200, text/event-stream, text events in order, then done with end_turn. */
async function expectChatStream(ctx: ScenarioContext, response: StreamedResponse, transport: string): Promise<void> {
  const { expect } = ctx;
  expect.equal(response.status, 200, 'the status');
  expect.equal(response.headers.get('content-type'), 'text/event-stream', 'the content type (from the prelude)');
  expect.equal(response.cut, undefined, 'how the body ended (cut)');
  const events = chatEvents(response);
  const done = expect.defined(events.at(-1)?.done ? events.at(-1) : undefined, `Expected the last event to be done, got ${response.text().slice(-200)}`);
  expect.ok(events.length >= 3, `Expected text events before done, got ${events.length} events`);
  expect.equal(done.stopReason, 'end_turn', 'stopReason in the done event');
  expect.ok(events.slice(0, -1).map((e) => e.text ?? '').join('').trim().length > 0, 'Expected the text events to spell an answer');
  const timing = expect.defined(chatTiming(response), 'Expected token timing from the stream');
  recordTiming(ctx, transport, timing);
}

/**
 * Offline proof that the client read the first content before the function wrote its last chunk: the
 * client's first read and the handler's writes are stamped on the same real clock.
 */
function expectIncremental(ctx: ScenarioContext, trace: Trace, response: StreamedResponse, functionName: string): void {
  const writes = trace.events('lambda.stream.chunk').filter((e) => e.functionName === functionName);
  const firstRead = response.chunks.find((c) => c.text.includes('"text"'));
  const lastWrite = writes.at(-1);
  ctx.expect.ok(firstRead && lastWrite && firstRead.realAt < lastWrite.realAt, `Expected the client to read the first text before ${functionName} wrote its last chunk (first read at ${firstRead?.realAt}, last write at ${lastWrite?.realAt})`);
}

export const functionUrlStream = defineScenario({
  name: 'function-url-stream',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'A function URL in RESPONSE_STREAM mode: the answer arrives as server-sent events while the model writes it, then a done event; token timing in the result.',
  tags: ['function-url', 'streaming', 'bedrock'],
  async run(ctx) {
    const response = await ctx.step('POST the prompt: 200 text/event-stream, text events, then done', async () => {
      const r = await ctx.stream(functionUrl(ctx, 'chat'), { body: { prompt: PROMPT } });
      await expectChatStream(ctx, r, 'function-url');
      return r;
    });
    if (ctx.trace) await ctx.step('the client held the first text before the handler wrote its last chunk', async () => expectIncremental(ctx, ctx.trace!, response, 'stream-chat'));
  },
});

export const restStream = defineScenario({
  name: 'rest-stream',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'The same handler behind a REST API route in STREAM mode: the prelude becomes the status and headers, the events arrive as written.',
  tags: ['rest', 'streaming', 'bedrock'],
  async run(ctx) {
    const response = await ctx.step('POST /chat-stream: 200 text/event-stream, text events, then done', async () => {
      const r = await ctx.stream(restUrl(ctx, '/chat-stream'), { body: { prompt: PROMPT } });
      await expectChatStream(ctx, r, 'rest-stream');
      return r;
    });
    if (ctx.trace) await ctx.step('the client held the first text before the handler wrote its last chunk', async () => expectIncremental(ctx, ctx.trace!, response, 'stream-chat'));
  },
});
