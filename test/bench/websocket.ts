import { execFileSync } from 'node:child_process';
import type { Histogram } from 'hdr-histogram-js';
import { closeAll, connectionIds, deliver, openMany, type Delivery, type Opened } from './websocket-load.ts';
import { machineBusyMicros } from './bedrock-load.ts';
import { cpuMicros, peakRssMb, rssMb, spawnServer, type BenchServer } from './process.ts';

/**
 * The WebSocket part of `npm run bench`: the emulator's WebSocket API (trivial functions) and a bare
 * `ws` server of the same shape (servers/bare-ws.ts), each in its own process, loaded from this one.
 * 1. IDLE connections held: handshakes/s and the server's RSS (the emulator runs a `$connect` Lambda
 *    for each, HANDSHAKES at a time, so the execution environments it starts count in its RSS);
 * 2. STREAMS connections each sent a CHUNKS-frame stream through @connections, paced like a model
 *    (one post every GAP_MS per stream: 16,700 chunks/s offered by default, which on a 2-core machine
 *    shared with the load generator is at or past what either server delivers): chunks/s and
 *    post-to-receive latency;
 * 3. the same connections at a moderate rate (20 chunks each, one per LIGHT_GAP_MS: 5,000 chunks/s),
 *    for latency when the server is not saturated.
 */
const IDLE = Number(process.env.BENCH_WS_IDLE ?? 10_000);
const HANDSHAKES = Number(process.env.BENCH_WS_HANDSHAKES ?? 8);
const WARM = 200;
const STREAMS = Number(process.env.BENCH_WS_STREAMS ?? 1000);
const CHUNKS = Number(process.env.BENCH_WS_CHUNKS ?? 200);
// 50 tokens/s at 3 tokens a chunk, the Bedrock mock's default pacing.
const GAP_MS = Number(process.env.BENCH_WS_GAP_MS ?? 60);
const LIGHT_GAP_MS = Number(process.env.BENCH_WS_LIGHT_GAP_MS ?? 200);
const LIGHT_CHUNKS = 20;

type Name = 'emulator' | 'bare ws';

interface Measured {
  idle: Opened & { rssBeforeMb: number; rssWarmMb: number; rssHeldMb: number; peakMb: number; environments?: number };
  full: Measure;
  light: Measure;
}

const ms = (h: Histogram, p: number): number => h.getValueAtPercentile(p) / 1000;
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function row(metric: string, values: Record<Name, number>, digits = 1) {
  return { metric, emulator: fixed(values.emulator, digits), 'bare ws': fixed(values['bare ws'], digits), 'emulator/bare': fixed(values.emulator / values['bare ws'], 2) };
}

async function serverStats(server: BenchServer): Promise<{ loopDelayP99Ms: number; executionEnvironments?: number }> {
  const line = server.nextLine();
  server.child.kill('SIGUSR2');
  return JSON.parse(await line) as { loopDelayP99Ms: number; executionEnvironments?: number };
}

type Measure = Delivery & { serverCpuUs: number; otherCpuUs: number };

/** Adds the server's CPU and what the rest of the machine (other processes) used meanwhile. */
async function measured(server: BenchServer, run: () => Promise<Delivery>): Promise<Measure> {
  const cpu = cpuMicros(server.child.pid!);
  const machine = machineBusyMicros();
  const delivery = await run();
  const serverCpuUs = cpuMicros(server.child.pid!) - cpu;
  return { ...delivery, serverCpuUs, otherCpuUs: Math.max(0, machineBusyMicros() - machine - serverCpuUs - delivery.clientCpuUs) };
}

async function measure(script: string): Promise<Measured> {
  const server = await spawnServer(script);
  const pid = server.child.pid!;
  const { url, connections } = server.urls as { url: string; connections: string };
  try {
    const rssBeforeMb = rssMb(pid);
    // The first WARM connections start the emulator's execution environments (worker threads, tens of
    // MB each): the RSS after them is the base the per-connection figure is measured from.
    const first = await openMany(url, WARM, HANDSHAKES);
    const rssWarmMb = rssMb(pid);
    const rest = await openMany(url, IDLE - WARM, HANDSHAKES);
    const opened: Opened = { sockets: [...first.sockets, ...rest.sockets], ms: first.ms + rest.ms, failed: first.failed + rest.failed, firstError: first.firstError ?? rest.firstError };
    await sleep(500);
    const stats = await serverStats(server);
    const idle = { ...opened, rssBeforeMb, rssWarmMb, rssHeldMb: rssMb(pid), peakMb: peakRssMb(pid), environments: stats.executionEnvironments };
    await closeAll(opened.sockets);
    await sleep(1000);

    const streams = await openMany(url, STREAMS, HANDSHAKES);
    const ids = await connectionIds(streams.sockets, HANDSHAKES);
    // Warm-up: JIT, keep-alive sockets and the server's buffers, not measured.
    await deliver(connections, streams.sockets, ids, { chunks: 5, gapMs: 0, timeoutMs: 10_000 });
    const full = await measured(server, () => deliver(connections, streams.sockets, ids, { chunks: CHUNKS, gapMs: GAP_MS, timeoutMs: 30_000 }));
    const light = await measured(server, () => deliver(connections, streams.sockets, ids, { chunks: LIGHT_CHUNKS, gapMs: LIGHT_GAP_MS, timeoutMs: 30_000 }));
    await closeAll(streams.sockets);
    return { idle, full, light };
  } finally {
    server.child.kill();
  }
}

function deliveryTable(title: string, m: Record<Name, Measured>, pick: (x: Measured) => Measure): void {
  process.stdout.write(`\n${title}\n`);
  const by = (f: (d: Measure) => number) => ({ emulator: f(pick(m.emulator)), 'bare ws': f(pick(m['bare ws'])) });
  console.table([
    row('chunks delivered', by((d) => d.delivered), 0),
    row('chunks/s delivered', by((d) => d.delivered / d.seconds), 0),
    row('post-to-receive p50 (ms)', by((d) => ms(d.latency, 50)), 2),
    row('post-to-receive p99 (ms)', by((d) => ms(d.latency, 99)), 2),
    row('post-to-receive max (ms)', by((d) => ms(d.latency, 100)), 1),
    row('server CPU per chunk (us)', by((d) => d.serverCpuUs / d.delivered), 1),
    row('server CPU (% of a core)', by((d) => (d.serverCpuUs / 1e6 / d.seconds) * 100), 0),
    row('load generator CPU (% of a core)', by((d) => (d.clientCpuUs / 1e6 / d.seconds) * 100), 0),
    row('other processes CPU (% of a core)', by((d) => (d.otherCpuUs / 1e6 / d.seconds) * 100), 0),
    row('post errors', by((d) => d.postErrors), 0),
    row('frames out of order', by((d) => d.outOfOrder), 0),
  ]);
  for (const name of ['emulator', 'bare ws'] as const) {
    const d = pick(m[name]);
    if (d.firstError) process.stdout.write(`  ${name}: first post error: ${d.firstError}\n`);
    if (d.delivered < d.expected) process.stdout.write(`  ${name}: ${d.expected - d.delivered} of ${d.expected} chunks never arrived\n`);
    const other = d.otherCpuUs / 1e6 / d.seconds;
    if (other > 0.25) process.stdout.write(`  note: other processes on this machine used ${fixed(other * 100, 0)}% of a core while ${name} was measured; its figures include their interference.\n`);
  }
}

export async function runWebSocketBench(): Promise<void> {
  const started = performance.now();
  const nofile = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  process.stdout.write(
    `\ngenai-offline WebSocket bench: ${IDLE} idle connections (${HANDSHAKES} handshakes at a time); ${STREAMS} connections x ${CHUNKS}-chunk streams through @connections, ` +
      `one chunk per ${GAP_MS} ms per stream; ulimit -n ${nofile}; node ${process.version}\n`,
  );
  if (nofile !== 'unlimited' && Number(nofile) < IDLE + 200) {
    throw new Error(`Failed to start the WebSocket bench: ulimit -n is ${nofile}, and ${IDLE} client sockets need more. Raise it (ulimit -n ${IDLE + 1000}) or set BENCH_WS_IDLE lower.`);
  }
  const m = { 'bare ws': await measure('test/bench/servers/bare-ws.ts'), emulator: await measure('test/bench/servers/websocket.ts') } as Record<Name, Measured>;

  process.stdout.write(`\nIdle connections held (server process)\n`);
  const idle = (f: (x: Measured['idle']) => number) => ({ emulator: f(m.emulator.idle), 'bare ws': f(m['bare ws'].idle) });
  console.table([
    row('connections open', idle((x) => x.sockets.length), 0),
    row('failed handshakes', idle((x) => x.failed), 0),
    row('handshakes/s', idle((x) => x.sockets.length / (x.ms / 1000)), 0),
    row('RSS before (MB)', idle((x) => x.rssBeforeMb), 0),
    row(`RSS after the first ${WARM} (MB)`, idle((x) => x.rssWarmMb), 0),
    row('RSS holding them all (MB)', idle((x) => x.rssHeldMb), 0),
    row(`RSS per connection past the first ${WARM} (KB)`, idle((x) => ((x.rssHeldMb - x.rssWarmMb) * 1024) / (x.sockets.length - WARM)), 1),
    row('peak RSS (MB)', idle((x) => x.peakMb), 0),
  ]);
  for (const name of ['emulator', 'bare ws'] as const) if (m[name].idle.firstError) process.stdout.write(`  ${name}: first handshake error: ${m[name].idle.firstError}\n`);
  if (m.emulator.idle.environments !== undefined) process.stdout.write(`  emulator: ${m.emulator.idle.environments} execution environments started for $connect and whoami\n`);

  const offered = (chunksPerStreamGap: number) => Math.round((STREAMS * 1000) / chunksPerStreamGap);
  deliveryTable(`Delivery: ${STREAMS} streams x ${CHUNKS} chunks, one chunk per ${GAP_MS} ms each (${offered(GAP_MS)} chunks/s offered)`, m, (x) => x.full);
  deliveryTable(`Delivery at a moderate rate: ${STREAMS} streams x ${LIGHT_CHUNKS} chunks, one per ${LIGHT_GAP_MS} ms each (${offered(LIGHT_GAP_MS)} chunks/s offered)`, m, (x) => x.light);

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const peak = m.emulator.idle.peakMb;
  const p99 = ms(m.emulator.full.latency, 99);
  const light99 = ms(m.emulator.light.latency, 99);
  const rate = (d: Delivery) => d.delivered / d.seconds;
  process.stdout.write(
    `\nWebSocket targets: peak RSS < 400 MB @${IDLE} idle: ${fixed(peak, 0)} MB ${verdict(peak < 400 && m.emulator.idle.sockets.length === IDLE)}` +
      ` | p99 post-to-receive < 10 ms, ${STREAMS} x ${CHUNKS}: ${fixed(p99, 2)} ms ${verdict(p99 < 10)} (at ${offered(LIGHT_GAP_MS)}/s: ${fixed(light99, 2)} ms)` +
      ` | chunks/s vs bare ws: ${fixed((rate(m.emulator.full) / rate(m['bare ws'].full)) * 100, 0)}%` +
      ` | wall ${fixed((performance.now() - started) / 1000, 0)} s\n`,
  );
}
