import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { chunkStream, fanOut, type Delivery } from './appsync-delivery.ts';
import { fidelityChecks, type CheckResult, type Running } from './appsync-fidelity.ts';
import { graphql, QUERY, type AppSyncTarget } from './appsync-load.ts';
import { cpuMicros, median, peakRssMb, ROOT, spawnServer, type BenchServer } from './process.ts';

/**
 * The AppSync part of `npm run bench` (issue 5): the emulator's AppSync API against the Amplify AppSync
 * simulator (amplify-appsync-simulator 2.4, the nearest peer), each in its own process with the same
 * schema and NONE resolvers (no Lambda: the figures are the GraphQL and real-time layers), plus a bare
 * `ws` server with no GraphQL (servers/appsync-bare.ts) as this machine's floor. Load comes from this
 * process; subscribers live in SUB_PROCS child processes (appsync-subscribers.ts), so decoding 1,000
 * sockets' frames is not done by the process that times the mutations. Measured here (2 cores): a
 * receiver spends ~25 us of CPU per frame, about what the bare server spends sending one; 1 and 2
 * subscriber processes gave the same fan-out p99 within noise, 4 a worse one (they take the server's
 * core), so 2 is the default. The receiving side is part of every figure: the bare ws column is the
 * floor of server and receivers together on this machine.
 * 1. queries/s at CONNECTIONS concurrent callers (autocannon), ROUNDS interleaved rounds, medians;
 * 2. fan-out: one mutation to FANOUT subscribers, FANOUT_ROUNDS rounds, medians of the rounds' p50/p99;
 * 3. CHUNKS mutations sent one after another (each after the previous answer) to STREAM_SUBS subscribers;
 * 4. each server's peak RSS and CPU; 5. fidelity checks (appsync-fidelity.ts) on fresh processes.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FANOUT = Number(process.env.BENCH_APPSYNC_FANOUT ?? 1000);
const FANOUT_ROUNDS = Number(process.env.BENCH_APPSYNC_FANOUT_ROUNDS ?? 7);
const STREAM_SUBS = Number(process.env.BENCH_APPSYNC_STREAM_SUBS ?? 100);
const CHUNKS = Number(process.env.BENCH_APPSYNC_CHUNKS ?? 200);
const SUB_PROCS = Number(process.env.BENCH_APPSYNC_SUB_PROCS ?? 2);
const DELIVERY = { processes: SUB_PROCS, timeoutMs: 30_000 };

type Name = 'emulator' | 'simulator' | 'bare ws';
const NAMES: Name[] = ['emulator', 'simulator', 'bare ws'];
const SCRIPTS: Record<Name, string> = { emulator: 'test/bench/servers/appsync.ts', simulator: 'test/bench/servers/appsync-simulator.ts', 'bare ws': 'test/bench/servers/appsync-bare.ts' };

interface QueryRun {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
  cpuUs: number;
}
interface Measured {
  query: QueryRun[];
  fanout: Delivery[];
  stream: Delivery;
  peakMb: number;
  /** CPU the server process used from its start to the end of the measurements. */
  totalCpuS: number;
}

const EXPECTED = '{"data":{"echo":{"text":"Hello there"}}}';
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const targetOf = (server: BenchServer): AppSyncTarget => server.urls as unknown as AppSyncTarget;

async function queryLoad(server: BenchServer, durationS: number): Promise<QueryRun> {
  const target = targetOf(server);
  const cpu = cpuMicros(server.child.pid!);
  const result = await autocannon({
    url: target.graphqlUrl,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    body: JSON.stringify({ query: QUERY, variables: { text: 'Hello there' } }),
    connections: CONNECTIONS,
    duration: durationS,
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts, cpuUs: cpuMicros(server.child.pid!) - cpu };
}

async function measureAll(): Promise<Record<Name, Measured>> {
  const servers = {} as Record<Name, BenchServer>;
  try {
    for (const name of NAMES) servers[name] = await spawnServer(SCRIPTS[name]);
    // autocannon counts a 200 as a success: make sure the measured answer is the data, not GraphQL errors.
    for (const name of NAMES) {
      const answer = await graphql(targetOf(servers[name]), QUERY, { text: 'Hello there' });
      if (answer.body !== EXPECTED) throw new Error(`Failed to start the AppSync bench: ${name} answered the query with HTTP ${answer.status} ${answer.body.slice(0, 200)}. Expected ${EXPECTED}.`);
    }
    const out = Object.fromEntries(NAMES.map((name) => [name, { query: [], fanout: [], peakMb: 0 }])) as unknown as Record<Name, Measured>;
    // Warm-up: JIT-compiles each server's query path before measuring.
    for (const name of NAMES) await queryLoad(servers[name], 2);
    for (let round = 0; round < ROUNDS; round++) for (const name of NAMES) out[name].query.push(await queryLoad(servers[name], DURATION_S));
    for (const name of NAMES) out[name].fanout = await fanOut(servers[name].child.pid!, targetOf(servers[name]), FANOUT, FANOUT_ROUNDS, DELIVERY);
    for (const name of NAMES) out[name].stream = await chunkStream(servers[name].child.pid!, targetOf(servers[name]), STREAM_SUBS, CHUNKS, DELIVERY);
    for (const name of NAMES) {
      out[name].peakMb = peakRssMb(servers[name].child.pid!);
      out[name].totalCpuS = cpuMicros(servers[name].child.pid!) / 1e6;
    }
    return out;
  } finally {
    for (const server of Object.values(servers)) server.child.kill();
  }
}

function row(metric: string, values: Record<Name, number>, digits: number, target = '', met?: boolean) {
  return {
    metric,
    emulator: fixed(values.emulator, digits),
    simulator: fixed(values.simulator, digits),
    'emulator/simulator': fixed(values.emulator / values.simulator, 2),
    'bare ws (floor)': fixed(values['bare ws'], digits),
    target,
    met: met === undefined ? '' : met ? 'met' : 'NOT MET',
  };
}

function printFigures(m: Record<Name, Measured>): Record<string, number> {
  const by = (f: (x: Measured) => number) => Object.fromEntries(NAMES.map((name) => [name, f(m[name])])) as Record<Name, number>;
  const rps = by((x) => median(x.query.map((q) => q.rps)));
  const fanP99 = by((x) => median(x.fanout.map((d) => d.p99)));
  const chunkRate = by((x) => x.stream.delivered / x.stream.seconds);
  const peak = by((x) => x.peakMb);
  const perMutation = (f: (d: Delivery) => number) => by((x) => median(x.fanout.map(f)));
  // CPU comes from /proc in clock ticks (10 ms): per mutation it is the rounds' total over their number.
  const perRound = (f: (d: Delivery) => number) => by((x) => x.fanout.reduce((n, d) => n + f(d), 0) / x.fanout.length);
  console.table([
    row('query req/s (median of rounds)', rps, 0, '>= 5x simulator', rps.emulator >= 5 * rps.simulator),
    row('query p50 ms', by((x) => median(x.query.map((q) => q.p50))), 1),
    row('query p99 ms', by((x) => median(x.query.map((q) => q.p99))), 1),
    row('query non-2xx + errors (all rounds)', by((x) => x.query.reduce((n, q) => n + q.bad, 0)), 0),
    row('query server CPU us/request', by((x) => x.query.reduce((n, q) => n + q.cpuUs, 0) / x.query.reduce((n, q) => n + q.rps * DURATION_S, 0)), 0),
    row(`fan-out to ${FANOUT}: p50 ms (median of rounds)`, perMutation((d) => d.p50), 1),
    row(`fan-out to ${FANOUT}: p99 ms (median of rounds)`, fanP99, 1, '< 20 ms', fanP99.emulator < 20),
    row(`fan-out to ${FANOUT}: max ms (median of rounds)`, perMutation((d) => d.max), 1),
    row('fan-out: frames delivered of expected (%)', by((x) => (100 * x.fanout.reduce((n, d) => n + d.delivered, 0)) / x.fanout.reduce((n, d) => n + d.expected, 0)), 1),
    row('fan-out: server CPU ms per mutation', perRound((d) => d.serverCpuUs / 1000), 1),
    row('fan-out: subscriber processes CPU ms per mutation', perRound((d) => d.subscriberCpuUs / 1000), 1),
    row(`stream ${CHUNKS} x ${STREAM_SUBS}: chunks/s delivered (all subscribers)`, chunkRate, 0, '>= 5x simulator', chunkRate.emulator >= 5 * chunkRate.simulator),
    row('stream: chunks/s per subscriber (= mutations/s answered)', by((x) => x.stream.delivered / x.stream.seconds / STREAM_SUBS), 1),
    row('stream: per-chunk p50 ms', by((x) => x.stream.p50), 1),
    row('stream: per-chunk p99 ms', by((x) => x.stream.p99), 1),
    row('stream: frames delivered of expected (%)', by((x) => (100 * x.stream.delivered) / x.stream.expected), 1),
    row('stream: mutation errors', by((x) => x.stream.mutationErrors), 0),
    row('stream: server CPU (% of a core)', by((x) => (x.stream.serverCpuUs / 1e6 / x.stream.seconds) * 100), 0),
    row('stream: subscriber processes CPU (% of a core)', by((x) => (x.stream.subscriberCpuUs / 1e6 / x.stream.seconds) * 100), 0),
    row('server CPU s, whole run', by((x) => x.totalCpuS), 1),
    row('peak RSS MB', peak, 0, '< 250 MB', peak.emulator < 250),
  ]);
  return { query: rps.emulator / rps.simulator, chunks: chunkRate.emulator / chunkRate.simulator, fanP99: fanP99.emulator, peak: peak.emulator };
}

/** A server whose stderr is kept, not printed: a crash's stack becomes one line of its check's detail. */
async function startQuiet(script: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let firstError: string | undefined;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (/^\w*Error\b/.test(line)) firstError ??= line.slice(0, 100);
  });
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), once(child, 'exit').then(() => [undefined])])) as [string | undefined];
  if (line === undefined) throw new Error(`Failed to start ${script}: it exited with ${child.exitCode}. Run it alone to see why.`);
  return { target: JSON.parse(line) as AppSyncTarget, child, firstError: () => firstError };
}

type Fidelity = Record<'emulator' | 'simulator', Array<[string, CheckResult]>>;

async function runFidelity(): Promise<Fidelity> {
  process.stdout.write('\nAppSync fidelity (fresh processes; a check that crashes a server restarts it for the next)\n');
  const start = (name: Name) => () => startQuiet(SCRIPTS[name]);
  const results: Fidelity = { emulator: await fidelityChecks(start('emulator')), simulator: await fidelityChecks(start('simulator')) };
  const verdict = (r: CheckResult) => (r.pass ? 'PASS' : 'FAIL');
  console.table(results.emulator.map(([check, r], i) => ({ check, emulator: verdict(r), simulator: verdict(results.simulator[i]![1]) })));
  for (const name of ['emulator', 'simulator'] as const) for (const [check, r] of results[name]) process.stdout.write(`  ${name} | ${check}: ${r.detail}\n`);
  return results;
}

export async function runAppSyncBench(): Promise<void> {
  const started = performance.now();
  process.stdout.write(
    `\ngenai-offline AppSync bench vs amplify-appsync-simulator 2.4, NONE resolvers (no Lambda: the GraphQL and real-time layers only), bare ws as the floor: ` +
      `queries at ${CONNECTIONS} callers, ${DURATION_S} s x ${ROUNDS} rounds; fan-out to ${FANOUT} x ${FANOUT_ROUNDS} rounds; ` +
      `${CHUNKS} chunks to ${STREAM_SUBS} subscribers; subscribers in ${SUB_PROCS} processes; node ${process.version}\n`,
  );
  const figures = printFigures(await measureAll());
  const fidelity = await runFidelity();
  const simulatorFails = fidelity.simulator.filter(([, r]) => !r.pass).map(([check]) => check);
  const passHere = simulatorFails.every((check) => fidelity.emulator.find(([c]) => c === check)?.[1].pass);
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  process.stdout.write(
    `\nAppSync targets: query rate ${fixed(figures.query!, 1)}x the simulator (>= 5x) ${verdict(figures.query! >= 5)}` +
      ` | chunk rate ${fixed(figures.chunks!, 1)}x (>= 5x) ${verdict(figures.chunks! >= 5)}` +
      ` | fan-out p99 ${fixed(figures.fanP99!, 1)} ms (< 20) ${verdict(figures.fanP99! < 20)}` +
      ` | peak RSS ${fixed(figures.peak!, 0)} MB (< 250) ${verdict(figures.peak! < 250)}` +
      ` | the simulator fails ${simulatorFails.length} fidelity checks, all passing here: ${verdict(passHere)}` +
      ` | wall ${fixed((performance.now() - started) / 1000, 0)} s\n`,
  );
}
