import type { Timer } from '../../core/clock.ts';
import type { WebSocketPeer, WebSocketSession } from '../../core/websocket.ts';
import * as msg from './realtime-messages.ts';
import { parseSubscription, type SubscriptionQuery } from './realtime-start.ts';
import type { RealtimeServer } from './realtime.ts';

/** What the handshake carried: a usable header object's API key, or a header that could not be decoded. */
export type HandshakeAuth = { apiKey: string | undefined } | { malformed: true };

export interface LiveSubscription {
  id: string;
  query: SubscriptionQuery;
  connection: RealtimeConnection;
}

export type EndedBy = 'client' | 'server' | 'duration' | 'shutdown' | 'auth';

/**
 * One real-time connection: the message catalogue in order (init, start, stop), its subscriptions,
 * its `ka` and 24-hour timers on the emulated clock. Every fault is answered and the socket stays open,
 * except a failed init (connection_error, then close).
 */
export class RealtimeConnection implements WebSocketSession {
  private acked = false;
  private ended = false;
  private readonly subscriptions = new Map<string, LiveSubscription>();
  private keepAliveTimer: Timer | undefined;
  private readonly durationTimer: Timer;

  constructor(
    private readonly server: RealtimeServer,
    readonly id: string,
    private readonly peer: WebSocketPeer,
    private readonly auth: HandshakeAuth,
  ) {
    const { clock, limits } = server.deps;
    this.durationTimer = clock.setTimer(limits.appsyncRealtimeConnectionMs, () => {
      server.deps.trace.record('limit.hit', { limit: 'appsyncRealtimeConnectionMs', api: server.api.name, detail: `connection ${id} open ${limits.appsyncRealtimeConnectionMs} ms` });
      this.end(1000, 'Connection duration exceeded', 'duration');
    });
  }

  message(text: string): void {
    const { limits } = this.server.deps;
    const bytes = Buffer.byteLength(text);
    if (bytes > limits.appsyncSubscriptionPayloadBytes) {
      // Before the ack it is ignored, as any other message.
      return this.acked ? this.fail(undefined, msg.messageTooLarge(bytes, limits.appsyncSubscriptionPayloadBytes)) : undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const message = (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
    if (message.type === 'connection_init') return this.init();
    // Messages sent before the ack are ignored (reference §2.3).
    if (!this.acked) return;
    if (message.type === 'start') return this.start(message);
    if (message.type === 'stop') return this.stop(message);
    this.fail(typeof message.id === 'string' ? message.id : undefined, msg.unsupportedOperation('unknown'));
  }

  violation(): void {
    // Binary frames: AppSync speaks JSON text only. Oversized messages were already closed (1009) by the listener.
    if (this.acked) this.fail(undefined, msg.unsupportedOperation('unknown'));
  }

  closed(code: number, reason: string): void {
    this.cleanUp(code, reason, 'client');
  }

  private init(): void {
    if (this.acked) return;
    const { deps, api } = this.server;
    if ('malformed' in this.auth || this.auth.apiKey !== api.apiKey) {
      const entry = 'malformed' in this.auth ? msg.badHeader() : msg.unauthorizedConnection();
      this.send(msg.connectionError([entry]), entry.errorType!);
      return this.end(1000, '', 'auth');
    }
    this.acked = true;
    this.send(msg.connectionAck(deps.limits.appsyncConnectionTimeoutMs), 'connection_ack');
    this.keepAlive();
  }

  /** A `ka` right after the ack, then one per period (0: none, for exercising client timeouts). */
  private keepAlive(): void {
    const period = this.server.deps.limits.appsyncKeepAliveMs;
    this.send(msg.keepAlive(), 'ka');
    if (period > 0) this.keepAliveTimer = this.server.deps.clock.setTimer(period, () => this.keepAlive());
  }

  private start(message: Record<string, unknown>): void {
    const { deps, api, schema } = this.server;
    const id = message.id;
    if (typeof id !== 'string' || id.length === 0) return this.fail(undefined, msg.badStartPayload());
    if (this.subscriptions.has(id)) return this.fail(id, msg.duplicatedOperation(id));
    const max = deps.limits.appsyncSubscriptionsPerConnection;
    if (this.subscriptions.size >= max) {
      deps.trace.record('limit.hit', { limit: 'appsyncSubscriptionsPerConnection', api: api.name, detail: `connection ${this.id} has ${max} subscriptions` });
      return this.fail(id, msg.maxSubscriptions(max));
    }
    const payload = record(message.payload);
    const authorization = record(record(payload.extensions).authorization);
    if (authorization['x-api-key'] !== api.apiKey) return this.fail(id, msg.unauthorizedStart());
    const query = parseSubscription(schema, payload.data);
    if (Array.isArray(query)) return this.fail(id, ...query);
    const live: LiveSubscription = { id, query, connection: this };
    this.subscriptions.set(id, live);
    this.server.register(live);
    deps.trace.record('appsync.subscribe', { api: api.name, connectionId: this.id, subscriptionId: id, field: query.field });
    this.send(msg.startAck(id), 'start_ack');
  }

  /** `complete` acknowledges a stop, also for an id that is not (or no longer) registered. */
  private stop(message: Record<string, unknown>): void {
    const id = message.id;
    if (typeof id !== 'string') return this.fail(undefined, msg.unsupportedOperation('unknown'));
    const live = this.subscriptions.get(id);
    if (live) this.drop(live, 'stop');
    this.send(msg.complete(id), 'complete');
  }

  deliver(live: LiveSubscription, mutationField: string, value: unknown): void {
    const { deps, api } = this.server;
    const text = msg.dataMessage(live.id, live.query.responseKey, value);
    const bytes = Buffer.byteLength(text);
    const max = deps.limits.appsyncSubscriptionPayloadBytes;
    if (bytes > max) {
      deps.trace.record('limit.hit', { limit: 'appsyncSubscriptionPayloadBytes', api: api.name, detail: `data for ${live.id} of ${bytes} bytes` });
      return this.fail(live.id, msg.payloadTooLarge(bytes, max));
    }
    deps.trace.record('appsync.deliver', { api: api.name, connectionId: this.id, subscriptionId: live.id, field: live.query.field, mutationField, bytes });
    this.send(text, 'data');
  }

  end(code: number, reason: string, by: EndedBy): void {
    if (this.ended) return;
    this.peer.close(code, reason);
    this.cleanUp(code, reason, by);
  }

  private fail(id: string | undefined, ...errors: msg.RealtimeErrorEntry[]): void {
    this.send(msg.errorMessage(id, errors), errors[0]?.errorType ?? 'error');
  }

  private send(text: string, kind: string): void {
    if (this.ended) return;
    this.server.deps.trace.record('appsync.realtime-send', { api: this.server.api.name, connectionId: this.id, kind, bytes: Buffer.byteLength(text) });
    this.peer.send(text);
  }

  private drop(live: LiveSubscription, by: 'stop' | 'close'): void {
    this.subscriptions.delete(live.id);
    this.server.unregister(live);
    this.server.deps.trace.record('appsync.unsubscribe', { api: this.server.api.name, connectionId: this.id, subscriptionId: live.id, field: live.query.field, by });
  }

  private cleanUp(code: number, reason: string, by: EndedBy): void {
    if (this.ended) return;
    this.ended = true;
    this.keepAliveTimer?.cancel();
    this.durationTimer.cancel();
    for (const live of [...this.subscriptions.values()]) this.drop(live, 'close');
    this.server.forget(this);
    this.server.deps.trace.record('appsync.disconnect', { api: this.server.api.name, connectionId: this.id, code, reason, by });
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
