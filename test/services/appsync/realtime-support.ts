import { once } from 'node:events';
import WebSocket from 'ws';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import type { ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import type { Listener } from '../../../emulator/gateway/http-listener.ts';
import { listenWebSocket } from '../../../emulator/gateway/ws-listener.ts';
import { appsyncApiOptionsSchema } from '../../../emulator/services/appsync/options.ts';
import { createAppSyncApi, type AppSyncApi } from '../../../emulator/services/appsync/router.ts';
import { FakeLambda } from '../../support/fake-lambda.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

export const API_KEY = 'da2-realtimetestkey0000000000';
export const HOST = 'example1234567890000.appsync-api.us-east-1.amazonaws.com';

/** `?header=<base64 {host, x-api-key}>&payload=e30=` (reference §2.1, method 1). */
export const headerQuery = (key = API_KEY): string => `?header=${encodeURIComponent(Buffer.from(JSON.stringify({ host: HOST, 'x-api-key': key })).toString('base64'))}&payload=e30=`;

/** `header-<base64url>` without padding, as Amplify sends it (method 2). */
export const headerProtocol = (key = API_KEY): string => `header-${Buffer.from(JSON.stringify({ host: HOST, 'x-api-key': key })).toString('base64url')}`;

/** A `start` message as the reference's example shapes it. */
export function startMessage(id: string, query: string, variables: Record<string, unknown> = {}, key = API_KEY): string {
  return JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: { 'x-api-key': key, host: HOST } } } });
}

export interface RealtimeTestApi {
  api: AppSyncApi;
  clock: ManualClock;
  trace: Trace;
  /** `ws://127.0.0.1:<port>/graphql/realtime` */
  url: string;
  /** Opens with `graphql-ws` offered and the key in the `header` query parameter unless told otherwise. */
  connect(options?: { query?: string; protocols?: string[]; headers?: Record<string, string> }): Promise<RealtimeClient>;
  /** Opens, sends connection_init and reads the ack and the first ka. */
  ready(): Promise<RealtimeClient>;
  /** POST /graphql with the API key. */
  mutate(query: string, variables?: Record<string, unknown>): Promise<RawResponse>;
  refused(path: string, protocols: string[]): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

const started: RealtimeTestApi[] = [];

export async function closeAll(): Promise<void> {
  await Promise.all(started.splice(0).map((t) => t.close()));
}

/** The realtime fixture API (NONE resolvers) on a manual clock, on a real port, as emulator.ts serves it. */
export async function makeRealtimeApi(limits: Partial<Record<LimitName, number>> = {}, apiLimits?: Partial<Record<LimitName, number>>): Promise<RealtimeTestApi> {
  const clock = new ManualClock();
  const trace = new Trace(clock);
  const deps: ServiceDeps = { clock, trace, log: memoryLog(), limits: resolveLimits(limits), lambda: new FakeLambda(clock, {}), region: 'us-east-1', accountId: '123456789012' };
  const options = appsyncApiOptionsSchema.parse({
    schema: 'appsync/realtime.graphql',
    auth: [{ type: 'API_KEY', apiKey: API_KEY }],
    resolvers: { 'Mutation.publishChunk': { dataSource: 'NONE' }, 'Mutation.rename': { dataSource: 'NONE' } },
    ...(apiLimits ? { limits: apiLimits } : {}),
  });
  let n = 0;
  const api = createAppSyncApi('chat', options, deps, { baseDir: FIXTURES, ids: { connectionId: () => `conn-${++n}` } });
  const listener: Listener = await listenWebSocket(api, { host: '127.0.0.1', port: 0, log: deps.log });
  const base = `127.0.0.1:${listener.port}`;
  const url = `ws://${base}/graphql/realtime`;
  const self: RealtimeTestApi = {
    api,
    clock,
    trace,
    url,
    connect: ({ query = headerQuery(), protocols = ['graphql-ws'], headers = {} } = {}) => RealtimeClient.open(`${url}${query}`, protocols, headers),
    async ready() {
      const client = await self.connect();
      client.send('{"type":"connection_init"}');
      await client.next();
      await client.next();
      return client;
    },
    mutate: (query, variables) => post(`http://${base}/graphql`, JSON.stringify({ query, variables: variables ?? null }), { 'content-type': 'application/json', 'x-api-key': API_KEY }),
    refused: (path, protocols) => refusedUpgrade(`ws://${base}${path}`, protocols),
    close: async () => {
      api.shutdown();
      await listener.close();
    },
  };
  started.push(self);
  return self;
}

/** A raw `ws` client: every text frame in order, read one at a time. */
export class RealtimeClient {
  private readonly messages: string[] = [];
  private read = 0;
  private waiting: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(data.toString('utf8'));
      for (const w of this.waiting.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static async open(url: string, protocols: string[], headers: Record<string, string> = {}): Promise<RealtimeClient> {
    const ws = new WebSocket(url, protocols, { perMessageDeflate: false, headers });
    const client = new RealtimeClient(ws);
    await once(ws, 'open');
    return client;
  }

  /** The next text frame not yet read. */
  async next(): Promise<string> {
    while (this.messages.length <= this.read) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.messages[this.read++]!;
  }

  /** Frames that arrived and were not read yet. */
  unread(): string[] {
    return this.messages.slice(this.read);
  }

  send(text: string | Buffer): void {
    this.ws.send(text);
  }

  /** Sends `start` and returns the answer (start_ack or error). */
  async start(id: string, query: string, variables?: Record<string, unknown>): Promise<string> {
    this.send(startMessage(id, query, variables));
    return this.next();
  }
}

function refusedUpgrade(url: string, protocols: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}
