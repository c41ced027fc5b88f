import type { Trace } from '../../emulator/core/trace.ts';
import { defineScenario, type ScenarioContext } from '../../emulator/harness/define.ts';
import { tokenTiming, type TokenTiming } from '../../emulator/harness/stream-client.ts';
import { conversationId, ON_CHUNK, SEND_MESSAGE, type Chunk } from '../async-appsync/apis.ts';
import { chatEvents, chatTiming, functionUrl, PATTERN, PROMPT, recordTiming, restUrl } from './apis.ts';

interface WsChatFrame {
  type?: string;
  usage?: { outputTokens: number };
}

/** What one transport measured: its token timing, when the client read the first text, and (offline) when the server side wrote the last. */
interface Measured {
  timing: TokenTiming | undefined;
  firstReadRealAt: number | undefined;
  /** The real time of the last chunk the emulator sent on, from the trace (events after `since`). */
  lastWriteRealAt(trace: Trace, since: number): number | undefined;
}

const lastOf = (events: Array<{ realAt: number }>): number | undefined => events.at(-1)?.realAt;

async function overHttpStream(ctx: ScenarioContext, url: string): Promise<Measured> {
  const response = await ctx.stream(url, { body: { prompt: PROMPT } });
  return {
    timing: chatTiming(response),
    firstReadRealAt: chatEvents(response).find((e) => e.text)?.realAt,
    lastWriteRealAt: (trace, since) => lastOf(trace.events('lambda.stream.chunk').filter((e) => e.seq > since && e.functionName === 'stream-chat')),
  };
}

async function overWebSocket(ctx: ScenarioContext): Promise<Measured> {
  const conn = await ctx.ws.connect('chat');
  const sentAt = conn.now();
  conn.send({ action: 'sendmessage', prompt: PROMPT });
  const done = await conn.waitFor((f) => f.json<WsChatFrame>().type === 'done', 'the done frame');
  const chunks = conn.frames.filter((f) => f.json<WsChatFrame>().type === 'chunk');
  await conn.close();
  return {
    timing: tokenTiming(chunks.map((f) => f.at - sentAt), done.json<WsChatFrame>().usage?.outputTokens ?? 0),
    firstReadRealAt: chunks[0]?.realAt,
    // The handler's writes are its @connections posts; the last one carries the done frame.
    lastWriteRealAt: (trace, since) => lastOf(trace.events('ws.send').filter((e) => e.seq > since && e.kind === 'post')),
  };
}

async function overAppSync(ctx: ScenarioContext): Promise<Measured> {
  const socket = await ctx.appsync.connect('chat');
  const id = conversationId('side-by-side');
  const subscription = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: id } });
  const sentAt = socket.conn.now();
  await ctx.appsync.graphql('chat', { query: SEND_MESSAGE, variables: { conversationId: id, prompt: PROMPT } });
  await subscription.waitForData((d) => (d.onChunk as Chunk).done, 'the done chunk');
  const texts = socket.messages().filter((m) => m.id === subscription.id && m.type === 'data' && !(m.payload?.data as { onChunk: Chunk }).onChunk.done);
  await socket.close();
  return {
    // The AppSync chat's chunks carry no usage: each publishChunk is one delta of the model's, so pieces stand in for tokens.
    timing: tokenTiming(texts.map((m) => m.frame.at - sentAt), texts.length),
    firstReadRealAt: texts[0]?.frame.realAt,
    lastWriteRealAt: (trace, since) => lastOf(trace.events('appsync.deliver').filter((e) => e.seq > since && e.subscriptionId === subscription.id)),
  };
}

export const streamSideBySide = defineScenario({
  name: 'stream-side-by-side',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'The same prompt over a function URL, a REST STREAM route, the WebSocket API and an AppSync subscription: time to first token, inter-token latency and tokens/s for each, in one result; offline, each client read its first text before the last chunk was sent.',
  tags: ['streaming', 'function-url', 'rest', 'websocket', 'appsync'],
  async run(ctx) {
    const { expect, step, trace } = ctx;
    const transports: Array<[string, () => Promise<Measured>]> = [
      ['function-url', () => overHttpStream(ctx, functionUrl(ctx, 'chat'))],
      ['rest-stream', () => overHttpStream(ctx, restUrl(ctx, '/chat-stream'))],
      ['websocket', () => overWebSocket(ctx)],
      ['appsync', () => overAppSync(ctx)],
    ];
    for (const [transport, measure] of transports) {
      await step(`${transport}: the answer streams; its token timing is recorded`, async () => {
        const since = trace?.events().at(-1)?.seq ?? -1;
        const measured = await measure();
        const timing = expect.defined(measured.timing, `Expected token timing over ${transport}`);
        expect.ok(timing.arrivals >= 2, `Expected the answer in several pieces over ${transport}, got ${timing.arrivals}`);
        recordTiming(ctx, transport, timing);
        if (!trace) return;
        // Incremental, not buffered: the first text was in the client's hands before the last chunk left.
        const lastWrite = measured.lastWriteRealAt(trace, since);
        expect.ok(measured.firstReadRealAt !== undefined && lastWrite !== undefined && measured.firstReadRealAt < lastWrite, `Expected the ${transport} client to read its first text (${measured.firstReadRealAt}) before the last chunk was sent (${lastWrite})`);
      });
    }
  },
});
