import type { ChildProcess } from 'node:child_process';
import type { Histogram } from 'hdr-histogram-js';
import { fidelityChecks, type CheckResult } from './bedrock-fidelity.ts';
import { clientLabel, rawClient, sdkClient, type Client } from './bedrock-clients.ts';
import { closedLoop, PACING, type Caller, type LoadWindow } from './bedrock-load.ts';
import { peakRssMb, spawnServer } from './process.ts';

/**
 * The Bedrock part of `npm run bench`: the emulator's Bedrock runtime and @copilotkit/aimock, each
 * in its own process with the same pacing (TTFT 400 ms, 50 tokens/s, 3-token chunks), loaded from
 * this one. Accuracy is measured at the AWS SDK; throughput at 100/500/1,000 streams by a raw client
 * by default (BENCH_BEDROCK_CLIENT=sdk to use the SDK), since the SDK alone saturates a core sooner
 * than either server. Server CPU comes from /proc, so the load generator's share of the 2 cores
 * does not blur it: CPU per request and per chunk are the fair figures.
 */
const SECONDS = Number(process.env.BENCH_BEDROCK_SECONDS ?? 6);
const LEVELS = (process.env.BENCH_BEDROCK_LEVELS ?? '100,500,1000').split(',').map(Number);
const LOAD_CLIENT = process.env.BENCH_BEDROCK_CLIENT === 'sdk' ? 'sdk' : 'raw';
const CONVERSE_CALLERS = Number(process.env.BENCH_BEDROCK_CONVERSE_CALLERS ?? 50);
// A whole stream: TTFT plus 13 more chunks at 60 ms, and some slack.
const STREAM_MS = 1300;
const WARM_MS = Number(process.env.BENCH_BEDROCK_WARM_MS ?? 1500);
/**
 * BENCH_BEDROCK_EMULATOR_HTTP1=1 drives the emulator over HTTP/1.1 keep-alive, as aimock is driven: a
 * like-for-like CPU comparison, instead of the SDK's default (a new HTTP/2 connection per stream).
 */
const EMULATOR_HTTP1 = process.env.BENCH_BEDROCK_EMULATOR_HTTP1 === '1';

type Measured = LoadWindow & { serverLoopDelayP99Ms: number };

interface Target {
  name: 'emulator' | 'aimock';
  child: ChildProcess;
  nextLine(): Promise<string>;
  url: string;
  unpaced: string;
  /** aimock speaks only HTTP/1.1; the emulator is driven the way the SDK drives it by default, over HTTP/2. */
  http1: boolean;
}

type Pair<T> = Record<Target['name'], T>;

/** Every window measured, for the share of the machine other processes took (noise) in the summary. */
const measured: Measured[] = [];

const ms = (h: Histogram, p: number): number => h.getValueAtPercentile(p) / 1000;
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function row(metric: string, values: Pair<number>, digits = 1) {
  return { metric, emulator: fixed(values.emulator, digits), aimock: fixed(values.aimock, digits), 'emulator/aimock': fixed(values.emulator / values.aimock, 2) };
}

function pick(windows: Pair<Measured>, f: (w: Measured) => number): Pair<number> {
  return { emulator: f(windows.emulator), aimock: f(windows.aimock) };
}

async function both(targets: Target[], run: (t: Target) => Promise<Measured>): Promise<Pair<Measured>> {
  const out = {} as Pair<Measured>;
  for (const target of targets) measured.push((out[target.name] = await run(target)));
  return out;
}

function loadClient(target: Target, kind: 'raw' | 'sdk', paced = true): Client {
  const url = paced ? target.url : target.unpaced;
  return kind === 'raw' ? rawClient(url, target.http1) : sdkClient(url, target.http1);
}

/** How late the server's event loop ran since it was last asked (servers/loop-delay.ts). */
async function serverLoopDelayMs(target: Target): Promise<number> {
  const line = target.nextLine();
  target.child.kill('SIGUSR2');
  return (JSON.parse(await line) as { loopDelayP99Ms: number }).loopDelayP99Ms;
}

const after = <T>(ms: number, f: () => Promise<T>) => new Promise<T>((resolve) => setTimeout(() => resolve(f()), ms));

/** Ramp, warm-up (the same client and server, so JIT, connections and caches are warm), then the window. */
async function measure(target: Target, client: Client, call: (c: Client) => Caller, concurrency: number, rampMs: number): Promise<Measured> {
  const opened = after(rampMs + WARM_MS, () => serverLoopDelayMs(target));
  const closed = opened.then(() => after(SECONDS * 1000, () => serverLoopDelayMs(target)));
  const window = await closedLoop(call(client), { concurrency, rampMs, warmMs: WARM_MS, measureMs: SECONDS * 1000, serverPid: target.child.pid! });
  client.close();
  return { ...window, serverLoopDelayP99Ms: await closed };
}

function failures(windows: Pair<Measured>): string {
  return (['emulator', 'aimock'] as const)
    .filter((n) => windows[n].stats.failed > 0)
    .map((n) => `${n}: ${windows[n].stats.failed} failed (${windows[n].stats.firstError})`)
    .join('; ');
}

function note(windows: Pair<Measured>): void {
  const problems = failures(windows);
  if (problems) process.stdout.write(`  failures: ${problems}\n`);
  const other = Math.max(windows.emulator.otherCpuShare, windows.aimock.otherCpuShare);
  if (other > 0.25) process.stdout.write(`  note: other processes on this machine used up to ${fixed(other * 100, 0)}% of a core during this section; its timing errors include their interference.\n`);
  const saturated = (['emulator', 'aimock'] as const).filter((n) => windows[n].clientCpuShare > 0.9);
  if (saturated.length) process.stdout.write(`  note: the load generator used > 90% of a core against ${saturated.join(' and ')}: those figures are a floor set by the client, not the server.\n`);
}

function section(title: string): void {
  process.stdout.write(`\n${title}\n`);
}

async function streamLevel(targets: Target[], concurrency: number, kind: 'raw' | 'sdk'): Promise<Pair<Measured>> {
  section(`ConverseStream at ${concurrency} concurrent streams (${kind === 'raw' ? 'raw client' : 'AWS SDK client'})`);
  const windows = await both(targets, (t) => measure(t, loadClient(t, kind), (c) => c.converseStream, concurrency, STREAM_MS));
  console.table([
    row('completed streams/s', pick(windows, (w) => w.stats.completed / w.seconds)),
    row('chunks/s', pick(windows, (w) => w.stats.chunks / w.seconds), 0),
    row('gap error p50 (ms)', pick(windows, (w) => ms(w.stats.gapError, 50)), 2),
    row('gap error p99 (ms)', pick(windows, (w) => ms(w.stats.gapError, 99)), 2),
    row('TTFT error p50 (ms)', pick(windows, (w) => ms(w.stats.ttftError, 50)), 2),
    row('TTFT error p99 (ms)', pick(windows, (w) => ms(w.stats.ttftError, 99)), 2),
    row('server CPU per chunk (us)', pick(windows, (w) => w.serverCpuUs / w.stats.chunks)),
    row('server CPU (% of a core)', pick(windows, (w) => (w.serverCpuUs / 1e6 / w.seconds) * 100), 0),
    row('load generator CPU (% of a core)', pick(windows, (w) => w.clientCpuShare * 100), 0),
    row('server loop delay p99 (ms)', pick(windows, (w) => w.serverLoopDelayP99Ms), 2),
    row('load generator loop delay p99 (ms)', pick(windows, (w) => w.clientLoopDelayP99Ms), 2),
    row('other processes CPU (% of a core)', pick(windows, (w) => w.otherCpuShare * 100), 0),
  ]);
  note(windows);
  return windows;
}

export async function runBedrockBench(): Promise<void> {
  const started = performance.now();
  const emu = await spawnServer('test/bench/servers/bedrock.ts');
  const aim = await spawnServer('test/bench/servers/aimock.ts');
  const targets: Target[] = [
    { name: 'emulator', child: emu.child, nextLine: emu.nextLine, url: emu.urls.url!, unpaced: emu.urls.unpaced!, http1: EMULATOR_HTTP1 },
    { name: 'aimock', child: aim.child, nextLine: aim.nextLine, url: aim.urls.url!, unpaced: aim.urls.unpaced!, http1: true },
  ];
  process.stdout.write(
    `\ngenai-offline Bedrock bench: ConverseStream paced at TTFT ${PACING.ttftMs} ms, ${PACING.tokensPerSecond} tokens/s, 3 tokens a chunk, ~40-token replies; ${SECONDS} s windows, one round\n` +
      `  accuracy at 100 streams: ${clientLabel('sdk', false)} -> emulator, ${clientLabel('sdk', true)} -> aimock\n` +
      `  streams at each level and Converse: ${clientLabel(LOAD_CLIENT, EMULATOR_HTTP1)} -> emulator, ${clientLabel(LOAD_CLIENT, true)} -> aimock\n`,
  );

  section('Fidelity (AWS SDK; pass/fail, nothing hidden)');
  const fidelity: Pair<Array<[string, CheckResult]>> = { emulator: await fidelityChecks(targets[0]!.url, false), aimock: await fidelityChecks(targets[1]!.url, true) };
  console.table(
    fidelity.emulator.map(([name, e], i) => {
      const a = fidelity.aimock[i]![1];
      return { check: name, emulator: `${e.pass ? 'PASS' : 'FAIL'} ${e.detail}`.slice(0, 70), aimock: `${a.pass ? 'PASS' : 'FAIL'} ${a.detail}`.slice(0, 70) };
    }),
  );

  section('ConverseStream accuracy at 100 concurrent streams, measured at the AWS SDK (ms; target p99 < 5)');
  const accuracy = await both(targets, (t) => measure(t, loadClient(t, 'sdk'), (c) => c.converseStream, 100, STREAM_MS));
  console.table([
    row('TTFT error p50', pick(accuracy, (w) => ms(w.stats.ttftError, 50)), 2),
    row('TTFT error p99', pick(accuracy, (w) => ms(w.stats.ttftError, 99)), 2),
    row('gap error p50', pick(accuracy, (w) => ms(w.stats.gapError, 50)), 2),
    row('gap error p99', pick(accuracy, (w) => ms(w.stats.gapError, 99)), 2),
    row('stream duration p50', pick(accuracy, (w) => ms(w.stats.latency, 50)), 0),
    row('streams measured', pick(accuracy, (w) => w.stats.ttftError.totalCount), 0),
    row('load generator CPU (% of a core)', pick(accuracy, (w) => w.clientCpuShare * 100), 0),
    row('server loop delay p99', pick(accuracy, (w) => w.serverLoopDelayP99Ms), 2),
    row('load generator loop delay p99', pick(accuracy, (w) => w.clientLoopDelayP99Ms), 2),
    row('other processes CPU (% of a core)', pick(accuracy, (w) => w.otherCpuShare * 100), 0),
  ]);
  note(accuracy);

  const levels: Array<Pair<Measured>> = [];
  for (const concurrency of LEVELS) levels.push(await streamLevel(targets, concurrency, LOAD_CLIENT));
  // The same top level through the SDK, to show what it costs the load generator (and why the raw client measures the levels).
  if (LOAD_CLIENT === 'raw' && process.env.BENCH_BEDROCK_SDK_TOP !== '0') await streamLevel(targets, Math.max(...LEVELS), 'sdk');

  section(`Converse (non-streaming), ${CONVERSE_CALLERS} concurrent callers, closed loop (${LOAD_CLIENT === 'raw' ? 'raw client' : 'AWS SDK'}; no model latency on either server: aimock has none for Converse)`);
  const converse = await both(targets, (t) => measure(t, loadClient(t, LOAD_CLIENT, false), (c) => c.converse, CONVERSE_CALLERS, 200));
  console.table([
    row('requests/s', pick(converse, (w) => w.stats.completed / w.seconds), 0),
    row('latency p50 (ms)', pick(converse, (w) => ms(w.stats.latency, 50)), 2),
    row('latency p99 (ms)', pick(converse, (w) => ms(w.stats.latency, 99)), 2),
    row('server CPU per request (us)', pick(converse, (w) => w.serverCpuUs / w.stats.completed)),
    row('server CPU (% of a core)', pick(converse, (w) => (w.serverCpuUs / 1e6 / w.seconds) * 100), 0),
    row('server loop delay p99 (ms)', pick(converse, (w) => w.serverLoopDelayP99Ms), 2),
    row('load generator CPU (% of a core)', pick(converse, (w) => w.clientCpuShare * 100), 0),
    row('other processes CPU (% of a core)', pick(converse, (w) => w.otherCpuShare * 100), 0),
  ]);
  note(converse);

  const rss: Pair<number> = { emulator: peakRssMb(emu.child.pid!), aimock: peakRssMb(aim.child.pid!) };
  const cpuPerChunk = pick(levels[0]!, () => 0);
  for (const name of ['emulator', 'aimock'] as const) {
    cpuPerChunk[name] = levels.reduce((s, l) => s + l[name].serverCpuUs, 0) / levels.reduce((s, l) => s + l[name].stats.chunks, 0);
  }
  const cpuPerRequest = pick(converse, (w) => w.serverCpuUs / w.stats.completed);
  section('Totals');
  console.table([row('server CPU per chunk, all levels (us)', cpuPerChunk), row('server CPU per Converse request (us)', cpuPerRequest), row('peak RSS (MB)', rss, 0)]);
  emu.child.kill();
  aim.child.kill();

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const ttft99 = ms(accuracy.emulator.stats.ttftError, 99);
  const gap99 = ms(accuracy.emulator.stats.gapError, 99);
  const passed = (n: Target['name']) => fidelity[n].filter(([, r]) => r.pass).length;
  process.stdout.write(
    `\nBedrock targets: TTFT error p99 < 5 ms @100 (SDK): ${fixed(ttft99, 2)} ms ${verdict(ttft99 < 5)}` +
      ` | gap error p99 < 5 ms @100 (SDK): ${fixed(gap99, 2)} ms ${verdict(gap99 < 5)}` +
      ` | CPU/request <= 50% of aimock: ${fixed((cpuPerRequest.emulator / cpuPerRequest.aimock) * 100, 0)}% ${verdict(cpuPerRequest.emulator <= cpuPerRequest.aimock / 2)}` +
      ` | CPU/chunk <= 50% of aimock: ${fixed((cpuPerChunk.emulator / cpuPerChunk.aimock) * 100, 0)}% ${verdict(cpuPerChunk.emulator <= cpuPerChunk.aimock / 2)}` +
      ` | fidelity: emulator ${passed('emulator')}/${fidelity.emulator.length}, aimock ${passed('aimock')}/${fidelity.aimock.length} ${verdict(passed('emulator') === fidelity.emulator.length)}` +
      ` | other processes: mean ${fixed((measured.reduce((s, w) => s + w.otherCpuShare, 0) / measured.length) * 100, 0)}% of a core` +
      ` | wall ${fixed((performance.now() - started) / 1000, 0)} s\n`,
  );
}
