import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { buildRequest, type HttpResponse, type StreamingHttpResponse } from '../../../emulator/core/http.ts';
import { parseConverseRequest } from '../../../emulator/services/bedrock/converse-request.ts';
import { unscriptedReply } from '../../../emulator/services/bedrock/model.ts';
import { eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';
import { planTimeline } from '../../../emulator/services/bedrock/timeline.ts';
import { bedrockService, MODEL_ID } from './helpers.ts';

const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'pace me' }] }] });
const request = (op: string) => buildRequest({ method: 'POST', path: `/model/${encodeURIComponent(MODEL_ID)}/${op}`, body });

interface Arrival {
  eventType: string;
  at: number;
}

/** Pulls frames as the listener would, noting the emulated instant each one arrives. */
function consume(clock: ManualClock, stream: AsyncIterable<Buffer>): { arrivals: Arrival[]; done: Promise<void> } {
  const arrivals: Arrival[] = [];
  const done = (async () => {
    for await (const frame of stream) {
      const eventType = eventStreamCodec.decode(frame).headers[':event-type']!.value as string;
      arrivals.push({ eventType, at: clock.now() });
    }
  })();
  return { arrivals, done };
}

describe('Bedrock latency on the emulated clock', () => {
  it('bedrock: the first token arrives exactly at TTFT (400 ms), then a chunk of 3 tokens every 60 ms (50 tokens/s)', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock);
    const start = clock.now();
    const res = (await service.handle(request('converse-stream'))) as StreamingHttpResponse;
    const { arrivals, done } = consume(clock, res.body);
    await clock.advance(0);
    expect(arrivals).toEqual([{ eventType: 'messageStart', at: start }]);
    await clock.advance(399);
    expect(arrivals).toHaveLength(1);
    await clock.advance(1);
    expect(arrivals.map((a) => a.eventType)).toEqual(['messageStart', 'contentBlockDelta']);
    await clock.advance(10_000);
    await done;
    const deltas = arrivals.filter((a) => a.eventType === 'contentBlockDelta').map((a) => a.at - start);
    const gaps = deltas.slice(1).map((t, i) => t - deltas[i]!);
    // Every full chunk is 3 tokens (60 ms at 50/s); the last may be shorter.
    expect(gaps.slice(0, -1).every((g) => g === 60)).toBe(true);
    expect(gaps.at(-1)).toBeLessThanOrEqual(60);
    const end = deltas.at(-1)!;
    expect(arrivals.slice(-3)).toEqual([
      { eventType: 'contentBlockStop', at: start + end },
      { eventType: 'messageStop', at: start + end },
      { eventType: 'metadata', at: start + end },
    ]);
    expect(clock.pendingCount()).toBe(0);
  });

  it('bedrock: configured latency (TTFT 1 s, 10 tokens/s, 1 token per chunk) paces accordingly', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock, { latency: { timeToFirstTokenMs: 1000, tokensPerSecond: 10, tokensPerChunk: 1 }, mock: { outputTokens: 5 } });
    const start = clock.now();
    const res = (await service.handle(request('converse-stream'))) as StreamingHttpResponse;
    const { arrivals, done } = consume(clock, res.body);
    await clock.advance(60_000);
    await done;
    const deltas = arrivals.filter((a) => a.eventType === 'contentBlockDelta').map((a) => a.at - start);
    expect(deltas.slice(0, 3)).toEqual([1000, 1100, 1200]);
  });

  it('bedrock: Converse answers only when the whole reply would have been written, with that latency', async () => {
    const clock = new ManualClock();
    const { service, options } = bedrockService(clock);
    let answered: HttpResponse | undefined;
    void (service.handle(request('converse')) as Promise<HttpResponse>).then((r) => (answered = r));
    const reply = unscriptedReply(options, { modelId: MODEL_ID, request: parseConverseRequest(Buffer.from(body)) });
    const completion = planTimeline(reply, () => 0).endMs;
    await clock.advance(completion - 1);
    expect(answered).toBeUndefined();
    await clock.advance(1);
    expect(answered?.status).toBe(200);
    expect(JSON.parse(String(answered!.body)).metrics).toEqual({ latencyMs: completion });
  });

  it('bedrock: a client that goes away mid-stream cancels the pending timer at once', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock);
    const res = (await service.handle(request('converse-stream'))) as StreamingHttpResponse;
    const iterator = res.body[Symbol.asyncIterator]();
    const first = iterator.next();
    await clock.advance(0);
    expect((await first).done).toBe(false);
    const pending = iterator.next();
    expect(clock.pendingCount()).toBe(1);
    await iterator.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(clock.pendingCount()).toBe(0);
  });
});
