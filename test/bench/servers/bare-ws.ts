import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

// The baseline: a bare `ws` server with the emulator's shape, in its own process. Clients connect at
// /dev; a `whoami` message is answered with the connection id; `POST /dev/@connections/{id}` sends
// the body to that connection (200), or answers 410 when it is gone, as PostToConnection does.
const sockets = new Map<string, WebSocket>();
const PREFIX = '/dev/@connections/';

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const socket = req.method === 'POST' && req.url?.startsWith(PREFIX) ? sockets.get(decodeURIComponent(req.url.slice(PREFIX.length))) : undefined;
    if (!socket) {
      res.writeHead(410, { 'content-type': 'application/json' }).end('{"message":"Gone"}');
      return;
    }
    socket.send(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-length': '0' }).end();
  });
});
const wss = new WebSocketServer({ server, path: '/dev' });
wss.on('connection', (socket) => {
  // Shaped like API Gateway's ids: 11 random bytes in base64, e.g. "L0SM9cOFvHcCIhw=".
  const id = randomBytes(11).toString('base64');
  sockets.set(id, socket);
  socket.on('message', (data) => {
    if (data.toString().includes('"whoami"')) socket.send(id);
  });
  socket.on('close', () => sockets.delete(id));
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  reportLoopDelayOnSignal();
  process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${port}/dev`, connections: `http://127.0.0.1:${port}/dev/@connections` })}\n`);
});
