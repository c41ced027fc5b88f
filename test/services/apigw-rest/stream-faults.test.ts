import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStreamApi, StreamClient, type StreamHarness } from './stream-support.ts';

describe('REST STREAM faults after the head: no 5xx is possible any more', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamApi(
      {
        routes: {
          'GET /fails': { function: 'failsMidStream', responseTransferMode: 'STREAM' },
          'GET /chat': { function: 'chat', responseTransferMode: 'STREAM' },
        },
      },
      { failsMidStream: { handler: 'handlers.failsMidStream' }, chat: { handler: 'handlers.chat' } },
    );
  });
  afterAll(() => h.close());

  it('REST STREAM: a function error mid-stream truncates the body; the 200 already sent stands', async () => {
    const client = new StreamClient(`${h.url}/fails`, h.clock);
    expect((await client.response).statusCode).toBe(200);
    await client.received(8);
    await h.clock.advance(1_000);
    expect(await client.ended).toEqual({ complete: false });
    expect(client.text()).toBe('partial;');
    expect(h.trace.events('http.response')).toMatchObject([{ requestId: 'req-1', status: 200 }]);
    expect(h.trace.events('lambda.invoke.end')).toMatchObject([{ functionName: 'failsMidStream', outcome: 'error', errorType: 'Error' }]);
    expect(h.trace.events('gateway.stream.chunk')).toMatchObject([{ requestId: 'req-1', bytes: 8, chunk: 1 }]);
  });

  it('REST STREAM: a client that leaves mid-stream aborts the invocation, and the function runs on to its end', async () => {
    const client = new StreamClient(`${h.url}/chat`, h.clock);
    await client.received(1);
    const t0 = h.clock.now();
    client.leave();
    expect(await h.trace.waitFor('lambda.stream.client-gone', (e) => e.functionName === 'chat')).toMatchObject({ chunks: 1, at: t0 });
    await h.clock.advance(1_000);
    await h.clock.advance(1_000);
    expect(await h.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'chat')).toMatchObject({ outcome: 'success', at: t0 + 2_000, durationMs: 2_000 });
    expect(h.trace.events('gateway.stream.chunk').filter((e) => e.requestId === 'req-2').map((e) => e.chunk)).toEqual([1]);
  });
});
