import type { Histogram } from 'hdr-histogram-js';
import { machineBusyMicros } from './bedrock-load.ts';
import { cpuMicros, median, peakRssMb, spawnServer, type BenchServer } from './process.ts';
import { appsync, bedrockDirect, MODEL_GAP_MS, round, SCHEDULE, sse, websocket, type RoundFigures, type Transport, type Transports } from './streaming-load.ts';

/**
 * The response-streaming part of `npm run bench` (issue 6): what each transport adds to the time to
 * first token and to every chunk, over the Bedrock mock's own stream. For each transport the emulator
 * runs in its own process (servers/streaming.ts) with the mock on a fixed schedule (SCHEDULE); each
 * round runs CONCURRENCY streams at once, first read straight from the mock's ConverseStream (the
 * floor), then through the transport, so both see the same machine. ADDED = transport - floor, per
 * round, median of ROUNDS. All figures are client-side (this process): request start -> first text
 * chunk (TTFT), between a stream's consecutive chunks (inter-chunk gap, first token excluded), and how
 * far behind the first chunk's schedule each later chunk arrives (what "added per chunk" compares).
 * The trace's per-chunk events are not used: `bedrock.chunk` carries the mock's request id, which no
 * event links to the Lambda invocation or the client stream it fed.
 */
const CONCURRENCY = Number(process.env.BENCH_STREAM_CONCURRENCY ?? 100);
const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 5);
const TRANSPORTS = (process.env.BENCH_STREAM_TRANSPORTS ?? 'function-url,rest,websocket,appsync').split(',') as Transport[];
const WARM_MAX_ROUNDS = Number(process.env.BENCH_STREAM_WARM_ROUNDS ?? 6);
const TARGET = { ttftMs: 2, chunkMs: 0.5 };

const LABEL: Record<Transport, string> = {
  'function-url': 'function URL (RESPONSE_STREAM)',
  rest: 'REST API route (STREAM)',
  websocket: 'WebSocket (@connections)',
  appsync: 'AppSync subscription',
};

interface Measured extends RoundFigures {
  serverCpuUs: number;
  otherCpuShare: number;
}

interface TransportRun {
  transport: Transport;
  floor: Measured[];
  through: Measured[];
  peakRssMb: number;
  environments: number;
  loopDelayP99Ms: number;
}

const ms = (h: Histogram, p: number): number => h.getValueAtPercentile(p) / 1000;
const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '-');
const pair = (a: number, b: number): string => `${f2(a)} / ${f2(b)}`;

/** One round, with the server's CPU and what every other process on the machine used meanwhile (noise). */
async function measuredRound(server: BenchServer, streamer: Parameters<typeof round>[0]): Promise<Measured> {
  const pid = server.child.pid!;
  const [cpu, machine, client, started] = [cpuMicros(pid), machineBusyMicros(), process.cpuUsage(), performance.now()];
  const figures = await round(streamer, CONCURRENCY, MODEL_GAP_MS, MODEL_GAP_MS);
  const serverCpuUs = cpuMicros(pid) - cpu;
  const used = process.cpuUsage(client);
  const seconds = (performance.now() - started) / 1000;
  return { ...figures, serverCpuUs, otherCpuShare: Math.max(0, machineBusyMicros() - machine - serverCpuUs - used.user - used.system) / 1e6 / seconds };
}

async function serverStats(server: BenchServer): Promise<{ loopDelayP99Ms: number; executionEnvironments: number }> {
  const line = server.nextLine();
  server.child.kill('SIGUSR2');
  return JSON.parse(await line) as { loopDelayP99Ms: number; executionEnvironments: number };
}

function clientFor(transport: Transport, urls: Record<string, string>): Transports {
  if (transport === 'websocket') return websocket(urls.url!);
  if (transport === 'appsync') return appsync({ graphqlUrl: urls.graphqlUrl!, realtimeUrl: urls.realtimeUrl!, apiKey: urls.apiKey! });
  return sse(urls.url!);
}

async function measure(transport: Transport): Promise<TransportRun> {
  process.env.BENCH_STREAM_TRANSPORT = transport; // spawnServer's child inherits this process's environment
  const server = await spawnServer('test/bench/servers/streaming.ts');
  const floorClient = bedrockDirect(server.urls.bedrock!);
  const client = clientFor(transport, server.urls);
  try {
    const floor = await floorClient.open(CONCURRENCY);
    const through = await client.open(CONCURRENCY);
    // Warm-up, not measured: the emulator grows a function's pool of execution environments only while
    // every one is busy for 50 ms (lambda-runtime/scheduler.ts), a few at a time, so it takes several
    // rounds to reach one per stream, and cold starts (~300 ms of CPU each) should not count in the
    // rounds. Up to WARM_MAX_ROUNDS, until the pool stops growing; on a 2-core machine it is still
    // growing after 6 at 100 streams (the counts are printed), so some cold starts fall in the rounds.
    let environments = 0;
    for (let i = 1; i <= WARM_MAX_ROUNDS; i++) {
      await round(floor, CONCURRENCY, MODEL_GAP_MS, MODEL_GAP_MS);
      const warm = await round(through, CONCURRENCY, MODEL_GAP_MS, MODEL_GAP_MS);
      const before = environments;
      environments = (await serverStats(server)).executionEnvironments; // also resets its loop-delay histogram
      process.stdout.write(`  ${LABEL[transport]} warm-up ${i}: ${environments} execution environments, TTFT p50 ${f2(ms(warm.ttft, 50))} ms${warm.failed ? `, ${warm.failed} streams failed (${warm.firstError})` : ''}\n`);
      if (i >= 2 && (environments >= CONCURRENCY || environments === before)) break;
    }
    const run: TransportRun = { transport, floor: [], through: [], peakRssMb: 0, environments: 0, loopDelayP99Ms: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      run.floor.push(await measuredRound(server, floor));
      run.through.push(await measuredRound(server, through));
      const [a, b] = [run.floor.at(-1)!, run.through.at(-1)!];
      process.stdout.write(
        `  ${LABEL[transport]} round ${r + 1}: floor TTFT p50/p99 ${pair(ms(a.ttft, 50), ms(a.ttft, 99))} gap ${pair(ms(a.gap, 50), ms(a.gap, 99))}` +
          ` | transport TTFT ${pair(ms(b.ttft, 50), ms(b.ttft, 99))} gap ${pair(ms(b.gap, 50), ms(b.gap, 99))} behind schedule ${pair(ms(b.drift, 50), ms(b.drift, 99))}` +
          ` | ${b.streams}/${CONCURRENCY} streams, ${b.chunks} chunks (floor ${a.chunks}), ${b.failed + a.failed} failed${b.firstError ?? a.firstError ? ` (${b.firstError ?? a.firstError})` : ''}` +
          ` | server CPU ${Math.round(b.serverCpuUs / Math.max(1, b.chunks))} us/chunk (floor ${Math.round(a.serverCpuUs / Math.max(1, a.chunks))}), other processes ${(b.otherCpuShare * 100).toFixed(0)}% of a core\n`,
      );
    }
    const after = await serverStats(server);
    return { ...run, peakRssMb: peakRssMb(server.child.pid!), environments: after.executionEnvironments, loopDelayP99Ms: after.loopDelayP99Ms };
  } finally {
    await client.close();
    await floorClient.close();
    server.child.kill();
  }
}

/** Median over rounds of (transport - floor) at percentile p of the histogram `key`. */
function added(run: TransportRun, key: 'ttft' | 'gap' | 'drift', p: number): number {
  return median(run.through.map((t, i) => ms(t[key], p) - ms(run.floor[i]![key], p)));
}

const med = (runs: Measured[], key: 'ttft' | 'gap' | 'drift', p: number): number => median(runs.map((r) => ms(r[key], p)));

function rows(runs: TransportRun[]) {
  const floor = runs.flatMap((r) => r.floor);
  const perChunk = (ms: Measured[]) => Math.round(median(ms.map((m) => m.serverCpuUs / Math.max(1, m.chunks))));
  return [
    {
      transport: 'Bedrock mock, direct (floor)',
      'TTFT p50/p99 ms': pair(med(floor, 'ttft', 50), med(floor, 'ttft', 99)),
      'added TTFT p50/p99 ms': '-',
      'gap p50/p99 ms': pair(med(floor, 'gap', 50), med(floor, 'gap', 99)),
      'added per chunk p50/p99 ms': '-',
      'behind schedule p50/p99 ms': pair(med(floor, 'drift', 50), med(floor, 'drift', 99)),
      'server CPU us/chunk': perChunk(floor),
      'peak RSS MB': '-',
      'target met?': '-',
    },
    ...runs.map((run) => {
      const [ttft50, chunk50] = [added(run, 'ttft', 50), added(run, 'drift', 50)];
      const failed = run.through.reduce((n, m) => n + m.failed, 0);
      const met = ttft50 < TARGET.ttftMs && chunk50 < TARGET.chunkMs && failed === 0;
      return {
        transport: LABEL[run.transport],
        'TTFT p50/p99 ms': pair(med(run.through, 'ttft', 50), med(run.through, 'ttft', 99)),
        'added TTFT p50/p99 ms': pair(ttft50, added(run, 'ttft', 99)),
        'gap p50/p99 ms': pair(med(run.through, 'gap', 50), med(run.through, 'gap', 99)),
        'added per chunk p50/p99 ms': pair(chunk50, added(run, 'drift', 99)),
        'behind schedule p50/p99 ms': pair(med(run.through, 'drift', 50), med(run.through, 'drift', 99)),
        'server CPU us/chunk': perChunk(run.through),
        'peak RSS MB': Math.round(run.peakRssMb),
        'target met?': `${met ? 'yes' : 'NO'}${failed ? ` (${failed} failed)` : ''}`,
      };
    }),
  ];
}

export async function runStreamingBench(): Promise<void> {
  process.stdout.write(
    `\ngenai-offline streaming bench: ${CONCURRENCY} concurrent streams a round, ${ROUNDS} rounds (medians), mock TTFT ${SCHEDULE.timeToFirstTokenMs} ms then ` +
      `${SCHEDULE.tokensPerChunk} token a chunk every ${MODEL_GAP_MS} ms, ${SCHEDULE.outputTokens} tokens, no jitter, time scale 1, node ${process.version}\n`,
  );
  const runs: TransportRun[] = [];
  for (const transport of TRANSPORTS) {
    const run = await measure(transport);
    process.stdout.write(`  ${LABEL[transport]}: ${run.environments} execution environments, server loop delay p99 ${f2(run.loopDelayP99Ms)} ms over the rounds\n`);
    runs.push(run);
  }
  console.table(rows(runs));
  process.stdout.write(
    `added = transport - floor, per round, median of rounds; the floor is the same emulator's Bedrock mock read directly (raw HTTP/1.1) by ${CONCURRENCY} streams in the round before.\n` +
      `behind schedule = chunk k's arrival - chunk 1's - (k-1) x ${MODEL_GAP_MS} ms: how much later than the first chunk a chunk comes (the first's own delay is in added TTFT);\n` +
      `added per chunk = transport - floor of that figure (not of the gap, whose differences cancel out when a late chunk arrives merged with the next: one long gap, then zero).\n` +
      `server CPU = the emulator process (mock + Lambda workers + transport) per chunk delivered. target: added TTFT p50 < ${TARGET.ttftMs} ms and added per chunk p50 < ${TARGET.chunkMs} ms at ${CONCURRENCY} streams.\n`,
  );
}
