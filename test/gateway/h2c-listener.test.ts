import { afterEach, describe, expect, it } from 'vitest';
import { connect as connectHttp2 } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import type { AnyHttpResponse, HttpRequest } from '../../emulator/core/http.ts';
import { memoryLog } from '../../emulator/core/log.ts';
import { HTTP2_PREFACE, listenHttpAndH2c } from '../../emulator/gateway/h2c-listener.ts';
import type { Listener } from '../../emulator/gateway/http-listener.ts';

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

async function start(handle: (req: HttpRequest) => Promise<AnyHttpResponse>): Promise<string> {
  listener = await listenHttpAndH2c({ handle }, { host: '127.0.0.1', port: 0, maxBodyBytes: 1024, log: memoryLog() });
  return listener.url;
}

/** One HTTP/2 request with prior knowledge (what the AWS SDK's default handler does on http://). */
function h2Request(url: string, path: string, body: string, onChunk?: (chunk: Buffer) => boolean | void): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(url);
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': path, 'x-mixed-case': 'v' });
    const chunks: Buffer[] = [];
    let headers: Record<string, unknown> = {};
    stream.on('response', (h) => (headers = h));
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (onChunk?.(chunk) === false) {
        stream.close();
        session.close();
        resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) });
      }
    });
    stream.on('end', () => {
      session.close();
      resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

/** A streaming body of `n` chunks that records how far it was pulled and whether it was stopped. */
function countingStream(n: number, gate?: Promise<void>) {
  const state = { pulled: 0, returned: false };
  const body: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        if (state.pulled >= 1 && gate) await gate;
        if (state.pulled >= n) return { done: true, value: undefined };
        return { done: false, value: Buffer.from(`chunk-${state.pulled++};`) };
      },
      async return() {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { state, body };
}

describe('HTTP/1.1 and cleartext HTTP/2 on one port', () => {
  it('h2c listener: the same port serves fetch (HTTP/1.1) and an HTTP/2 client, without pseudo-headers', async () => {
    const seen: HttpRequest[] = [];
    const url = await start(async (req) => {
      seen.push(req);
      return { status: 201, headers: [['Content-Type', 'text/plain'], ['Connection', 'keep-alive']], body: `${req.protocol} ${req.body.toString()}` };
    });
    const h1 = await fetch(`${url}/a?x=1`, { method: 'POST', body: 'one' });
    expect(h1.status).toBe(201);
    expect(await h1.text()).toBe('HTTP/1.1 one');
    const h2 = await h2Request(url, '/b?y=2', 'two');
    expect(h2.status).toBe(201);
    expect(h2.headers['content-type']).toBe('text/plain');
    expect(h2.headers['content-length']).toBe('12');
    expect(h2.body.toString()).toBe('HTTP/2.0 two');
    expect(seen.map((r) => [r.method, r.rawUrl, r.protocol])).toEqual([['POST', '/a?x=1', 'HTTP/1.1'], ['POST', '/b?y=2', 'HTTP/2.0']]);
    expect(seen[1]!.rawHeaders).toContain('x-mixed-case');
    expect(seen[1]!.rawHeaders.some((h) => h.startsWith(':'))).toBe(false);
  });

  it('h2c listener: a preface split across TCP writes is still recognised as HTTP/2 (the server answers with SETTINGS)', async () => {
    const url = await start(async () => ({ status: 200, headers: [], body: '' }));
    const socket = connectTcp(Number(new URL(url).port), '127.0.0.1');
    const first = new Promise<Buffer>((resolve) => socket.once('data', resolve));
    socket.write(HTTP2_PREFACE.subarray(0, 5));
    await new Promise((resolve) => setImmediate(resolve));
    socket.write(HTTP2_PREFACE.subarray(5));
    const frame = await first;
    socket.destroy();
    // Frame header: 24-bit length, then type 0x04 (SETTINGS).
    expect(frame[3]).toBe(0x04);
  });

  it('h2c listener: a streaming body arrives chunk by chunk, in order, over both protocols', async () => {
    const url = await start(async () => ({ status: 200, headers: [['content-type', 'application/octet-stream']], body: countingStream(5).body }));
    const expected = 'chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;';
    const h1 = await fetch(url, { method: 'POST' });
    expect(h1.headers.get('transfer-encoding')).toBe('chunked');
    expect(await h1.text()).toBe(expected);
    expect((await h2Request(url, '/', '')).body.toString()).toBe(expected);
  });

  it('h2c listener: a client that goes away mid-stream stops the producer (its iterator is returned)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { state, body } = countingStream(100, gate);
    const url = await start(async () => ({ status: 200, headers: [], body }));
    await h2Request(url, '/', '', () => false);
    // The listener notices the closed stream while the producer is still waiting on its gate.
    for (let i = 0; i < 50 && !state.returned; i++) await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(state.returned).toBe(true);
    expect(state.pulled).toBeLessThan(100);
  });
});
