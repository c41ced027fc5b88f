import { fileURLToPath } from 'node:url';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator } from '../../../emulator/emulator.ts';

// The emulator serving a hello-world route on a REST API and an HTTP API, in its own process.
const emulator = await startEmulator(
  {
    functions: { hello: { handler: 'handlers/hello.handler' } },
    restApis: { bench: { stage: 'dev', routes: { 'GET /hello': 'hello' } } },
    httpApis: { bench: { routes: { 'GET /hello': 'hello' } } },
    // AWS's account throttle (10,000 req/s) would answer 429 past that rate: lifted so the figures
    // measure the emulator's own speed, not its fidelity.
    limits: { accountThrottleRate: 1e9, accountThrottleBurst: 1e9 },
  },
  { port: 0, log: silentLog, baseDir: fileURLToPath(new URL('..', import.meta.url)) },
);
process.stdout.write(`${JSON.stringify({ rest: `${emulator.endpoints.restApis.bench}/hello`, http: `${emulator.endpoints.httpApis.bench}/hello` })}\n`);
