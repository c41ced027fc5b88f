import { defineScenario, type ScenarioContext } from '../../emulator/harness/define.ts';
import { tokenTiming, type TokenTiming } from '../../emulator/harness/stream-client.ts';
import { conversationId, ON_CHUNK, SEND_MESSAGE, type Chunk } from '../async-appsync/apis.ts';
import { chatTiming, functionUrl, PATTERN, PROMPT, recordTiming, restUrl } from './apis.ts';

interface WsChatFrame {
  type?: string;
  usage?: { outputTokens: number };
}

async function overWebSocket(ctx: ScenarioContext): Promise<TokenTiming | undefined> {
  const conn = await ctx.ws.connect('chat');
  const sentAt = conn.now();
  conn.send({ action: 'sendmessage', prompt: PROMPT });
  const done = await conn.waitFor((f) => f.json<WsChatFrame>().type === 'done', 'the done frame');
  const arrivals = conn.frames.filter((f) => f.json<WsChatFrame>().type === 'chunk').map((f) => f.at - sentAt);
  await conn.close();
  return tokenTiming(arrivals, done.json<WsChatFrame>().usage?.outputTokens ?? 0);
}

async function overAppSync(ctx: ScenarioContext): Promise<TokenTiming | undefined> {
  const socket = await ctx.appsync.connect('chat');
  const id = conversationId('side-by-side');
  const subscription = await socket.subscribe({ query: ON_CHUNK, variables: { conversationId: id } });
  const sentAt = socket.conn.now();
  await ctx.appsync.graphql('chat', { query: SEND_MESSAGE, variables: { conversationId: id, prompt: PROMPT } });
  await subscription.waitForData((d) => (d.onChunk as Chunk).done, 'the done chunk');
  const arrivals = socket.messages().filter((m) => m.id === subscription.id && m.type === 'data' && !((m.payload?.data as { onChunk: Chunk }).onChunk.done)).map((m) => m.frame.at - sentAt);
  await socket.close();
  // The AppSync chat's chunks carry no usage: each publishChunk is one delta of the model's, so pieces stand in for tokens.
  return tokenTiming(arrivals, arrivals.length);
}

export const streamSideBySide = defineScenario({
  name: 'stream-side-by-side',
  offlineTimeScale: 0.1,
  pattern: PATTERN,
  description: 'The same prompt over a function URL, a REST STREAM route, the WebSocket API and an AppSync subscription: time to first token, inter-token latency and tokens/s for each, in one result.',
  tags: ['streaming', 'function-url', 'rest', 'websocket', 'appsync'],
  async run(ctx) {
    const { expect, step } = ctx;
    const transports: Array<[string, () => Promise<TokenTiming | undefined>]> = [
      ['function-url', async () => chatTiming(await ctx.stream(functionUrl(ctx, 'chat'), { body: { prompt: PROMPT } }))],
      ['rest-stream', async () => chatTiming(await ctx.stream(restUrl(ctx, '/chat-stream'), { body: { prompt: PROMPT } }))],
      ['websocket', () => overWebSocket(ctx)],
      ['appsync', () => overAppSync(ctx)],
    ];
    for (const [transport, measure] of transports) {
      await step(`${transport}: the answer streams; its token timing is recorded`, async () => {
        const timing = expect.defined(await measure(), `Expected token timing over ${transport}`);
        expect.ok(timing.arrivals >= 2, `Expected the answer in several pieces over ${transport}, got ${timing.arrivals}`);
        recordTiming(ctx, transport, timing);
      });
    }
  },
});
