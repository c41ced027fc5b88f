import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findConfigFile, loadConfigFile, type LoadedConfig } from './core/config-file.ts';
import { tlsEndpoints, writeEndpointsFile } from './core/endpoints.ts';
import { EmulatorError } from './core/errors.ts';
import { consoleLog } from './core/log.ts';
import { startEmulator } from './emulator.ts';
import { EXAMPLE_APP_CONFIG } from './harness/example-app.ts';
import { runScenariosCommand } from './harness/command.ts';

const USAGE = `Usage: genai-offline <command> [options]

Commands:
  start        Serve the APIs of a config (default: ./genai-offline.config.{ts,mjs,json},
               else the bundled example app), each on its own port.
  scenarios    Run pattern scenarios offline (emulator started for you) or against an endpoints file.

start options:
  --config F          config file (genai-offline.config.ts|mjs|json)
  --host H            address to bind (default 127.0.0.1)
  --port N            first port; each API takes the next one (default 4010; 0 = free ports)
  --time-scale S      real seconds per emulated second (0.01 makes 29 s last 290 ms)
  --endpoints-file F  write the invoke URLs as JSON to F
  --tls               list the WebSocket and AppSync APIs by their https:// and wss:// URLs (their
                      ports speak both; the local CA's file is printed for your clients to trust)
  --log-level L       debug | info | warn | error (default info)

scenarios options: genai-offline scenarios --help
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs a command; resolves with the process exit code. `start` resolves once stopped by a signal. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await start(rest);
      case 'scenarios':
        return await runScenariosCommand(rest, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
      case '--version':
      case '-v':
        process.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`Failed to run "${command}": unknown command.\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof EmulatorError) {
      process.stderr.write(`[genai-offline] ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function start(argv: string[]): Promise<number> {
  const startedAt = performance.now();
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'time-scale': { type: 'string' },
      'endpoints-file': { type: 'string' },
      tls: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const level = values['log-level'];
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to parse --log-level: "${level}" is not one of debug, info, warn, error.`);
  }
  const log = consoleLog(level);
  const file = findConfigFile(process.cwd(), values.config) ?? EXAMPLE_APP_CONFIG;
  const loaded: LoadedConfig = await loadConfigFile(file);
  const emulator = await startEmulator(loaded, {
    log,
    host: values.host,
    port: numberFlag('port', values.port),
    timeScale: timeScaleFlag(values['time-scale']),
  });
  const endpoints = values.tls ? tlsEndpoints(emulator.endpoints) : emulator.endpoints;
  if (values['endpoints-file']) await writeEndpointsFile(values['endpoints-file'], endpoints);

  log.info(`Config: ${file}${file === EXAMPLE_APP_CONFIG ? ' (the bundled example app)' : ''}`);
  log.info(`Time scale: ${emulator.clock.timeScale} (1 emulated second lasts ${emulator.clock.timeScale} real second${emulator.clock.timeScale === 1 ? '' : 's'})`);
  for (const [kind, label] of [['restApis', 'REST API'], ['httpApis', 'HTTP API']] as const) {
    for (const [name, url] of Object.entries(emulator.endpoints[kind])) log.info(`${label} ${name}: ${url}`);
  }
  if (emulator.endpoints.bedrock) log.info(`Bedrock runtime (mock): ${emulator.endpoints.bedrock}`);
  for (const [name, ws] of Object.entries(endpoints.websocketApis ?? {})) {
    log.info(`WebSocket API ${name}: ${ws.url} (@connections: ${ws.connectionsUrl}; control: ${new URL('/@control/connections', ws.connectionsUrl).href})`);
  }
  for (const [name, api] of Object.entries(endpoints.appsyncApis ?? {})) log.info(`AppSync API ${name}: ${api.graphqlUrl} (x-api-key: ${api.apiKey})`);
  for (const [name, url] of Object.entries(emulator.endpoints.functionUrls ?? {})) log.info(`Function URL ${name}: ${url}`);
  if (emulator.endpoints.lambda) log.info(`Lambda API (Invoke, InvokeWithResponseStream; AWS_ENDPOINT_URL_LAMBDA in every function): ${emulator.endpoints.lambda}`);
  if (emulator.localCa) {
    const listed = values.tls ? 'are listed by their wss:// and https:// URLs' : 'also take wss:// and https://';
    log.info(`TLS: the WebSocket and AppSync ports ${listed}, signed by the local CA in ${emulator.localCa.caFile} (Lambda handlers trust it already; point NODE_EXTRA_CA_CERTS at it for your clients)`);
  }
  log.info(`Ready in ${Math.round(performance.now() - startedAt)} ms. Ctrl-C stops.`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log.info('Stopping...');
  await emulator.close();
  return 0;
}

function timeScaleFlag(value: string | undefined): number | undefined {
  const n = numberFlag('time-scale', value);
  if (n === 0) throw new EmulatorError('ERR_CONFIG_VALIDATION', 'Failed to parse --time-scale: 0 would stop time. Use a positive number, e.g. 0.01.');
  return n;
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to parse --${name}: "${value}" is not a non-negative number.`);
  }
  return n;
}
