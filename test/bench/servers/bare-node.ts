import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The baseline: bare node:http answering what the emulated APIs answer, in its own process.
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
  res.end('hello');
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/` })}\n`);
});
