import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoints } from '../../../emulator/core/endpoints.ts';

type Route = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/**
 * A stand-in for a deployed API: one node:http server on port 0, a REST API "demo" under /dev and an
 * HTTP API "demo" under /http, and an endpoints file in a fresh temp folder, as a remote run sees it.
 */
export interface FakeApi {
  endpoints: Endpoints;
  endpointsFile: string;
  /** A fresh temp folder for this test: reports, extra files. */
  dir: string;
  /** Requests seen, as `METHOD /path`. */
  seen: string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
};

export const DEFAULT_ROUTES: Record<string, Route> = {
  'POST /dev/chat': (_req, body, res) => json(res, 200, JSON.stringify({ reply: `echo ${body}`, model: 'fake' }), { 'x-amzn-RequestId': '6f1c2a8e-0b1d-4c51-9a51-0d5e3b7a1c20' }),
  'POST /http/chat': (_req, _body, res) => json(res, 200, '{"reply":"hi"}', { 'apigw-requestid': 'Hy8YcjX4IAMEVcQ=' }),
  'GET /dev/broken': (_req, _body, res) => json(res, 502, '{"message": "Internal server error"}', { 'x-amzn-ErrorType': 'InternalServerErrorException' }),
  'GET /dev/echo-headers': (req, body, res) => json(res, 200, JSON.stringify({ headers: req.headers, body, url: req.url })),
  'POST /dev/echo-headers': (req, body, res) => json(res, 200, JSON.stringify({ headers: req.headers, body, url: req.url })),
  // Never answers: the runner's time budget must end the scenario (the server drops it on close).
  'GET /dev/hang': () => undefined,
};

export async function startFakeApi(routes: Record<string, Route> = DEFAULT_ROUTES): Promise<FakeApi> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
      seen.push(key);
      const route = routes[key];
      if (route) route(req, Buffer.concat(chunks).toString('utf8'), res);
      else json(res, 403, '{"message":"Missing Authentication Token"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const endpoints: Endpoints = { restApis: { demo: `${base}/dev` }, httpApis: { demo: `${base}/http` } };
  const dir = await mkdtemp(join(tmpdir(), 'genai-offline-harness-'));
  const endpointsFile = join(dir, 'endpoints.json');
  await writeFile(endpointsFile, JSON.stringify(endpoints));
  return {
    endpoints,
    endpointsFile,
    dir,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Collects what a Writer receives. */
export function collector(): { write(text: string): void; text(): string } {
  const parts: string[] = [];
  return { write: (t) => void parts.push(t), text: () => parts.join('') };
}

/** A port nothing listens on (fetch refuses "bad ports" like 1, so a fixed one will not do). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
