import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Endpoints } from '../../emulator/core/endpoints.ts';
import { ScenarioAssertionError, ScenarioNetworkError } from '../../emulator/harness/errors.ts';
import { offlineTime, remoteTime } from '../../emulator/harness/time.ts';
import { createWsClient, type WsClient } from '../../emulator/harness/ws-client.ts';

/** A `ws` server standing in for a WebSocket API: it echoes, and obeys a few commands. */
interface FakeWsApi {
  endpoints: Endpoints;
  /** Messages the server received, with the request URL of their connection. */
  received: Array<{ url: string; text: string }>;
  sockets: WebSocket[];
  close(): Promise<void>;
}

async function startFakeWsApi(): Promise<FakeWsApi> {
  const received: FakeWsApi['received'] = [];
  const sockets: WebSocket[] = [];
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    maxPayload: 1024,
    verifyClient: (info, done) => (info.req.url?.includes('reject') ? done(false, 403) : done(true)),
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, req) => {
    sockets.push(socket);
    // ws reports the 1009 it sends as an error on the socket too.
    socket.on('error', () => undefined);
    socket.on('message', (data) => {
      const text = data.toString();
      received.push({ url: req.url ?? '', text });
      if (text === 'go-away') socket.close(1001, 'Going away');
      else socket.send(`echo:${text}`);
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}/dev`;
  return {
    endpoints: { restApis: {}, httpApis: {}, websocketApis: { demo: { url, connectionsUrl: `http://127.0.0.1:${port}/dev/@connections` } } } as Endpoints,
    received,
    sockets,
    close: () => new Promise((resolve) => {
      for (const s of server.clients) s.terminate();
      server.close(() => resolve());
    }),
  };
}

let api: FakeWsApi;
let client: WsClient;
beforeEach(async () => {
  api = await startFakeWsApi();
});
afterEach(async () => {
  client?.dispose();
  await api.close();
});

describe('scenario WebSocket client', () => {
  it('opens the API by name with a query string and sends objects as JSON', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    expect(client.url('demo', { name: 'a b' })).toBe(`${api.endpoints.websocketApis!.demo!.url}?name=a+b`);
    const conn = await client.connect('demo', { query: { name: 'ada' } });
    conn.send({ action: 'sendmessage' });
    const frame = await conn.waitFor((f) => f.text.startsWith('echo:'), 'an echo');
    expect(frame.text).toBe('echo:{"action":"sendmessage"}');
    expect(api.received).toEqual([{ url: '/dev?name=ada', text: '{"action":"sendmessage"}' }]);
  });

  it('keeps frames in order with emulated arrival times, and finds frames already received', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: offlineTime(0.01, undefined) });
    const conn = await client.connect('demo');
    conn.send('one');
    conn.send('two');
    await conn.waitFor((f) => f.text === 'echo:two', 'the second echo');
    expect(conn.frames.map((f) => f.text)).toEqual(['echo:one', 'echo:two']);
    expect(conn.frames[1]!.at).toBeGreaterThanOrEqual(conn.frames[0]!.at);
    expect(conn.frames[0]!.at).toBeGreaterThanOrEqual(conn.openedAt);
    // Real milliseconds read as 100 emulated ones at 0.01.
    expect(conn.now()).toBeGreaterThan(conn.openedAt);
    await expect(conn.waitFor((f) => f.text === 'echo:one', 'the first echo')).resolves.toBe(conn.frames[0]);
  });

  it('reports the server close code and reason, and fails a wait that can no longer succeed', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    const conn = await client.connect('demo');
    const waiting = conn.waitFor((f) => f.text === 'never', 'a frame that never comes');
    conn.send('go-away');
    await expect(conn.closed()).resolves.toMatchObject({ code: 1001, reason: 'Going away' });
    expect(conn.closeInfo).toMatchObject({ code: 1001, reason: 'Going away' });
    await expect(waiting).rejects.toBeInstanceOf(ScenarioAssertionError);
    await expect(waiting).rejects.toThrow(/^Expected a frame that never comes on ws:.*, but the socket closed \(1001 "Going away"\) after 0 frames/);
  });

  it('sends one message in continuation frames, which the server sees as one message over its limit (1009)', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    const conn = await client.connect('demo');
    await conn.sendFragmented('x'.repeat(1000), 300);
    await conn.waitFor((f) => f.text === `echo:${'x'.repeat(1000)}`, 'the echo of the fragmented message');
    await conn.sendFragmented('y'.repeat(1025), 300);
    await expect(conn.closed()).resolves.toMatchObject({ code: 1009 });
  });

  it('closes from the client side with a code', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    const conn = await client.connect('demo');
    await expect(conn.close(1000, 'bye')).resolves.toMatchObject({ code: 1000, reason: 'bye' });
  });

  it('a refused upgrade fails with the HTTP status', async () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    await expect(client.connect('demo', { query: { reject: '1' } })).rejects.toThrow(ScenarioNetworkError);
    await expect(client.connect('demo', { query: { reject: '1' } })).rejects.toThrow(/answered with HTTP 403/);
  });

  it('an API missing from the endpoints is named with the known ones', () => {
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime() });
    expect(() => client.url('nope')).toThrow('Failed to find the WebSocket API "nope" in the endpoints: it is not listed. Known websocketApis: demo; add it to the endpoints file.');
  });

  it('an aborted scenario rejects pending waits with its reason, and dispose terminates open sockets', async () => {
    const controller = new AbortController();
    client = createWsClient({ endpoints: api.endpoints, time: remoteTime(), signal: controller.signal });
    const conn = await client.connect('demo');
    const waiting = conn.waitFor(() => false, 'nothing');
    const reason = new Error('out of time');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    client.dispose();
    await expect(conn.closed()).resolves.toMatchObject({ code: 1006 });
  });
});
