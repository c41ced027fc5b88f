import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersOf, startStreamApi, StreamClient, type StreamHarness } from './stream-support.ts';

describe('REST STREAM: the function\'s prelude and body reach the client as they are written', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamApi(
      {
        routes: {
          'POST /chat': { function: 'chat', responseTransferMode: 'STREAM' },
          'GET /bare': { function: 'bare', responseTransferMode: 'STREAM' },
          'GET /no-prelude': { function: 'noPrelude', responseTransferMode: 'STREAM' },
          'GET /fails': { function: 'failsAtOnce', responseTransferMode: 'STREAM' },
          'GET /slow': { function: 'slowStart', responseTransferMode: 'STREAM' },
          'GET /patient': { function: 'patient', responseTransferMode: 'STREAM', integrationTimeoutMs: 900_000 },
          'GET /buffered': 'buffered',
        },
      },
      {
        chat: { handler: 'handlers.chat' },
        bare: { handler: 'handlers.bare' },
        noPrelude: { handler: 'handlers.noPrelude' },
        failsAtOnce: { handler: 'handlers.failsAtOnce' },
        slowStart: { handler: 'handlers.slowStart' },
        patient: { handler: 'handlers.slowStart' },
        buffered: { handler: 'handlers.buffered' },
      },
    );
  });
  afterAll(() => h.close());

  it('REST STREAM: the client holds chunk 1 before emulated time lets the handler write chunk 2; status, headers and cookies come from the prelude', async () => {
    const client = new StreamClient(`${h.url}/chat`, h.clock, { method: 'POST', body: 'hi' });
    const res = await client.response;
    expect(res.statusCode).toBe(201);
    const headers = headersOf(res);
    expect(headers['content-type']).toEqual(['text/event-stream']);
    expect(headers['x-model']).toEqual(['m1']);
    expect(headers['set-cookie']).toEqual(['session=abc; Secure', 'theme=dark']);
    expect(headers['x-amzn-requestid']).toEqual(['req-1']);
    expect(headers['x-amz-apigw-id']).toHaveLength(1);
    expect(headers['x-amzn-trace-id']).toHaveLength(1);
    expect(headers['transfer-encoding']).toEqual(['chunked']);

    const first = `data: ${JSON.stringify({ resource: '/chat', path: '/chat', method: 'POST', body: 'hi', requestId: 'req-1' })}\n\n`;
    await client.received(Buffer.byteLength(first));
    expect(client.text()).toBe(first);
    // The handler is waiting on the emulated clock, which has not moved: chunk 2 does not exist yet.
    expect(h.trace.events('lambda.stream.chunk').map((e) => e.chunk)).toEqual([1]);

    await h.clock.advance(1_000);
    await client.received(Buffer.byteLength(first) + 11);
    expect(client.text()).toBe(`${first}data: two\n\n`);
    await h.clock.advance(1_000);
    expect(await client.ended).toEqual({ complete: true });
    expect(client.text()).toBe(`${first}data: two\n\ndata: three\n\n`);

    const t0 = h.trace.events('http.request')[0]!.at;
    expect(h.trace.events('gateway.stream.chunk').map(({ api, requestId, bytes, chunk, at }) => ({ api, requestId, bytes, chunk, at: at - t0 }))).toEqual([
      { api: 'chat', requestId: 'req-1', bytes: Buffer.byteLength(first), chunk: 1, at: 0 },
      { api: 'chat', requestId: 'req-1', bytes: 11, chunk: 2, at: 1_000 },
      { api: 'chat', requestId: 'req-1', bytes: 13, chunk: 3, at: 2_000 },
    ]);
    expect(h.trace.events('http.response').find((e) => e.requestId === 'req-1')).toMatchObject({ status: 201 });
  });

  it('REST STREAM: a prelude without status or headers gives 200 and application/json; body bytes are passed through exactly', async () => {
    const client = new StreamClient(`${h.url}/bare`, h.clock);
    const res = await client.response;
    expect(res.statusCode).toBe(200);
    expect(headersOf(res)['content-type']).toEqual(['application/json']);
    expect(await client.ended).toEqual({ complete: true });
    expect(Buffer.concat(client.chunks)).toEqual(Buffer.from([0xff, 0x00, 0x01]));
  });

  it('REST STREAM: a function that streams without the prelude and delimiter gets 502 Internal server error', async () => {
    const client = new StreamClient(`${h.url}/no-prelude`, h.clock);
    const res = await client.response;
    expect(res.statusCode).toBe(502);
    expect(headersOf(res)['x-amzn-errortype']).toEqual(['InternalServerErrorException']);
    await client.ended;
    expect(client.text()).toBe('{"message": "Internal server error"}');
  });

  it('REST STREAM: a function that fails before its first byte gets 502, as a buffered route would', async () => {
    const client = new StreamClient(`${h.url}/fails`, h.clock);
    expect((await client.response).statusCode).toBe(502);
    await client.ended;
    expect(client.text()).toBe('{"message": "Internal server error"}');
  });

  it('REST STREAM: no first byte within the 29 s default integration timeout is a 504; the function runs on', async () => {
    const client = new StreamClient(`${h.url}/slow?ms=40000`, h.clock);
    const start = (await h.trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'slowStart')).at;
    await h.clock.advance(28_999);
    expect(h.trace.events('gateway.integration-timeout')).toEqual([]);
    await h.clock.advance(1);
    const res = await client.response;
    expect(res.statusCode).toBe(504);
    expect(headersOf(res)['x-amzn-errortype']).toEqual(['InternalServerErrorException']);
    await client.ended;
    expect(client.text()).toBe('{"message": "Endpoint request timed out"}');
    expect(h.trace.events('gateway.integration-timeout')).toMatchObject([{ api: 'chat', functionName: 'slowStart', timeoutMs: 29_000, at: start + 29_000 }]);
    await h.clock.advance(11_000);
    const end = await h.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'slowStart');
    expect(end).toMatchObject({ outcome: 'success', at: start + 40_000 });
  });

  it('REST STREAM: a route may wait up to 15 minutes for its first byte without a raised quota', async () => {
    const client = new StreamClient(`${h.url}/patient?ms=600000`, h.clock);
    await h.trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'patient');
    await h.clock.advance(600_000);
    expect((await client.response).statusCode).toBe(200);
    await client.ended;
    expect(client.text()).toBe('late');
    expect(h.trace.events('gateway.integration-timeout').filter((e) => e.functionName === 'patient')).toEqual([]);
  });

  it('REST STREAM: BUFFERED routes on the same API answer as before', async () => {
    const client = new StreamClient(`${h.url}/buffered`, h.clock);
    const res = await client.response;
    expect(res.statusCode).toBe(200);
    expect(headersOf(res)['content-length']).toEqual(['18']);
    await client.ended;
    expect(client.text()).toBe('buffered /buffered');
  });
});
