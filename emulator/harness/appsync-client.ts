import type { Endpoints } from '../core/endpoints.ts';
import { EmulatorError } from '../core/errors.ts';
import { ScenarioAssertionError } from './errors.ts';
import type { HttpClient, ScenarioResponse } from './http-client.ts';
import type { WsClient, WsConnection, WsFrame } from './ws-client.ts';

/**
 * AppSync as a client app sees it, for scenarios: GraphQL over HTTP, the real-time endpoint in
 * AppSync's own protocol (`graphql-ws`, auth in a `header-` subprotocol as Amplify sends it), and the
 * Events API. Everything resolves from the endpoints file, so the same calls reach the emulator or a
 * deployed API. Auth is API_KEY: the endpoints file's key unless a call names another (or `null`).
 */
export interface AppSyncClient {
  graphql(api: string, request: GraphQLRequest, auth?: AuthOption): Promise<ScenarioResponse>;
  /** Opens /graphql/realtime, sends `connection_init` and waits for `connection_ack` or `connection_error`. */
  connect(api: string, auth?: AuthOption): Promise<RealtimeSocket>;
  /** POST /event: publishes `events` (each sent as a JSON string, as the API requires) to `channel`. */
  publishEvents(api: string, channel: string, events: unknown[], auth?: AuthOption): Promise<ScenarioResponse>;
  /** Opens /event/realtime with `aws-appsync-event-ws`, sends `connection_init`, waits for the ack. */
  connectEvents(api: string, auth?: AuthOption): Promise<EventsSocket>;
}

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

/** `apiKey: null` sends no key at all. */
export interface AuthOption {
  apiKey?: string | null;
}

/** A parsed server message with the frame it came in. */
export interface AppSyncMessage {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
  frame: WsFrame;
}

export interface RealtimeSocket {
  readonly conn: WsConnection;
  /** `connection_ack` or `connection_error`, as received. */
  readonly handshake: AppSyncMessage;
  /** Every message received so far, parsed. */
  messages(): AppSyncMessage[];
  /** Sends `start`; waits for its `start_ack` or `error`. */
  subscribe(request: GraphQLRequest, options?: AuthOption & { id?: string }): Promise<Subscription>;
  waitFor(predicate: (message: AppSyncMessage) => boolean, what: string): Promise<AppSyncMessage>;
  close(): Promise<void>;
}

export interface Subscription {
  readonly id: string;
  /** `start_ack`, or the `error` that refused the subscription. */
  readonly reply: AppSyncMessage;
  readonly accepted: boolean;
  /** `payload.data` of every `data` message for this subscription so far. */
  data(): Array<Record<string, unknown>>;
  /** The first data message (received or future) whose `payload.data` matches. */
  waitForData(predicate: (data: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
  /** Sends `stop` and waits for `complete`. */
  stop(): Promise<void>;
}

export interface EventsSocket {
  readonly conn: WsConnection;
  readonly handshake: AppSyncMessage;
  messages(): AppSyncMessage[];
  /** Sends `subscribe`; waits for `subscribe_success` or `subscribe_error`. */
  subscribe(channel: string, options?: AuthOption & { id?: string }): Promise<EventsSubscription>;
  /** Sends `publish`; waits for `publish_success` or `publish_error`. */
  publish(channel: string, events: unknown[], options?: AuthOption & { id?: string }): Promise<AppSyncMessage>;
  close(): Promise<void>;
}

export interface EventsSubscription {
  readonly id: string;
  readonly reply: AppSyncMessage;
  readonly accepted: boolean;
  /** The parsed `event` of every `data` message for this subscription so far. */
  events(): unknown[];
  waitForEvent(predicate: (event: unknown) => boolean, what: string): Promise<unknown>;
}

interface AppSyncEndpoint {
  graphqlUrl: string;
  realtimeUrl?: string | undefined;
  apiKey?: string | undefined;
  eventsUrl?: string | undefined;
  eventsRealtimeUrl?: string | undefined;
}

export function createAppSyncClient(options: { endpoints: Endpoints; http: HttpClient; ws: WsClient }): AppSyncClient {
  const { endpoints, http, ws } = options;
  let nextId = 0;
  const newId = () => `sub-${++nextId}`;

  function endpoint(api: string): AppSyncEndpoint {
    const apis = endpoints.appsyncApis ?? {};
    const found = apis[api];
    if (!found) {
      const known = Object.keys(apis);
      throw new EmulatorError('ERR_SCENARIO', `Failed to find the AppSync API "${api}" in the endpoints: it is not listed. Known appsyncApis: ${known.length ? known.join(', ') : '(none)'}; add it to the endpoints file.`);
    }
    return found;
  }

  function field(api: string, name: 'realtimeUrl' | 'eventsUrl' | 'eventsRealtimeUrl'): string {
    const value = endpoint(api)[name];
    if (!value) throw new EmulatorError('ERR_SCENARIO', `Failed to find appsyncApis.${api}.${name} in the endpoints. Add it to the endpoints file (the emulator lists it when the API serves it).`);
    return value;
  }

  /** AppSync's authorization object: the API's host and, for API_KEY, the key (reference §2.2). */
  function authorization(api: string, url: string, auth: AuthOption | undefined): Record<string, string> {
    const key = auth?.apiKey === undefined ? endpoint(api).apiKey : auth.apiKey;
    return { host: new URL(url).host, ...(key ? { 'x-api-key': key } : {}) };
  }

  function keyHeader(api: string, auth: AuthOption | undefined): Record<string, string> {
    const key = auth?.apiKey === undefined ? endpoint(api).apiKey : auth.apiKey;
    return key ? { 'x-api-key': key } : {};
  }

  async function open(url: string, subprotocol: string, header: Record<string, string>): Promise<{ conn: WsConnection; handshake: AppSyncMessage; messages: () => AppSyncMessage[]; waitFor: Waiter }> {
    const conn = await ws.open(url, { protocols: [subprotocol, `header-${Buffer.from(JSON.stringify(header)).toString('base64url')}`] });
    const messages = () => conn.frames.map(parse);
    const waitFor: Waiter = async (predicate, what) => parse(await conn.waitFor((f) => predicate(parse(f)), what));
    conn.send({ type: 'connection_init' });
    const handshake = await waitFor((m) => m.type === 'connection_ack' || m.type === 'connection_error', 'connection_ack or connection_error');
    return { conn, handshake, messages, waitFor };
  }

  return {
    graphql(api, request, auth) {
      return http.requestUrl(endpoint(api).graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...keyHeader(api, auth) }, body: request });
    },

    async connect(api, auth) {
      const { graphqlUrl } = endpoint(api);
      const { conn, handshake, messages, waitFor } = await open(field(api, 'realtimeUrl'), 'graphql-ws', authorization(api, graphqlUrl, auth));
      return {
        conn,
        handshake,
        messages,
        waitFor,
        async subscribe(request, subscribeOptions) {
          const id = subscribeOptions?.id ?? newId();
          conn.send({ id, type: 'start', payload: { data: JSON.stringify(request), extensions: { authorization: authorization(api, graphqlUrl, subscribeOptions ?? auth) } } });
          const reply = await waitFor((m) => m.id === id && (m.type === 'start_ack' || m.type === 'error'), `start_ack or error for subscription ${id}`);
          const mine = () => messages().filter((m) => m.id === id && m.type === 'data');
          return {
            id,
            reply,
            accepted: reply.type === 'start_ack',
            data: () => mine().map((m) => (m.payload?.data ?? {}) as Record<string, unknown>),
            async waitForData(predicate, what) {
              const message = await waitFor((m) => m.id === id && m.type === 'data' && predicate((m.payload?.data ?? {}) as Record<string, unknown>), what);
              return (message.payload?.data ?? {}) as Record<string, unknown>;
            },
            async stop() {
              conn.send({ id, type: 'stop' });
              await waitFor((m) => m.id === id && m.type === 'complete', `complete for subscription ${id}`);
            },
          };
        },
        async close() {
          await conn.close();
        },
      };
    },

    publishEvents(api, channel, events, auth) {
      return http.requestUrl(field(api, 'eventsUrl'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...keyHeader(api, auth) },
        body: { channel, events: events.map((e) => JSON.stringify(e)) },
      });
    },

    async connectEvents(api, auth) {
      const httpUrl = field(api, 'eventsUrl');
      const { conn, handshake, messages, waitFor } = await open(field(api, 'eventsRealtimeUrl'), 'aws-appsync-event-ws', authorization(api, httpUrl, auth));
      return {
        conn,
        handshake,
        messages,
        async subscribe(channel, subscribeOptions) {
          const id = subscribeOptions?.id ?? newId();
          conn.send({ type: 'subscribe', id, channel, authorization: authorization(api, httpUrl, subscribeOptions ?? auth) });
          const reply = await waitFor((m) => m.id === id && (m.type === 'subscribe_success' || m.type === 'subscribe_error'), `subscribe_success or subscribe_error for ${id}`);
          const eventOf = (m: AppSyncMessage) => JSON.parse(String(m.event)) as unknown;
          return {
            id,
            reply,
            accepted: reply.type === 'subscribe_success',
            events: () => messages().filter((m) => m.id === id && m.type === 'data').map(eventOf),
            async waitForEvent(predicate, what) {
              return eventOf(await waitFor((m) => m.id === id && m.type === 'data' && predicate(eventOf(m)), what));
            },
          };
        },
        async publish(channel, events, publishOptions) {
          const id = publishOptions?.id ?? newId();
          conn.send({ type: 'publish', id, channel, events: events.map((e) => JSON.stringify(e)), authorization: authorization(api, httpUrl, publishOptions ?? auth) });
          return waitFor((m) => m.id === id && (m.type === 'publish_success' || m.type === 'publish_error'), `publish_success or publish_error for ${id}`);
        },
        async close() {
          await conn.close();
        },
      };
    },
  };
}

type Waiter = (predicate: (message: AppSyncMessage) => boolean, what: string) => Promise<AppSyncMessage>;

/** Every AppSync real-time message is a JSON object; anything else fails the scenario with what it was. */
function parse(frame: WsFrame): AppSyncMessage {
  let value: unknown;
  try {
    value = JSON.parse(frame.text);
  } catch {
    throw new ScenarioAssertionError(`Expected a JSON message from AppSync, got ${JSON.stringify(frame.text.slice(0, 200))}`, 'JSON', frame.text);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    throw new ScenarioAssertionError(`Expected an AppSync message with a "type", got ${frame.text.slice(0, 200)}`, 'an AppSync message', frame.text);
  }
  return { ...(value as { type: string }), frame };
}
