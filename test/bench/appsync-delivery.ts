import { build, type Histogram } from 'hdr-histogram-js';
import { publish, wallNow, type AppSyncTarget } from './appsync-load.ts';
import { SubscriberGroup, type Received } from './appsync-subscribers.ts';
import { cpuMicros } from './process.ts';

/**
 * Mutations in, data frames out: fan-out (one mutation, many subscribers) and the chunk stream (many
 * mutations, each sent after the previous answer). Latency is mutation-sent (this process, before
 * the POST) to data-received (the subscriber process, on arrival), on the machine-wide clock.
 */
export interface Delivery {
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
  /** Server CPU (user + system, from /proc) over the window. */
  serverCpuUs: number;
  subscriberCpuUs: number;
  /** First mutation sent to last frame received. */
  seconds: number;
  mutationErrors: number;
}

export interface DeliveryOptions {
  /** How many processes hold the subscribers. */
  processes: number;
  timeoutMs: number;
}

const ms = (h: Histogram, p: number): number => h.getValueAtPercentile(p) / 1000;

/** `total` split over `parts`, the first ones taking the remainder. */
const share = (total: number, parts: number, i: number): number => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

async function openGroups(target: AppSyncTarget, total: number, processes: number): Promise<SubscriberGroup[]> {
  const groups = Array.from({ length: processes }, () => SubscriberGroup.spawn());
  const opened = await Promise.all(groups.map((g, i) => g.open(target, share(total, processes, i), 'bench')));
  const failed = opened.reduce((n, o) => n + o.failed, 0);
  if (failed > 0) throw new Error(`Failed to open ${failed} of ${total} subscribers: ${opened.find((o) => o.firstError)?.firstError}. Check the server's output above.`);
  return groups;
}

async function window(pid: number, target: AppSyncTarget, groups: SubscriberGroup[], subscribers: number, mutations: number, timeoutMs: number): Promise<Delivery> {
  const cpu = cpuMicros(pid);
  // Armed before the first POST: a frame that beats the IPC message is still counted.
  const waits = groups.map((g, i) => g.wait(share(subscribers, groups.length, i) * mutations, timeoutMs));
  const sentAt: number[] = [];
  let mutationErrors = 0;
  const started = wallNow();
  for (let seq = 0; seq < mutations; seq++) {
    sentAt[seq] = wallNow();
    if ((await publish(target, 'bench', seq)).status !== 200) mutationErrors++;
  }
  const received: Received[] = await Promise.all(waits);
  const serverCpuUs = cpuMicros(pid) - cpu;
  const latency = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  let last = started;
  for (const r of received) {
    r.times.forEach((t, i) => {
      latency.recordValue(Math.max(1, Math.round((t - sentAt[r.seqs[i]!]!) * 1000)));
      last = Math.max(last, t);
    });
  }
  return {
    p50: ms(latency, 50),
    p99: ms(latency, 99),
    max: ms(latency, 100),
    delivered: received.reduce((n, r) => n + r.times.length, 0),
    expected: subscribers * mutations,
    serverCpuUs,
    subscriberCpuUs: received.reduce((n, r) => n + r.cpuUs, 0),
    seconds: (last - started) / 1000,
    mutationErrors,
  };
}

/** `rounds` single mutations to `subscribers`, after a 3-mutation warm-up. */
export async function fanOut(pid: number, target: AppSyncTarget, subscribers: number, rounds: number, options: DeliveryOptions): Promise<Delivery[]> {
  const groups = await openGroups(target, subscribers, options.processes);
  try {
    await window(pid, target, groups, subscribers, 3, options.timeoutMs);
    const out: Delivery[] = [];
    for (let round = 0; round < rounds; round++) out.push(await window(pid, target, groups, subscribers, 1, options.timeoutMs));
    return out;
  } finally {
    await Promise.all(groups.map((g) => g.close()));
  }
}

/** `chunks` mutations one after another to `subscribers`, after a 10-mutation warm-up. */
export async function chunkStream(pid: number, target: AppSyncTarget, subscribers: number, chunks: number, options: DeliveryOptions): Promise<Delivery> {
  const groups = await openGroups(target, subscribers, options.processes);
  try {
    await window(pid, target, groups, subscribers, 10, options.timeoutMs);
    return await window(pid, target, groups, subscribers, chunks, options.timeoutMs);
  } finally {
    await Promise.all(groups.map((g) => g.close()));
  }
}
