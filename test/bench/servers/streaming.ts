import { fileURLToPath } from 'node:url';
import { silentLog } from '../../../emulator/core/log.ts';
import type { EmulatorConfigInput } from '../../../emulator/core/config.ts';
import { startEmulator } from '../../../emulator/emulator.ts';
import { SCHEDULE, type Transport } from '../streaming-load.ts';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

/**
 * The emulator serving the response-streaming chat over ONE transport (BENCH_STREAM_TRANSPORT:
 * function-url, rest, websocket or appsync), in its own process, on real time: one process per transport, so each one's
 * 100 execution environments are the only ones in it (peak RSS and CPU are that transport's).
 * The handlers, schema and resolver are the patterns' own, from scenarios/. The Bedrock mock
 * writes on a fixed, jitter-free schedule: first token after 200 ms, then one token a chunk at 50
 * tokens/s (a chunk every 20 ms), 40-token replies.
 */
const API_KEY = 'da2-benchstreamingkey000000000';

const transport = process.env.BENCH_STREAM_TRANSPORT as Transport;
const streamChat = { 'stream-chat': { codeUri: 'response-streaming/handlers', handler: 'stream-chat.handler', timeout: 60 } };
const configs: Record<Transport, Partial<EmulatorConfigInput>> = {
  'function-url': { functions: streamChat, functionUrls: { chat: { function: 'stream-chat', invokeMode: 'RESPONSE_STREAM' } } },
  rest: { functions: streamChat, restApis: { bench: { stage: 'dev', routes: { 'POST /chat': { function: 'stream-chat', responseTransferMode: 'STREAM' } } } } },
  // No $connect/$disconnect (both optional on AWS): the bench measures the answer, not the handshake.
  websocket: { functions: { 'ws-chat': { codeUri: 'async-websocket/handlers', handler: 'chat.handler', timeout: 60 } }, websocketApis: { bench: { stage: 'dev', routes: { sendmessage: 'ws-chat' } } } },
  appsync: {
    functions: {
      'appsync-stream-chat': {
        codeUri: 'async-appsync/handlers',
        handler: 'stream-chat.handler',
        timeout: 60,
        environment: { GRAPHQL_URL: { endpoint: 'appsyncApis.bench.graphqlUrl' }, API_KEY: { endpoint: 'appsyncApis.bench.apiKey' } },
      },
    },
    appsyncApis: {
      bench: {
        schema: 'async-appsync/chat.graphql',
        auth: [{ type: 'API_KEY', apiKey: API_KEY }],
        dataSources: { streamer: { type: 'AWS_LAMBDA', function: 'appsync-stream-chat' } },
        resolvers: { 'Mutation.sendMessage': { dataSource: 'streamer', code: 'async-appsync/resolvers/send-message.js' }, 'Mutation.publishChunk': { dataSource: 'NONE' } },
      },
    },
  },
};
if (!(transport in configs)) throw new Error(`Failed to start the streaming bench server: BENCH_STREAM_TRANSPORT is ${transport}. Set it to one of ${Object.keys(configs).join(', ')}.`);

const { outputTokens, ...latency } = SCHEDULE;
const emulator = await startEmulator(
  {
    ...configs[transport],
    timeScale: 1,
    bedrock: { latency: { ...latency, jitter: 0 }, mock: { outputTokens } },
    // AWS's account throttle (10,000 req/s) and 500 new WebSocket connections/s would refuse parts of
    // the load: lifted so the figures measure the emulator's own speed, not its fidelity.
    limits: { accountThrottleRate: 1e9, accountThrottleBurst: 1e9, websocketNewConnectionsPerSecond: 1e9 },
  },
  { port: 0, log: silentLog, baseDir: fileURLToPath(new URL('../../../scenarios', import.meta.url)) },
);
let coldStarts = 0;
emulator.trace.subscribe((e) => {
  if (e.type === 'lambda.cold-start') coldStarts++;
});
reportLoopDelayOnSignal(() => ({ executionEnvironments: coldStarts }));

const e = emulator.endpoints;
const urls: Record<Transport, Record<string, string | undefined>> = {
  'function-url': { url: e.functionUrls?.chat },
  rest: { url: `${e.restApis.bench}/chat` },
  websocket: { url: e.websocketApis?.bench?.url },
  appsync: { graphqlUrl: e.appsyncApis?.bench?.graphqlUrl, realtimeUrl: e.appsyncApis?.bench?.realtimeUrl, apiKey: e.appsyncApis?.bench?.apiKey },
};
process.stdout.write(`${JSON.stringify({ bedrock: e.bedrock, ...urls[transport] })}\n`);
