import { once } from 'node:events';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import WebSocket from 'ws';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits, type LimitName } from '../../../emulator/core/limits.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import type { ServiceDeps } from '../../../emulator/core/service.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import type { Listener } from '../../../emulator/gateway/http-listener.ts';
import { listenWebSocket } from '../../../emulator/gateway/ws-listener.ts';
import { websocketApiOptionsSchema, type WebSocketApiOptionsInput } from '../../../emulator/services/apigw-websocket/options.ts';
import { createWebSocketApi, type WebSocketApi, type WebSocketApiExtra } from '../../../emulator/services/apigw-websocket/router.ts';
import { FakeLambda, type FakeFunction } from '../../support/fake-lambda.ts';

export interface WsTestApi {
  api: WebSocketApi;
  clock: ManualClock;
  trace: Trace;
  lambda: FakeLambda;
  listener: Listener;
  /** `ws://127.0.0.1:<port>/<stage>` */
  url: string;
  /** `http://127.0.0.1:<port>` */
  http: string;
  /** The unmodified SDK client, pointed at `http://127.0.0.1:<port>/<stage>`. */
  management: ApiGatewayManagementApiClient;
  connect(query?: string, headers?: Record<string, string>): Promise<TestClient>;
  /** An upgrade expected to be refused: its HTTP status and body. */
  refused(query?: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

const open: WsTestApi[] = [];

/** Closes every API a test started (call in afterEach). */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((t) => t.close()));
}

/** A WebSocket API over fake functions and a manual clock, on a real port with a real `ws` client. */
export async function makeWsApi(
  options: WebSocketApiOptionsInput,
  functions: Record<string, FakeFunction>,
  test: { limits?: Partial<Record<LimitName, number>>; extra?: WebSocketApiExtra } = {},
): Promise<WsTestApi> {
  const clock = new ManualClock();
  const trace = new Trace(clock);
  const lambda = new FakeLambda(clock, functions);
  const deps: ServiceDeps = { clock, trace, log: memoryLog(), limits: resolveLimits(test.limits), lambda, region: 'us-east-1', accountId: '123456789012' };
  const api = createWebSocketApi('chat', websocketApiOptionsSchema.parse(options), deps, test.extra);
  const listener = await listenWebSocket(api, { host: '127.0.0.1', port: 0, log: deps.log });
  const http = `http://127.0.0.1:${listener.port}`;
  const url = `ws://127.0.0.1:${listener.port}/${api.stage}`;
  const management = new ApiGatewayManagementApiClient({ endpoint: `${http}/${api.stage}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const self: WsTestApi = {
    api, clock, trace, lambda, listener, url, http, management,
    connect: (query = '', headers = {}) => TestClient.open(`${url}${query}`, headers),
    refused: (query = '', headers = {}) => refusedUpgrade(`${url}${query}`, headers),
    close: async () => {
      management.destroy();
      api.shutdown();
      await listener.close();
    },
  };
  open.push(self);
  return self;
}

/** A real `ws` client that records every text frame and the close it saw. */
export class TestClient {
  readonly messages: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  pongs = 0;
  private waiting: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.messages.push(data.toString('utf8'));
      for (const w of this.waiting.splice(0)) w();
    });
    ws.on('pong', () => (this.pongs += 1));
    this.closed = new Promise((resolve) => ws.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString('utf8') })));
  }

  static async open(url: string, headers: Record<string, string>): Promise<TestClient> {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const client = new TestClient(ws);
    await once(ws, 'open');
    return client;
  }

  /** Resolves with the `n`th text frame (1-based) once it has arrived. */
  async frame(n: number): Promise<string> {
    while (this.messages.length < n) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.messages[n - 1]!;
  }

  send(text: string): void {
    this.ws.send(text);
  }
}

function refusedUpgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => reject(new Error('upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

/** Lets socket I/O and promise chains run, without emulated time passing. */
export async function until(condition: () => boolean, turns = 2000): Promise<void> {
  for (let i = 0; i < turns && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('condition not reached');
}

/** A WebSocket proxy (or authorizer) event as the fake Lambda received it, typed loosely for assertions. */
export interface WsEvent {
  type?: string;
  methodArn?: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
  requestContext: {
    routeKey: string;
    eventType: string;
    messageId?: string;
    extendedRequestId: string;
    requestTime: string;
    messageDirection: string;
    stage: string;
    connectedAt: number;
    requestTimeEpoch: number;
    identity: { sourceIp: string; userAgent?: string };
    requestId: string;
    domainName: string;
    connectionId: string;
    apiId: string;
    authorizer?: Record<string, unknown>;
    disconnectStatusCode?: number;
    disconnectReason?: string;
  };
}

export const asEvent = (event: unknown): WsEvent => event as WsEvent;
