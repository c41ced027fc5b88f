import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { reportLoopDelayOnSignal } from './loop-delay.ts';

/**
 * The floor, in its own process: a bare `ws` server with just enough of AppSync's real-time protocol
 * for the bench's clients (connection_init -> connection_ack, start -> start_ack) and a POST /graphql
 * that, without any GraphQL, sends the `publishChunk` variables as a data frame to every subscriber
 * and answers 200. What fan-out and the chunk stream cost on this machine with no emulation at all.
 */
const subscribers = new Map<WebSocket, string>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: Record<string, unknown> };
    const value = JSON.stringify(variables);
    if ('seq' in variables) for (const [socket, id] of subscribers) socket.send(`{"type":"data","id":${JSON.stringify(id)},"payload":{"data":{"onChunk":${value}}}}`);
    const body = `{"data":{"${'seq' in variables ? 'publishChunk' : 'echo'}":${value}}}`;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
const wss = new WebSocketServer({ server, path: '/graphql/realtime', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; id?: string };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
    if (message.type === 'start') {
      subscribers.set(socket, message.id!);
      socket.send(JSON.stringify({ type: 'start_ack', id: message.id }));
    }
  });
  socket.on('close', () => subscribers.delete(socket));
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  reportLoopDelayOnSignal();
  process.stdout.write(`${JSON.stringify({ graphqlUrl: `http://127.0.0.1:${port}/graphql`, realtimeUrl: `ws://127.0.0.1:${port}/graphql/realtime`, apiKey: 'unchecked' })}\n`);
});
