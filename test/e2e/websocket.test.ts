import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLog, startEmulator, type RunningEmulator } from '../../emulator/index.ts';

// A WebSocket API through startEmulator: config, ports, endpoints, real worker threads, the control API.
const codeUri = fileURLToPath(new URL('./handlers', import.meta.url));
const fn = (name: string) => ({ codeUri, handler: `websocket.${name}` });

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator(
    {
      functions: { connect: fn('connect'), echo: fn('echo'), disconnect: fn('disconnect'), shout: fn('shout') },
      httpApis: { h: { routes: { $default: 'echo' } } },
      websocketApis: {
        chat: { stage: 'dev', routes: { $connect: 'connect', $disconnect: 'disconnect', echo: { function: 'echo', routeResponse: true }, shout: 'shout' } },
      },
    },
    { port: 0, log: silentLog },
  );
});
afterAll(() => emulator.close());

describe('WebSocket API, end to end', () => {
  it('e2e WebSocket: the endpoints name the ws URL and the @connections URL on one port', () => {
    const ws = emulator.endpoints.websocketApis!.chat!;
    expect(ws.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(ws.connectionsUrl).toBe(`${ws.url.replace(/^ws:/, 'http:')}/@connections`);
  });

  it('e2e WebSocket: connect, a two-way route through a worker, control API list and close, $disconnect', async () => {
    const { url } = emulator.endpoints.websocketApis!.chat!;
    const client = new WebSocket(url);
    await once(client, 'open');
    client.send(JSON.stringify({ action: 'echo', text: 'hi' }));
    const [reply] = (await once(client, 'message')) as [Buffer];
    expect(reply.toString()).toBe('{"echo":"hi","route":"echo"}');

    const [live] = emulator.websockets.connections('chat');
    expect(live).toMatchObject({ state: 'open', identity: { sourceIp: '127.0.0.1' } });
    const control = url.replace(/^ws:/, 'http:').replace(/\/dev$/, '/@control/connections');
    const listed = (await (await fetch(control)).json()) as { connections: Array<{ connectionId: string }> };
    expect(listed.connections.map((c) => c.connectionId)).toEqual([live!.connectionId]);

    const closed = once(client, 'close');
    expect((await fetch(`${control}/${encodeURIComponent(live!.connectionId)}?code=4001&reason=workshop`, { method: 'DELETE' })).status).toBe(204);
    const [code, reason] = (await closed) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([4001, 'workshop']);
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'disconnect');
    expect(end.outcome).toBe('success');
    expect(emulator.websockets.connections('chat')).toEqual([]);
  });

  it('e2e WebSocket: a handler posts back through https://${domainName}/${stage}, as AWS samples do: TLS on the API port, trusted by the worker, no code change', async () => {
    const { url } = emulator.endpoints.websocketApis!.chat!;
    const client = new WebSocket(url);
    await once(client, 'open');
    client.send(JSON.stringify({ action: 'shout', text: 'hello' }));
    const [reply] = (await once(client, 'message')) as [Buffer];
    expect(JSON.parse(reply.toString())).toEqual({ shout: 'HELLO', sourceIp: '127.0.0.1' });
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'shout');
    expect(end.outcome).toBe('success');
    expect(emulator.localCa?.caFile).toMatch(/ca\.pem$/);
    const mark = emulator.trace.events().at(-1)!.seq;
    client.close();
    await emulator.trace.waitFor('ws.disconnect', (e) => e.seq > mark);
  });

  it('e2e WebSocket: a $connect that returns 403 refuses the upgrade with 403', async () => {
    const client = new WebSocket(`${emulator.endpoints.websocketApis!.chat!.url}?deny=1`);
    client.on('error', () => undefined);
    const [, res] = (await once(client, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(res.statusCode).toBe(403);
  });

  it('e2e WebSocket: the programmatic close reaches the client', async () => {
    const client = new WebSocket(emulator.endpoints.websocketApis!.chat!.url);
    await once(client, 'open');
    const [live] = emulator.websockets.connections('chat');
    expect(emulator.websockets.close('chat', live!.connectionId, { code: 1001, reason: 'Going away' })).toBe(true);
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(1001);
  });
});

describe('WebSocket API on a scaled clock', () => {
  it('e2e WebSocket: at time scale 0.001 the 10-minute idle timeout closes with 1001 "Going away" after 600 real ms', async () => {
    const scaled = await startEmulator(
      { functions: { echo: fn('echo') }, websocketApis: { chat: { routes: { $default: 'echo' } } }, bedrock: { enabled: false } },
      { port: 0, timeScale: 0.001, log: silentLog },
    );
    try {
      const client = new WebSocket(scaled.endpoints.websocketApis!.chat!.url);
      await once(client, 'open');
      const [code, reason] = (await once(client, 'close')) as [number, Buffer];
      expect([code, reason.toString()]).toEqual([1001, 'Going away']);
      const connect = scaled.trace.events('ws.connect')[0]!;
      const gone = await scaled.trace.waitFor('ws.disconnect');
      expect(gone).toMatchObject({ code: 1001, reason: 'Going away', by: 'idle' });
      // Emulated: 10 minutes, never early (the clock re-arms a timer Node fires early).
      expect(gone.at - connect.at).toBeGreaterThanOrEqual(600_000);
      expect(gone.at - connect.at).toBeLessThan(600_000 + 200_000);
    } finally {
      await scaled.close();
    }
  });
});
