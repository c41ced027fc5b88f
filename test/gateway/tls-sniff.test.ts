import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { loadLocalCa, type LocalCa } from '../../emulator/core/local-ca.ts';
import type { Listener } from '../../emulator/gateway/http-listener.ts';
import { listenTlsAndPlain } from '../../emulator/gateway/tls-sniff.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'genai-offline-tls-sniff-'));
let ca: LocalCa;
let server: Server;
let wss: WebSocketServer;
let listener: Listener | undefined;

beforeAll(async () => {
  ca = await loadLocalCa({ dir });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await listener?.close();
  listener = undefined;
  wss?.close();
});

const scheme = (socket: unknown) => ((socket as Partial<TLSSocket>).encrypted ? 'tls' : 'plain');

/** An http server as the WebSocket API will have: requests, and upgrades handed to a `ws` server. */
async function start(): Promise<number> {
  server = createServer((req, res) => res.end(`${scheme(req.socket)} ${req.method} ${req.url}`));
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`${scheme(req.socket)} echo ${String(data)}`)));
  });
  listener = await listenTlsAndPlain(server, { key: ca.key, cert: ca.cert }, { host: '127.0.0.1', port: 0 });
  return listener.port;
}

function get(url: string, options: { ca?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    };
    const req = url.startsWith('https:') ? httpsRequest(url, { ca: options.ca, agent: false }, onResponse) : httpGet(url, { agent: false }, onResponse);
    req.on('error', reject);
    req.end();
  });
}

async function exchange(url: string, message: string): Promise<string> {
  const ws = new WebSocket(url, { ca: ca.caPem });
  await once(ws, 'open');
  ws.send(message);
  const [reply] = (await once(ws, 'message')) as [Buffer];
  ws.close();
  return reply.toString();
}

describe('TLS and cleartext on one port', () => {
  it('tls-sniff: the same port answers http:// and https:// (local CA trusted), and the server sees which', async () => {
    const port = await start();
    expect(await get(`http://localhost:${port}/a?x=1`)).toBe('plain GET /a?x=1');
    expect(await get(`https://localhost:${port}/b`, { ca: ca.caPem })).toBe('tls GET /b');
    expect(await get(`https://127.0.0.1:${port}/c`, { ca: ca.caPem })).toBe('tls GET /c');
  });

  it('tls-sniff: WebSocket upgrades work over wss:// and ws:// on the same port', async () => {
    const port = await start();
    expect(await exchange(`wss://localhost:${port}/`, 'hi')).toBe('tls echo hi');
    expect(await exchange(`ws://localhost:${port}/`, 'hey')).toBe('plain echo hey');
  });

  it('tls-sniff: a client that does not trust the local CA fails its handshake, and the port keeps serving', async () => {
    const port = await start();
    await expect(get(`https://localhost:${port}/`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(await get(`https://localhost:${port}/after`, { ca: ca.caPem })).toBe('tls GET /after');
  });

  it('tls-sniff: only http/1.1 is offered over TLS (no ALPN h2)', async () => {
    const port = await start();
    const { connect } = await import('node:tls');
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.caPem, ALPNProtocols: ['h2', 'http/1.1'] });
    await once(socket, 'secureConnect');
    expect(socket.alpnProtocol).toBe('http/1.1');
    socket.destroy();
  });

  it('tls-sniff: close() ends idle keep-alive connections of both kinds and a connection that never sent a byte', async () => {
    const port = await start();
    const silent = connectTcp(port, '127.0.0.1');
    await once(silent, 'connect');
    const closedSilent = once(silent, 'close');
    const tls = await import('node:tls');
    const secure = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.caPem });
    await once(secure, 'secureConnect');
    const closedSecure = once(secure, 'close');
    await listener!.close();
    listener = undefined;
    await Promise.all([closedSilent, closedSecure]);
  });
});
