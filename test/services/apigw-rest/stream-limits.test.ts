import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamApi, StreamClient, type StreamHarness } from './stream-support.ts';

const MiB = 1_048_576;

describe('REST STREAM limits (Regional): idle timeout, bandwidth after 10 MB', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamApi(
      {
        routes: {
          'GET /stalls': { function: 'stalls', responseTransferMode: 'STREAM' },
          'GET /big': { function: 'big', responseTransferMode: 'STREAM' },
        },
      },
      { stalls: { handler: 'handlers.stalls' }, big: { handler: 'handlers.big' } },
    );
  });
  afterAll(() => h.close());

  it('REST STREAM: 5 minutes without a byte from the function cuts the body after the status was sent; the function runs on', async () => {
    const client = new StreamClient(`${h.url}/stalls?ms=400000`, h.clock);
    expect((await client.response).statusCode).toBe(200);
    await client.received(6);
    const t0 = h.clock.now();
    await h.clock.advance(299_999);
    expect(h.trace.events('limit.hit')).toEqual([]);
    await h.clock.advance(1);
    expect(await client.ended).toEqual({ complete: false });
    expect(client.text()).toBe('first;');
    expect(h.trace.events('limit.hit')).toMatchObject([{ limit: 'restStreamIdleTimeoutMs', api: 'chat', functionName: 'stalls', at: t0 + 300_000 }]);
    expect(h.trace.events('lambda.stream.client-gone')).toMatchObject([{ functionName: 'stalls', chunks: 1 }]);
    await h.clock.advance(100_000);
    expect(await h.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'stalls')).toMatchObject({ outcome: 'success', at: t0 + 400_000 });
  });

  it('REST STREAM: the client gets the first 10 MB at once, then at most 2 MB per emulated second', async () => {
    const client = new StreamClient(`${h.url}/big`, h.clock);
    await client.received(10 * MiB);
    const t0 = h.clock.now();
    expect(client.bytes).toBe(10 * MiB);
    expect(h.trace.events('limit.hit').filter((e) => e.functionName === 'big')).toMatchObject([{ limit: 'restStreamUncappedBytes', at: t0 }]);
    // 4 MiB left, paced in slices of an eighth of a second's worth (256 KiB every 125 ms).
    for (let k = 1; k <= 16; k++) {
      await h.clock.advance(125);
      await client.received(10 * MiB + k * 256 * 1024);
      expect(client.bytes).toBe(10 * MiB + k * 256 * 1024);
      if (k === 8) expect(h.clock.now() - t0).toBe(1_000);
    }
    expect(await client.ended).toEqual({ complete: true });
    expect(h.clock.now() - t0).toBe(2_000);
    for (const { bytes, at } of client.arrivals) expect(bytes).toBeLessThanOrEqual(10 * MiB + ((at - t0) * 2 * MiB) / 1_000);
    const expected = Buffer.concat(Array.from({ length: 8 }, (_, i) => Buffer.alloc(1_835_008, 97 + i)));
    expect(Buffer.concat(client.chunks).equals(expected)).toBe(true);
    const written = h.trace.events('gateway.stream.chunk').filter((e) => e.at > t0);
    expect(written.reduce((sum, e) => sum + e.bytes, 0)).toBe(4 * MiB);
    expect(written.at(-1)!.at).toBe(t0 + 2_000);
  });
});

describe('REST STREAM limits: maximum duration', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    // The 15-minute maximum, shortened so the function's own 15-minute timeout cannot end it first.
    h = await startStreamApi({ routes: { 'GET /ticks': { function: 'ticks', responseTransferMode: 'STREAM' } } }, { ticks: { handler: 'handlers.ticks' } }, { limits: { restStreamIntegrationTimeoutMaxMs: 150_000 } });
  });
  afterAll(() => h.close());

  it('REST STREAM: a stream still going at the maximum duration is cut there (limit lowered to 150 s here)', async () => {
    const client = new StreamClient(`${h.url}/ticks`, h.clock);
    await client.received(7);
    const t0 = h.clock.now();
    await h.clock.advance(60_000);
    await client.received(14);
    await h.clock.advance(60_000);
    await client.received(21);
    await h.clock.advance(29_999);
    expect(h.trace.events('limit.hit').filter((e) => e.functionName === 'ticks')).toEqual([]);
    await h.clock.advance(1);
    expect(await client.ended).toEqual({ complete: false });
    expect(client.text()).toBe('tick 1;tick 2;tick 3;');
    expect(h.trace.events('limit.hit').filter((e) => e.functionName === 'ticks')).toMatchObject([{ limit: 'restStreamIntegrationTimeoutMaxMs', at: t0 + 150_000 }]);
  });
});

describe('REST STREAM limits (edge-optimized): 30 s idle timeout', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamApi({ endpointType: 'EDGE', routes: { 'GET /stalls': { function: 'stalls', responseTransferMode: 'STREAM' } } }, { stalls: { handler: 'handlers.stalls' } });
  });
  afterAll(() => h.close());

  it('REST STREAM: on an edge-optimized API a 29 s pause passes and a 30 s one cuts the stream', async () => {
    const patient = new StreamClient(`${h.url}/stalls?ms=29999`, h.clock);
    await patient.received(6);
    await h.clock.advance(29_999);
    expect(await patient.ended).toEqual({ complete: true });
    expect(patient.text()).toBe('first;second;');

    const cut = new StreamClient(`${h.url}/stalls?ms=40000`, h.clock);
    await cut.received(6);
    const t0 = h.clock.now();
    await h.clock.advance(30_000);
    expect(await cut.ended).toEqual({ complete: false });
    expect(cut.text()).toBe('first;');
    expect(h.trace.events('limit.hit')).toMatchObject([{ limit: 'restStreamEdgeIdleTimeoutMs', at: t0 + 30_000 }]);
  });
});
