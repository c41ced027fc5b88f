import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { AppSyncSimulatorUnitResolverConfig } from 'amplify-appsync-simulator';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

/**
 * The peer: amplify-appsync-simulator 2.4 (Amplify CLI's `amplify mock api`) in its own process, with
 * the bench schema, API key auth and NONE resolvers through VTL (`{payload: $ctx.args}`, the local
 * resolver's usual templates; the emulator's `dataSource: NONE` resolves the same way).
 * What it speaks, read from its dist (lib/server/subscription/websocket-server/server.js): AppSync's
 * real-time protocol (connection_init/ack, start/start_ack, data), not MQTT, on the HTTP port at
 * `/graphql` (not `/graphql/realtime`), the key in the `header` query parameter. Its MQTT server
 * (the pre-2020 protocol) also starts on a second port; nothing here uses it.
 */
const SIMULATOR_API_KEY = 'da2-benchsimulatorkey000000000';

/**
 * One graphql for the whole simulator. As npm installs it here, the simulator's own code loads its
 * nested graphql 14.7 while @graphql-tools (hoisted) loads the project's graphql 16, so every
 * operation fails with "Cannot use GraphQLSchema from another module or realm" (and a subscription
 * crashes the process). Every `require('graphql')` in this process is pointed at the simulator's 14.7,
 * the single-copy install the simulator is built for (the Amplify CLI ships it with its own tree).
 */
const require = createRequire(import.meta.url);
const simulatorDir = dirname(require.resolve('amplify-appsync-simulator'));
const loader = Module as unknown as { _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string };
const graphqlRoot = dirname(require.resolve('graphql/package.json', { paths: [simulatorDir] }));
const resolveFilename = loader._resolveFilename.bind(loader);
loader._resolveFilename = (request, parent, ...rest) =>
  resolveFilename(request === 'graphql' || request.startsWith('graphql/') ? graphqlRoot + request.slice('graphql'.length) : request, parent, ...rest);
// Its data loaders load the AWS SDK v2, which prints an end-of-support notice on stderr otherwise.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
const { AmplifyAppSyncSimulator, AmplifyAppSyncSimulatorAuthenticationType, RESOLVER_KIND } = await import('amplify-appsync-simulator');

const REQUEST = '{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}';
const RESPONSE = '$util.toJson($ctx.result)';
const resolver = (typeName: string, fieldName: string): AppSyncSimulatorUnitResolverConfig => ({
  kind: RESOLVER_KIND.UNIT,
  typeName,
  fieldName,
  dataSourceName: 'none',
  requestMappingTemplate: REQUEST,
  responseMappingTemplate: RESPONSE,
});

const schemaPath = new URL('../handlers/appsync-bench.graphql', import.meta.url);
const simulator = new AmplifyAppSyncSimulator({});
simulator.init({
  schema: { path: 'appsync-bench.graphql', content: readFileSync(schemaPath, 'utf8') },
  appSync: {
    name: 'bench',
    defaultAuthenticationType: { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.API_KEY },
    apiKey: SIMULATOR_API_KEY,
    additionalAuthenticationProviders: [],
  },
  dataSources: [{ name: 'none', type: 'NONE' }],
  resolvers: [resolver('Query', 'echo'), resolver('Mutation', 'publishChunk')],
});
await simulator.start();
reportLoopDelayOnSignal();
// It listens on every interface and names the machine's address; the bench uses loopback, as for the emulator.
const port = new URL(simulator.url).port;
process.stdout.write(`${JSON.stringify({ graphqlUrl: `http://127.0.0.1:${port}/graphql`, realtimeUrl: `ws://127.0.0.1:${port}/graphql`, apiKey: SIMULATOR_API_KEY })}\n`);
