import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { validateConfig } from '../../../emulator/core/config.ts';
import { buildRequest, ConnectionDropped, type HttpResponse, type StreamingHttpResponse } from '../../../emulator/core/http.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { ModelTimeoutException, ThrottlingException } from '../../../emulator/services/bedrock/errors.ts';
import { eventStreamCodec } from '../../../emulator/services/bedrock/event-stream.ts';
import { faultRulesSchema } from '../../../emulator/services/bedrock/fault-options.ts';
import { createFaultInjector, faultedStream, type PlannedFrame } from '../../../emulator/services/bedrock/faults.ts';
import type { BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import { bedrockService, MODEL_ID } from './helpers.ts';

const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'pace me' }] }] });
const request = (op: string) => buildRequest({ method: 'POST', path: `/model/${encodeURIComponent(MODEL_ID)}/${op}`, body });

interface Arrival {
  eventType: string;
  at: number;
}

/** Runs one ConverseStream on a ManualClock: each frame's type and emulated instant, and what the stream threw. */
async function stream(input: BedrockOptionsInput) {
  const clock = new ManualClock();
  const { service, trace } = bedrockService(clock, input);
  const start = clock.now();
  const res = (await service.handle(request('converse-stream'))) as StreamingHttpResponse;
  const arrivals: Arrival[] = [];
  let thrown: unknown;
  const done = (async () => {
    try {
      for await (const frame of res.body) {
        const headers = eventStreamCodec.decode(frame).headers;
        arrivals.push({ eventType: String((headers[':event-type'] ?? headers[':exception-type'])!.value), at: clock.now() - start });
      }
    } catch (error) {
      thrown = error;
    }
  })();
  await clock.advance(600_000);
  await done;
  return { arrivals, thrown, trace, pending: clock.pendingCount() };
}

const deltas = (arrivals: Arrival[]) => arrivals.filter((a) => a.eventType === 'contentBlockDelta').map((a) => a.at);

describe('Bedrock stalls and drops on the emulated clock', () => {
  it('bedrock fault: a stall of 5 s after 2 chunks shifts the rest of the stream by exactly 5 s', async () => {
    const plain = await stream({});
    const stalled = await stream({ faults: [{ stall: { seconds: 5, afterChunks: 2 } }] });
    const before = deltas(plain.arrivals);
    expect(deltas(stalled.arrivals)).toEqual(before.map((t, i) => (i < 2 ? t : t + 5000)));
    expect(deltas(stalled.arrivals).slice(0, 3)).toEqual([400, 460, 5520]);
    expect(stalled.arrivals.at(-1)).toEqual({ eventType: 'metadata', at: before.at(-1)! + 5000 });
    expect(stalled.thrown).toBeUndefined();
    expect(stalled.trace.events('bedrock.fault')).toEqual([expect.objectContaining({ kind: 'stall', afterChunks: 2, stallMs: 5000 })]);
  });

  it('bedrock fault: a stall without afterChunks delays the first token; messageStart still comes at once', async () => {
    const { arrivals } = await stream({ faults: [{ stall: { seconds: 2 } }] });
    expect(arrivals[0]).toEqual({ eventType: 'messageStart', at: 0 });
    expect(deltas(arrivals)[0]).toBe(2400);
  });

  it('bedrock fault: a stall makes Converse answer that much later, and its latencyMs says so', async () => {
    const clock = new ManualClock();
    const { service } = bedrockService(clock, { faults: [{ stall: { seconds: 30 }, on: { requestNumber: 2 } }] });
    const timed = async () => {
      const start = clock.now();
      let answeredAt: number | undefined;
      const pending = (service.handle(request('converse')) as Promise<HttpResponse>).then((r) => {
        answeredAt = clock.now() - start;
        return r;
      });
      await clock.advance(120_000);
      const res = await pending;
      return { answeredAt: answeredAt!, latencyMs: JSON.parse(String(res.body)).metrics.latencyMs as number };
    };
    const plain = await timed();
    const stalled = await timed();
    expect(stalled.answeredAt).toBe(plain.answeredAt + 30_000);
    expect(stalled.latencyMs).toBe(plain.latencyMs + 30_000);
  });

  it('bedrock fault: a drop ends the body with ConnectionDropped at the N-th chunk\'s instant, no exception frame, no timer left', async () => {
    const { arrivals, thrown, trace, pending } = await stream({ faults: [{ drop: true, afterChunks: 3 }] });
    expect(arrivals.map((a) => a.eventType)).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta']);
    expect(thrown).toBeInstanceOf(ConnectionDropped);
    expect(pending).toBe(0);
    expect(trace.events('bedrock.fault')).toEqual([expect.objectContaining({ kind: 'drop', afterChunks: 3 })]);
  });

  it('bedrock fault: drop and in-stream error rules leave Converse alone; a stall rule applies to it', () => {
    const injector = createFaultInjector(faultRulesSchema.parse([{ drop: true, afterChunks: 1 }, { stall: { seconds: 1 } }]), 0, new Trace(new ManualClock()));
    expect(injector.next({ requestId: 'r', operation: 'Converse', modelId: MODEL_ID })).toEqual({ kind: 'stall', afterChunks: 0, ms: 1000 });
    expect(injector.next({ requestId: 'r', operation: 'ConverseStream', modelId: MODEL_ID })).toEqual({ kind: 'drop', afterChunks: 1 });
  });
});

describe('InvokeModelWithResponseStream\'s extra stream exception', () => {
  it('bedrock fault: ModelTimeoutException with afterChunks is valid and answers InvokeModelWithResponseStream only', () => {
    const rules = validateConfig({ bedrock: { faults: [{ error: 'ModelTimeoutException', afterChunks: 1 }] } }).bedrock.faults;
    const injector = createFaultInjector(rules, 0, new Trace(new ManualClock()));
    const at = (operation: 'ConverseStream' | 'InvokeModelWithResponseStream' | 'Converse') => injector.next({ requestId: 'r', operation, modelId: MODEL_ID });
    expect(at('ConverseStream')).toBeUndefined();
    expect(at('Converse')).toBeUndefined();
    expect(at('InvokeModelWithResponseStream')).toMatchObject({ kind: 'stream', afterChunks: 1, error: expect.any(ModelTimeoutException) });
  });

  it('bedrock fault: renderStreamException uses the operation\'s union member; ConverseStream has none for ModelTimeoutException', () => {
    const frame = eventStreamCodec.decode(new ModelTimeoutException().renderStreamException('InvokeModelWithResponseStream'));
    expect(frame.headers[':exception-type']!.value).toBe('modelTimeoutException');
    expect(frame.headers[':message-type']!.value).toBe('exception');
    expect(() => new ModelTimeoutException().renderStreamException('ConverseStream')).toThrow(/ConverseStream has no such member/);
    expect(eventStreamCodec.decode(new ThrottlingException().renderStreamException()).headers[':exception-type']!.value).toBe('throttlingException');
  });

  it('bedrock fault: faultedStream cuts before the (N+1)-th chunk or the first tail frame, whichever comes first', () => {
    const f = (name: string, atMs: number, flags: Partial<PlannedFrame> = {}): PlannedFrame => ({ atMs, value: Buffer.from(name), ...flags });
    const frames = [f('start', 0), f('c1', 10, { chunk: true }), f('c2', 20, { chunk: true }), f('stop', 20), f('end', 20, { tail: true })];
    const names = (items: Array<{ value: Buffer; atMs: number }>) => items.map((i) => `${String(i.value)}@${i.atMs}`);
    const error = new ModelTimeoutException();
    const timeoutFrame = String(error.renderStreamException('InvokeModelWithResponseStream'));
    const cut1 = faultedStream(frames, { kind: 'stream', error, afterChunks: 1 }, 'InvokeModelWithResponseStream');
    expect(names(cut1.items)).toEqual(['start@0', 'c1@10', `${timeoutFrame}@10`]);
    const cut9 = faultedStream(frames, { kind: 'drop', afterChunks: 9 }, 'InvokeModelWithResponseStream');
    expect(names(cut9.items)).toEqual(['start@0', 'c1@10', 'c2@20', 'stop@20']);
    expect(cut9.fail).toEqual({ atMs: 20, error: expect.any(ConnectionDropped) });
    expect(names(faultedStream(frames, { kind: 'stall', afterChunks: 1, ms: 100 }, 'ConverseStream').items)).toEqual(['start@0', 'c1@10', 'c2@120', 'stop@120', 'end@120']);
  });
});
