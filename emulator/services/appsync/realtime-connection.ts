import type { WebSocketPeer } from '../../core/websocket.ts';
import { isFailure } from './auth/authorizer.ts';
import type { AuthResult } from './auth/identity.ts';
import type { AuthorizedOperation } from './auth/lambda-authorizer.ts';
import * as msg from './realtime-messages.ts';
import { parseSubscription, type SubscriptionQuery } from './realtime-start.ts';
import { headerObject, type RealtimeServer } from './realtime.ts';
import { AppSyncSocketSession, record, type EndedBy } from './socket-session.ts';

/** What the handshake carried: a usable header object (lower-case names) and the client's address, or a header that could not be decoded. */
export type HandshakeAuth = { headers: Record<string, string>; sourceIp: string } | { malformed: true };

export interface LiveSubscription {
  id: string;
  query: SubscriptionQuery;
  connection: RealtimeConnection;
}

export type { EndedBy };

/**
 * One real-time connection: the message catalogue in order (init, start, stop), its subscriptions,
 * its `ka` and 24-hour timers on the emulated clock. Every fault is answered and the socket stays open,
 * except a failed init (connection_error, then close).
 */
export class RealtimeConnection extends AppSyncSocketSession<LiveSubscription, RealtimeConnection> {
  /** connection_init is being authorized (a Lambda, a JWT): a second one is ignored meanwhile. */
  private initializing = false;
  /** Subscription ids whose `start` is being authorized: taken (a duplicate is refused) and counted. */
  private readonly pending = new Set<string>();

  constructor(
    protected override readonly server: RealtimeServer,
    id: string,
    peer: WebSocketPeer,
    private readonly auth: HandshakeAuth,
  ) {
    super(server, id, peer);
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


  /** The handshake's header object is authorized here, as AppSync does at connection_init; IAM signs POST /graphql/connect with body `{}` (§2.2). */
  private init(): void {
    if (this.acked || this.initializing) return;
    if ('malformed' in this.auth) return this.refuse(msg.badHeader());
    const { headers, sourceIp } = this.auth;
    const verdict = this.server.api.auth.authorize({ headers, sourceIp, requestId: this.id, operation: { queryString: '', variables: {} }, signed: { method: 'POST', path: '/graphql/connect', body: '{}' } });
    if (!(verdict instanceof Promise)) return this.initialized(verdict);
    this.initializing = true;
    void verdict.then((settled) => {
      this.initializing = false;
      this.initialized(settled);
    });
  }

  private initialized(verdict: AuthResult): void {
    if (this.ended) return;
    if (isFailure(verdict)) return this.refuse({ ...msg.unauthorizedConnection(), message: verdict.failure });
    const { deps } = this.server;
    this.acked = true;
    this.send(msg.connectionAck(deps.limits.appsyncConnectionTimeoutMs), 'connection_ack');
    this.keepAlive(msg.keepAlive());
  }


  private refuse(entry: msg.RealtimeErrorEntry): void {
    this.send(msg.connectionError([entry]), entry.errorType!);
    this.end(1000, '', 'auth');
  }

  /**
   * Checks in order: id, duplicate, the subscription limit, the start's own `extensions.authorization`
   * (auth is per start, §2.3; IAM signs POST /graphql over `payload.data`, §2.2), the query, then the
   * Subscription field's auth directives.
   */
  private start(message: Record<string, unknown>): void {
    const { deps, api } = this.server;
    const id = message.id;
    if (typeof id !== 'string' || id.length === 0) return this.fail(undefined, msg.badStartPayload());
    if (this.subscriptions.has(id) || this.pending.has(id)) return this.fail(id, msg.duplicatedOperation(id));
    const max = deps.limits.appsyncSubscriptionsPerConnection;
    if (this.subscriptions.size + this.pending.size >= max) {
      deps.trace.record('limit.hit', { limit: 'appsyncSubscriptionsPerConnection', api: api.name, detail: `connection ${this.id} has ${max} subscriptions` });
      return this.fail(id, msg.maxSubscriptions(max));
    }
    const payload = record(message.payload);
    const headers = headerObject(record(record(payload.extensions).authorization));
    const sourceIp = 'malformed' in this.auth ? '' : this.auth.sourceIp;
    const signed = { method: 'POST', path: '/graphql', body: typeof payload.data === 'string' ? payload.data : '' };
    const verdict = api.auth.authorize({ headers, sourceIp, requestId: id, operation: operationOf(payload.data), signed });
    if (!(verdict instanceof Promise)) return this.started(id, payload, verdict);
    this.pending.add(id);
    void verdict.then((settled) => {
      this.pending.delete(id);
      if (!this.ended) this.started(id, payload, settled);
    });
  }

  private started(id: string, payload: Record<string, unknown>, verdict: AuthResult): void {
    const { deps, api, schema } = this.server;
    if (isFailure(verdict)) return this.fail(id, { ...msg.unauthorizedStart(), message: verdict.failure });
    const query = parseSubscription(schema, payload.data);
    if (Array.isArray(query)) return this.fail(id, ...query);
    const typeName = schema.getSubscriptionType()!.name;
    if (!api.auth.allows(verdict, typeName, query.field)) return this.fail(id, { errorType: 'Unauthorized', message: `Not Authorized to access ${query.field} on type ${typeName}` });
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


  private fail(id: string | undefined, ...errors: msg.RealtimeErrorEntry[]): void {
    this.send(msg.errorMessage(id, errors), errors[0]?.errorType ?? 'error');
  }


  protected drop(live: LiveSubscription, by: 'stop' | 'close'): void {
    this.subscriptions.delete(live.id);
    this.server.unregister(live);
    this.server.deps.trace.record('appsync.unsubscribe', { api: this.server.api.name, connectionId: this.id, subscriptionId: live.id, field: live.query.field, by });
  }

}

/** A start's `payload.data` as a Lambda authorizer's `requestContext` sees it; empty when it is not a usable request. */
function operationOf(data: unknown): AuthorizedOperation {
  let request: Record<string, unknown> = {};
  try {
    request = record(typeof data === 'string' ? JSON.parse(data) : undefined);
  } catch {
    request = {};
  }
  const { query, operationName, variables } = request;
  return { queryString: typeof query === 'string' ? query : '', ...(typeof operationName === 'string' ? { operationName } : {}), variables: record(variables) };
}
