import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScenarioAssertionError } from '../../emulator/harness/errors.ts';
import { createHttpClient } from '../../emulator/harness/http-client.ts';
import { offlineTime, remoteTime } from '../../emulator/harness/time.ts';
import { startFakeApi, type FakeApi } from './support/fake-api.ts';

const REST = { kind: 'restApis', name: 'demo' } as const;

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi();
});
afterEach(async () => {
  await api.close();
});

describe('scenario HTTP client', () => {
  it('joins the invoke URL and the path without doubling slashes', () => {
    const http = createHttpClient({ endpoints: { restApis: { a: 'https://x.example/dev/', b: 'https://y.example' }, httpApis: {} }, time: remoteTime() });
    expect(http.url({ kind: 'restApis', name: 'a' }, '/chat?q=1')).toBe('https://x.example/dev/chat?q=1');
    expect(http.url({ kind: 'restApis', name: 'b' }, 'chat')).toBe('https://y.example/chat');
  });

  it('sends objects as JSON with a content type, strings as they are, and keeps query strings', async () => {
    const http = createHttpClient({ endpoints: api.endpoints, time: remoteTime() });
    const asJson = await http.request({ api: REST, method: 'post', path: '/echo-headers?x=a%20b', body: { prompt: 'hi' } });
    const echoed = asJson.json<{ headers: Record<string, string>; body: string; url: string }>();
    expect(echoed.body).toBe('{"prompt":"hi"}');
    expect(echoed.headers['content-type']).toBe('application/json');
    expect(echoed.url).toBe('/dev/echo-headers?x=a%20b');
    expect(asJson.method).toBe('POST');

    const asText = await http.request({ api: REST, method: 'POST', path: '/echo-headers', body: 'raw', headers: { Authorization: 'deny', 'Content-Type': 'text/plain' } });
    const raw = asText.json<{ headers: Record<string, string>; body: string }>();
    expect(raw.body).toBe('raw');
    expect(raw.headers.authorization).toBe('deny');
    expect(raw.headers['content-type']).toBe('text/plain');
  });

  it('returns status, case-insensitive headers, the body text and timings', async () => {
    const http = createHttpClient({ endpoints: api.endpoints, time: remoteTime() });
    const r = await http.request({ api: REST, method: 'GET', path: '/broken' });
    expect(r.status).toBe(502);
    expect(r.bodyText).toBe('{"message": "Internal server error"}');
    expect(r.headers.get('X-Amzn-ErrorType')).toBe('InternalServerErrorException');
    expect([...r.headers.keys()]).toContain('x-amzn-errortype');
    expect(r.realMs).toBeGreaterThan(0);
    expect(r.emulatedMs).toBe(r.realMs);
  });

  it('offline, emulated time is real time over the time scale', async () => {
    const http = createHttpClient({ endpoints: api.endpoints, time: offlineTime(0.01, undefined) });
    const r = await http.request({ api: REST, method: 'GET', path: '/broken' });
    expect(r.emulatedMs).toBeCloseTo(r.realMs * 100, 6);
  });

  it('an aborted request rejects with the abort reason, not a network error', async () => {
    const controller = new AbortController();
    const http = createHttpClient({ endpoints: api.endpoints, time: remoteTime(), signal: controller.signal });
    const pending = http.request({ api: REST, method: 'GET', path: '/hang' });
    const reason = new Error('budget spent');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('a body that is not JSON makes json() throw a ScenarioAssertionError', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('Internal Server Error'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const http = createHttpClient({ endpoints: { restApis: { demo: `http://127.0.0.1:${port}` }, httpApis: {} }, time: remoteTime() });
      const r = await http.request({ api: REST, method: 'GET', path: '/' });
      expect(() => r.json()).toThrow(ScenarioAssertionError);
      expect(() => r.json()).toThrow(`Expected a JSON body from GET http://127.0.0.1:${port}/, got "Internal Server Error"`);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
