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
import { RealtimeClient } from './realtime-support.ts';
import { FIXTURES, post, type RawResponse } from './support.ts';

export const API_KEY = 'da2-eventstestkey00000000000';
export const HOST = 'example1234567890000.appsync-api.us-east-1.amazonaws.com';

/** `header-<base64url {host, x-api-key}>`, the reference's connect method (§3.3). */
export const headerProtocol = (key = API_KEY): string => `header-${Buffer.from(JSON.stringify({ host: HOST, 'x-api-key': key })).toString('base64url')}`;

export const subscribe = (id: string, channel: string, key = API_KEY): string => JSON.stringify({ type: 'subscribe', id, channel, authorization: { 'x-api-key': key, host: HOST } });
export const publish = (id: string, channel: string, events: unknown, key = API_KEY): string => JSON.stringify({ type: 'publish', id, channel, events, authorization: { 'x-api-key': key } });

export interface EventsTestApi {
  api: AppSyncApi;
  clock: ManualClock;
  trace: Trace;
  /** `ws://127.0.0.1:<port>/event/realtime` */
  url: string;
  /** Opens with `aws-appsync-event-ws` and the `header-` subprotocol unless told otherwise. */
  connect(options?: { protocols?: string[]; query?: string }): Promise<RealtimeClient>;
  /** Opens, sends connection_init and reads the ack and the first ka. */
  ready(): Promise<RealtimeClient>;
  /** POST /event with the API key (or the headers given). */
  publishHttp(body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  base: string;
  close(): Promise<void>;
}

const started: EventsTestApi[] = [];

export async function closeAllEvents(): Promise<void> {
  await Promise.all(started.splice(0).map((t) => t.close()));
}

/** An API with `default` and `chat` namespaces (`events: null`: none) on a manual clock and a real port; event ids `evt-1`, `evt-2`, ... */
export async function makeEventsApi(limits: Partial<Record<LimitName, number>> = {}, events: unknown = { namespaces: { default: {}, chat: {} } }): Promise<EventsTestApi> {
  const clock = new ManualClock();
  const trace = new Trace(clock);
  const deps: ServiceDeps = { clock, trace, log: memoryLog(), limits: resolveLimits(limits), lambda: new FakeLambda(clock, {}), region: 'us-east-1', accountId: '123456789012' };
  const options = appsyncApiOptionsSchema.parse({ schema: 'appsync/realtime.graphql', auth: [{ type: 'API_KEY', apiKey: API_KEY }], ...(events === null ? {} : { events }) });
  let connections = 0;
  let eventIds = 0;
  const api = createAppSyncApi('events', options, deps, { baseDir: FIXTURES, ids: { connectionId: () => `conn-${++connections}`, eventId: () => `evt-${++eventIds}` } });
  const listener: Listener = await listenWebSocket(api, { host: '127.0.0.1', port: 0, log: deps.log });
  const base = `127.0.0.1:${listener.port}`;
  const url = `ws://${base}/event/realtime`;
  const self: EventsTestApi = {
    api,
    clock,
    trace,
    url,
    base,
    connect: ({ protocols = ['aws-appsync-event-ws', headerProtocol()], query = '' } = {}) => RealtimeClient.open(`${url}${query}`, protocols),
    async ready() {
      const client = await self.connect();
      client.send('{"type":"connection_init"}');
      await client.next();
      await client.next();
      return client;
    },
    publishHttp: (body, headers = { 'content-type': 'application/json', 'x-api-key': API_KEY }) => post(`http://${base}/event`, typeof body === 'string' ? body : JSON.stringify(body), headers),
    close: async () => {
      api.shutdown();
      await listener.close();
    },
  };
  started.push(self);
  return self;
}
