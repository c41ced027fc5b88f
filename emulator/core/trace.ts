import type { Clock } from './clock.ts';

/**
 * What happened, in order, with emulated and real timestamps: every request, invocation, cold start,
 * timeout and limit hit. Scenarios assert on it, reports render it, tests wait on it instead of sleeping.
 */
export interface TraceEventMap {
  'http.request': { api: string; requestId: string; method: string; path: string };
  'http.response': { api: string; requestId: string; status: number; errorType?: string };
  'lambda.cold-start': { functionName: string; environmentId: string; initRealMs: number };
  'lambda.invoke.start': { functionName: string; requestId: string; environmentId: string; coldStart: boolean };
  'lambda.invoke.end': {
    functionName: string;
    requestId: string;
    environmentId: string;
    outcome: 'success' | 'error' | 'timeout' | 'exit';
    durationMs: number;
    errorType?: string;
  };
  'lambda.throttle': { functionName: string; reason: string };
  /** A streamed invoke's body chunk reached the main thread (the instant the handler wrote it, plus one message hop); `chunk` counts from 1. */
  'lambda.stream.chunk': { functionName: string; requestId: string; bytes: number; chunk: number };
  /** A streamed invoke's reader went away; the function runs on. `chunks`: how many it had been sent. */
  'lambda.stream.client-gone': { functionName: string; requestId: string; chunks: number };
  'lambda.log': { functionName: string; requestId?: string; stream: 'stdout' | 'stderr'; text: string };
  'gateway.integration-timeout': { api: string; requestId: string; functionName: string; timeoutMs: number };
  /** A REST STREAM route handed a body chunk to the client's connection (after any bandwidth pacing); `chunk` counts from 1. */
  'gateway.stream.chunk': { api: string; requestId: string; bytes: number; chunk: number };
  'bedrock.request': { requestId: string; operation: string; modelId: string };
  /** A streamed response's frame left the mock for the client (its emission time on the stream's timeline); `chunk` counts from 1. */
  'bedrock.chunk': { requestId: string; modelId: string; chunk: number; bytes: number };
  'bedrock.response': { requestId: string; operation: string; modelId: string; status: number; errorType?: string; inputTokens?: number; outputTokens?: number };
  /** When the model finished: a Converse answer sent, a stream's last frame out, or the client gone first. */
  'bedrock.complete': { requestId: string; operation: string; modelId: string; outcome: 'complete' | 'exception' | 'dropped' | 'client-gone'; frames: number };
  /** `kind`: an HTTP error, an in-stream exception, a dropped connection or a stall (errorType and status for the first two). */
  'bedrock.fault': { requestId: string; operation: string; modelId: string; requestNumber: number; rule: number; kind: 'http' | 'stream' | 'drop' | 'stall'; errorType?: string; status?: number; afterChunks?: number; stallMs?: number };
  /** An upgrade answered: 101 with a connection id, or the HTTP status that refused it. */
  'ws.connect': { api: string; connectionId?: string; status: number; errorType?: string };
  /** A client message; `routeKey` null when no route matched and there is no `$default`. */
  'ws.message': { api: string; connectionId: string; requestId: string; routeKey: string | null; bytes: number };
  /** A frame the API sent: a route response, an error frame, or a PostToConnection. */
  'ws.send': { api: string; connectionId: string; kind: 'route-response' | 'error' | 'post'; bytes: number };
  /** A socket gone, with the status `$disconnect` reports and who ended it. */
  'ws.disconnect': { api: string; connectionId: string; code: number; reason: string; by: 'client' | 'server' | 'idle' | 'duration' | 'limit' | 'management' | 'control' | 'network' };
  /** An `@connections` call (PostToConnection, GetConnection, DeleteConnection). */
  'ws.management': { api: string; connectionId: string; method: string; status: number; errorType?: string };
  /** A direct Lambda resolver answered in time (`field` is `Type.field`). */
  'appsync.resolver': { api: string; requestId: string; field: string; functionName: string; outcome: 'success' | 'error' };
  /** An APPSYNC_JS resolver's data source call ended (`outcome` error: its ctx.error was set; `event`: a Lambda invoked without waiting). */
  'appsync.datasource': { api: string; requestId: string; field: string; dataSource: string; outcome: 'success' | 'error' | 'timeout' | 'event' };
  /** An AppSync AWS_LAMBDA authorizer was invoked (a cached answer records nothing). */
  'appsync.authorizer': { api: string; requestId: string; functionName: string; outcome: 'success' | 'function-error' | 'rejected' };
  /** The 30 s request limit passed; `fields` were still waiting for their Lambdas, which run on. */
  'appsync.execution-timeout': { api: string; requestId: string; fields: string[]; timeoutMs: number };
  /** An AppSync real-time socket opened (the auth verdict comes with connection_init). */
  'appsync.connect': { api: string; connectionId: string };
  /** A real-time message the server sent: `kind` is its type, or the errorType of an error. */
  'appsync.realtime-send': { api: string; connectionId: string; kind: string; bytes: number };
  'appsync.subscribe': { api: string; connectionId: string; subscriptionId: string; field: string };
  'appsync.unsubscribe': { api: string; connectionId: string; subscriptionId: string; field: string; by: 'stop' | 'close' };
  /** A mutation's result reached a subscriber as a `data` message. */
  'appsync.deliver': { api: string; connectionId: string; subscriptionId: string; field: string; mutationField: string; bytes: number };
  'appsync.disconnect': { api: string; connectionId: string; code: number; reason: string; by: 'client' | 'server' | 'duration' | 'shutdown' | 'auth' };
  /** An Events publish answered: `via` the HTTP endpoint or a WebSocket `publish`; counts of its successful and failed events. */
  'appsync.events-publish': { api: string; channel: string; via: 'http' | 'websocket'; successful: number; failed: number; connectionId?: string };
  'appsync.events-subscribe': { api: string; connectionId: string; subscriptionId: string; channel: string };
  'appsync.events-unsubscribe': { api: string; connectionId: string; subscriptionId: string; channel: string; by: 'unsubscribe' | 'close' };
  /** One published event reached one subscription as a `data` message. */
  'appsync.events-deliver': { api: string; connectionId: string; subscriptionId: string; channel: string; bytes: number };
  /** A namespace handler's Lambda answered (EVENT: when its detached invoke ended); `outcome` as events-handlers.ts names them. */
  'appsync.events-handler': { api: string; handler: 'onPublish' | 'onSubscribe'; functionName: string; invokeType: 'REQUEST_RESPONSE' | 'EVENT'; channel: string; outcome: 'success' | 'handler-error' | 'function-error' | 'invoke-rejected' | 'invalid-response'; connectionId?: string };
  /** A namespace handler of an Events API's `code` (APPSYNC_JS) ran; `outcome` as events-code-handlers.ts names them. */
  'appsync.events-code': { api: string; handler: 'onPublish' | 'onSubscribe'; file: string; channel: string; outcome: 'success' | 'handler-error' | 'unauthorized' | 'code-error' | 'timeout' | 'invalid-response'; connectionId?: string };
  /** A function URL handed one body chunk to the client's socket (RESPONSE_STREAM; after any bandwidth pacing); `chunk` counts from 1. */
  'functionurl.chunk': { url: string; requestId: string; bytes: number; chunk: number };
  'limit.hit': { limit: string; api?: string; functionName?: string; detail: string };
}

export type TraceType = keyof TraceEventMap;

export type TraceEvent<K extends TraceType = TraceType> = {
  [T in K]: { type: T; seq: number; at: number; realAt: number } & TraceEventMap[T];
}[K];

type ReservedKey = 'type' | 'seq' | 'at' | 'realAt';
type CollidingEvent = { [K in keyof TraceEventMap]: Extract<keyof TraceEventMap[K], ReservedKey> extends never ? never : K }[keyof TraceEventMap];
/** Fails to compile, naming the event, when an event's data would overwrite a key the trace sets itself. */
export const TRACE_DATA_KEYS_ARE_FREE: [CollidingEvent] extends [never] ? true : CollidingEvent = true;

type Listener = (event: TraceEvent) => void;

/** Keeps the newest `capacity` events (up to a quarter more between trims) so a long load test cannot grow memory without bound. */
export class Trace {
  private buffer: TraceEvent[] = [];
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly clock: Clock,
    // ~5,000 requests of four events each: enough for any scenario, small enough for a load test's RSS.
    private readonly capacity = 20_000,
  ) {}

  record<K extends TraceType>(type: K, data: TraceEventMap[K]): TraceEvent<K> {
    const event = { type, seq: this.seq++, at: this.clock.now(), realAt: this.clock.realNow(), ...data } as unknown as TraceEvent<K>;
    this.buffer.push(event as TraceEvent);
    // Trim in batches of a quarter: dropping one event per record would shift the whole array each
    // time (measured: 12.7 -> 180 us per request once full).
    if (this.buffer.length >= this.capacity + (this.capacity >> 2)) this.buffer = this.buffer.slice(-this.capacity);
    for (const listener of this.listeners) listener(event as TraceEvent);
    return event;
  }

  events<K extends TraceType>(type?: K): Array<TraceEvent<K>> {
    return (type ? this.buffer.filter((e) => e.type === type) : this.buffer.slice()) as unknown as Array<TraceEvent<K>>;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first event (already recorded or future) of `type` that matches `where`. */
  waitFor<K extends TraceType>(type: K, where: (event: TraceEvent<K>) => boolean = () => true): Promise<TraceEvent<K>> {
    const seen = this.buffer.find((e) => e.type === type && where(e as unknown as TraceEvent<K>));
    if (seen) return Promise.resolve(seen as unknown as TraceEvent<K>);
    return new Promise((resolve) => {
      const off = this.subscribe((e) => {
        if (e.type === type && where(e as unknown as TraceEvent<K>)) {
          off();
          resolve(e as unknown as TraceEvent<K>);
        }
      });
    });
  }

  clear(): void {
    this.buffer = [];
  }
}
