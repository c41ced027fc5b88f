import { fileURLToPath } from 'node:url';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator } from '../../../emulator/emulator.ts';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

// The emulator serving the bench's AppSync API (handlers/appsync-bench.graphql, NONE resolvers, API
// key auth) in its own process, on real time. No functions: the figures are the GraphQL layer's.
const emulator = await startEmulator(
  {
    appsyncApis: {
      bench: {
        schema: 'handlers/appsync-bench.graphql',
        auth: [{ type: 'API_KEY', apiKey: 'da2-benchemulatorkey0000000000' }],
        resolvers: { 'Query.echo': { dataSource: 'NONE' }, 'Mutation.publishChunk': { dataSource: 'NONE' } },
      },
    },
    bedrock: { enabled: false },
  },
  { port: 0, log: silentLog, baseDir: fileURLToPath(new URL('..', import.meta.url)) },
);
reportLoopDelayOnSignal();
const api = emulator.endpoints.appsyncApis!.bench!;
process.stdout.write(`${JSON.stringify({ graphqlUrl: api.graphqlUrl, realtimeUrl: api.realtimeUrl, apiKey: api.apiKey })}\n`);
