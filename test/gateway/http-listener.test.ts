import { afterEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import type { HttpRequest, HttpResponse } from '../../emulator/core/http.ts';
import { memoryLog } from '../../emulator/core/log.ts';
import { listenHttp, type Listener } from '../../emulator/gateway/http-listener.ts';

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

function start(handle: (req: HttpRequest) => Promise<HttpResponse>, maxBodyBytes = 1024) {
  const log = memoryLog();
  return listenHttp({ handle }, { host: '127.0.0.1', port: 0, maxBodyBytes, log }).then((l) => {
    listener = l;
    return { url: l.url, log };
  });
}

describe('HTTP listener', () => {
  it('listener: passes the raw request through and writes the response with its exact bytes', async () => {
    let seen: HttpRequest | undefined;
    const { url } = await start(async (req) => {
      seen = req;
      return { status: 201, headers: [['X-Custom', 'a'], ['content-type', 'text/plain']], body: 'héllo' };
    });
    const res = await fetch(`${url}/dev/items/1?q=a%20b&q=c`, { method: 'POST', body: 'payload', headers: { 'X-Mixed-Case': 'v' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-custom')).toBe('a');
    expect(res.headers.get('content-length')).toBe('6');
    expect(await res.text()).toBe('héllo');
    expect(seen).toMatchObject({ method: 'POST', rawUrl: '/dev/items/1?q=a%20b&q=c', sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' });
    expect(seen!.body.toString()).toBe('payload');
    expect(seen!.rawHeaders).toContain('X-Mixed-Case');
  });

  it('listener: keeps at most maxBodyBytes + 1 of a large body so the service can answer 413', async () => {
    let size = -1;
    const { url } = await start(async (req) => {
      size = req.body.length;
      return { status: 413, headers: [], body: 'too big' };
    }, 1024);
    const res = await fetch(url, { method: 'POST', body: Buffer.alloc(10_000, 1) });
    expect(res.status).toBe(413);
    expect(size).toBe(1025);
  });

  it('listener: a service that throws still gets the client an answer, and the listener keeps serving', async () => {
    let calls = 0;
    const { url, log } = await start(async () => {
      if (calls++ === 0) throw new Error('kaboom');
      return { status: 200, headers: [], body: 'ok' };
    });
    const first = await fetch(url);
    expect(first.status).toBe(500);
    expect(await first.text()).toBe('{"message":"genai-offline internal error"}');
    expect(log.lines[0]!.message).toMatch(/^Failed to handle GET \/: Error: kaboom/);
    expect((await fetch(url)).status).toBe(200);
  });

  it('listener: a client that disconnects mid-body does not take the listener down', async () => {
    const { url } = await start(async () => ({ status: 200, headers: [], body: 'ok' }));
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, { method: 'POST', headers: { 'content-length': '100' } });
      req.on('error', () => resolve());
      req.write('partial', () => {
        req.destroy();
        resolve();
      });
    });
    expect((await fetch(url)).status).toBe(200);
  });
});
