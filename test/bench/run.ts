import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { runAppSyncBench } from './appsync.ts';
import { runBedrockBench } from './bedrock.ts';
import { runStreamingBench } from './streaming.ts';
import { runWebSocketBench } from './websocket.ts';
import { median, peakRssMb, ROOT, spawnServer } from './process.ts';

/**
 * `npm run bench`: the gateway part, then the Bedrock part (bedrock.ts), then the WebSocket part
 * (websocket.ts), then the AppSync part (appsync.ts), then the response-streaming part (streaming.ts);
 * `BENCH_ONLY=gateway|bedrock|websocket|appsync|streaming` runs one. Gateway: REST and HTTP API
 * hello-world through the emulator against a bare node:http server, measured in the same run (each
 * server in its own process, load from this one). Machines here are noisy: each target runs
 * BENCH_ROUNDS times, interleaved, and the medians are quoted.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, durationS: number): Promise<Figures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function measureStartup(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['emulator/bin.mjs', 'start', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const urls: string[] = [];
  for await (const line of lines) {
    const url = /(http:\/\/\S+)$/.exec(line)?.[1];
    if (url && / API /.test(line)) urls.push(url);
    if (line.includes('Ready in')) break;
  }
  // A cold Lambda invocation that does not wait for the mock model's (realistic) latency.
  const res = await fetch(`${urls[0]}/malformed`);
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  return elapsed;
}

async function runGatewayBench(): Promise<void> {
  const bare = await spawnServer('test/bench/servers/bare-node.ts');
  const emu = await spawnServer('test/bench/servers/emulator.ts');
  const targets: Array<[string, string, ChildProcess]> = [
    ['bare node:http', bare.urls.url!, bare.child],
    ['REST API (v1)', emu.urls.rest!, emu.child],
    ['HTTP API (v2)', emu.urls.http!, emu.child],
  ];
  process.stdout.write(`genai-offline bench: ${CONNECTIONS} connections, ${DURATION_S} s per run, ${ROUNDS} rounds (medians), node ${process.version}\n`);
  // Warm up: starts the Lambda execution environments and JIT-compiles every path before measuring.
  for (const [, url] of targets) await load(url, 2);
  const runs = new Map<string, Figures[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of targets) runs.get(name)!.push(await load(url, DURATION_S));
  }
  const baseline = median(runs.get('bare node:http')!.map((f) => f.rps));
  const rows = targets.map(([name, , child]) => {
    const figs = runs.get(name)!;
    const rps = median(figs.map((f) => f.rps));
    return {
      target: name,
      'req/s': Math.round(rps),
      'p50 ms': median(figs.map((f) => f.p50)),
      'p99 ms': median(figs.map((f) => f.p99)),
      'peak RSS MB': Math.round(peakRssMb(child.pid!)),
      'vs bare node': `${((rps / baseline) * 100).toFixed(1)}%`,
      'non-2xx+errors': figs.reduce((n, f) => n + f.non2xx + f.errors, 0),
    };
  });
  console.table(rows);
  bare.child.kill();
  emu.child.kill();
  const startups: number[] = [];
  for (let i = 0; i < 3; i++) startups.push(await measureStartup());
  process.stdout.write(`startup (genai-offline start -> first answered request, a cold Lambda): median ${Math.round(median(startups))} ms of [${startups.map((s) => Math.round(s)).join(', ')}]\n`);
  process.stdout.write('targets: >= 40% of bare node req/s, p99 < 10 ms, peak RSS < 250 MB, startup < 1500 ms\n');
}

const only = process.env.BENCH_ONLY;
const PARTS = ['gateway', 'bedrock', 'websocket', 'appsync', 'streaming'];
if (only !== undefined && !PARTS.includes(only)) throw new Error(`Failed to start the bench: BENCH_ONLY is ${only}. Set it to ${PARTS.join(', ')}, or unset it to run them all.`);
if (only === undefined || only === 'gateway') await runGatewayBench();
if (only === undefined || only === 'bedrock') await runBedrockBench();
if (only === undefined || only === 'websocket') await runWebSocketBench();
if (only === undefined || only === 'appsync') await runAppSyncBench();
if (only === undefined || only === 'streaming') await runStreamingBench();
