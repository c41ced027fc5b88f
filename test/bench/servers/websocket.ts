import { fileURLToPath } from 'node:url';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator } from '../../../emulator/emulator.ts';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

// The emulator serving a WebSocket API with trivial functions, in its own process, on real time.
// `$connect` runs a Lambda (as most apps do); `$disconnect` is left out (it is best effort on AWS) so
// closing 10,000 sockets does not queue 10,000 invocations behind the next measurement.
const emulator = await startEmulator(
  {
    functions: { accept: { handler: 'handlers/ws-accept.handler' }, whoami: { handler: 'handlers/ws-whoami.handler' } },
    websocketApis: {
      bench: { stage: 'dev', routes: { $connect: 'accept', $default: 'accept', whoami: { function: 'whoami', routeResponse: true } } },
    },
    // AWS's 500 new connections/s and 10,000 req/s account throttle would refuse the load: lifted so
    // the figures measure the emulator's own speed, not its fidelity.
    limits: { websocketNewConnectionsPerSecond: 1e9, accountThrottleRate: 1e9, accountThrottleBurst: 1e9 },
    bedrock: { enabled: false },
  },
  { port: 0, log: silentLog, baseDir: fileURLToPath(new URL('..', import.meta.url)) },
);
let coldStarts = 0;
emulator.trace.subscribe((e) => {
  if (e.type === 'lambda.cold-start') coldStarts++;
});
reportLoopDelayOnSignal(() => ({ executionEnvironments: coldStarts }));
const api = emulator.endpoints.websocketApis!.bench!;
process.stdout.write(`${JSON.stringify({ url: api.url, connections: api.connectionsUrl })}\n`);
