import type { WebSocketPeer } from '../../core/websocket.ts';
import { parseChannel, type Channel } from './events-channel.ts';
import * as msg from './events-messages.ts';
import type { EventsServer } from './events.ts';
import type { HandshakeAuth } from './realtime-connection.ts';
import { AppSyncSocketSession, record } from './socket-session.ts';

export interface EventsSubscription {
  id: string;
  channel: Channel;
  connection: EventsConnection;
}

/** Subscription and publish ids (reference §3.3). */
const ID_PATTERN = /^[a-zA-Z0-9-_+]{1,128}$/;

/**
 * One Events WebSocket connection (reference §3.3): handshake auth on open, the optional
 * `connection_init` (ack, then `ka` on the emulated clock), subscribe/unsubscribe/publish with their
 * per-message `authorization`, and the 24-hour duration. Every faulty message is answered and the
 * socket stays open; only a failed handshake auth ends it (connection_error, then close 1000).
 */
export class EventsConnection extends AppSyncSocketSession<EventsSubscription, EventsConnection> {
  constructor(
    protected override readonly server: EventsServer,
    id: string,
    peer: WebSocketPeer,
  ) {
    super(server, id, peer);
  }

  /** The handshake's header object: "required for connection authorization" (§3.3), so a bad one ends the socket. */
  authorize(auth: HandshakeAuth): void {
    if (!('malformed' in auth) && auth.apiKey === this.server.api.apiKey) return;
    const entry = 'malformed' in auth ? msg.badHeader() : msg.unauthorized();
    this.send(msg.connectionError([entry]), entry.errorType);
    this.end(1000, '', 'auth');
  }

  message(text: string): void {
    const { limits, trace } = this.server.deps;
    const bytes = Buffer.byteLength(text);
    if (bytes > limits.appsyncEventsMessageBytes) {
      trace.record('limit.hit', { limit: 'appsyncEventsMessageBytes', api: this.server.api.name, detail: `message of ${bytes} bytes on ${this.id}` });
      return this.fail(undefined, undefined, msg.messageTooLarge(bytes, limits.appsyncEventsMessageBytes));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const message = record(parsed);
    switch (message.type) {
      case 'connection_init':
        return this.init();
      case 'subscribe':
        return this.subscribe(message);
      case 'unsubscribe':
        return this.unsubscribe(message);
      case 'publish':
        return this.publish(message);
      default:
        return this.fail(undefined, stringId(message.id), msg.unsupportedOperation(typeof message.type === 'string' ? message.type : 'unknown'));
    }
  }

  violation(): void {
    // A binary frame: the protocol is JSON text only.
    this.fail(undefined, undefined, msg.unsupportedOperation('unknown'));
  }


  /** Optional (§3.3); a second one is ignored. The ack, then a `ka` and one per period (0: only the first). */
  private init(): void {
    if (this.acked) return;
    this.acked = true;
    this.send(msg.connectionAck(this.server.deps.limits.appsyncConnectionTimeoutMs), 'connection_ack');
    this.keepAlive(msg.keepAlive());
  }


  /** Order of checks: id, duplicate, authorization, channel, namespace, the subscription limit. */
  private subscribe(message: Record<string, unknown>): void {
    const { deps, api, options } = this.server;
    const id = stringId(message.id);
    if (id === undefined || !ID_PATTERN.test(id)) return this.fail('subscribe', id, msg.invalidId());
    if (this.subscriptions.has(id)) return this.fail('subscribe', id, msg.duplicatedOperation(id));
    if (!this.authorized(message)) return this.fail('subscribe', id, msg.unauthorized());
    const channel = parseChannel(message.channel, true);
    if (!channel) return this.fail('subscribe', id, msg.invalidChannel());
    if (!Object.hasOwn(options.namespaces, channel.namespace)) return this.fail('subscribe', id, msg.namespaceNotFound(channel.namespace));
    const max = deps.limits.appsyncEventsSubscriptionsPerConnection;
    if (max > 0 && this.subscriptions.size >= max) {
      deps.trace.record('limit.hit', { limit: 'appsyncEventsSubscriptionsPerConnection', api: api.name, detail: `connection ${this.id} has ${max} subscriptions` });
      return this.fail('subscribe', id, msg.maxSubscriptions(max));
    }
    const subscription: EventsSubscription = { id, channel, connection: this };
    this.subscriptions.set(id, subscription);
    this.server.register(subscription);
    deps.trace.record('appsync.events-subscribe', { api: api.name, connectionId: this.id, subscriptionId: id, channel: channel.path });
    this.send(msg.subscribeSuccess(id), 'subscribe_success');
  }

  private unsubscribe(message: Record<string, unknown>): void {
    const id = stringId(message.id);
    if (id === undefined) return this.fail('unsubscribe', undefined, msg.invalidId());
    const subscription = this.subscriptions.get(id);
    if (!subscription) return this.fail('unsubscribe', id, msg.unknownOperation(id));
    this.drop(subscription, 'unsubscribe');
    this.send(msg.unsubscribeSuccess(id), 'unsubscribe_success');
  }

  /** No subscription needed (§3.3); the publish reaches this connection's own matching subscriptions too. */
  private publish(message: Record<string, unknown>): void {
    const id = stringId(message.id);
    if (id === undefined || !ID_PATTERN.test(id)) return this.fail('publish', id, msg.invalidId());
    if (!this.authorized(message)) return this.fail('publish', id, msg.unauthorized());
    const outcome = this.server.publish(message.channel, message.events, 'websocket', this.id);
    if ('errors' in outcome) return this.fail('publish', id, ...outcome.errors);
    this.send(msg.publishSuccess(id, outcome.result), 'publish_success');
  }

  /**
   * The message's own `authorization.x-api-key`. Amplify also nests it under
   * `payload.extensions.authorization` (§3.3 [S]); either place is accepted.
   */
  private authorized(message: Record<string, unknown>): boolean {
    const top = record(message.authorization)['x-api-key'];
    const nested = record(record(record(message.payload).extensions).authorization)['x-api-key'];
    return (top ?? nested) === this.server.api.apiKey;
  }

  deliver(subscription: EventsSubscription, event: string): void {
    const text = msg.dataMessage(subscription.id, event);
    const { api, deps } = this.server;
    deps.trace.record('appsync.events-deliver', { api: api.name, connectionId: this.id, subscriptionId: subscription.id, channel: subscription.channel.path, bytes: Buffer.byteLength(text) });
    this.send(text, 'data');
  }


  private fail(kind: 'subscribe' | 'unsubscribe' | 'publish' | undefined, id: string | undefined, ...errors: msg.EventsErrorEntry[]): void {
    this.send(msg.operationError(kind, id, errors), errors[0]?.errorType ?? 'error');
  }


  protected drop(subscription: EventsSubscription, by: 'unsubscribe' | 'close'): void {
    this.subscriptions.delete(subscription.id);
    this.server.unregister(subscription);
    this.server.deps.trace.record('appsync.events-unsubscribe', { api: this.server.api.name, connectionId: this.id, subscriptionId: subscription.id, channel: subscription.channel.path, by });
  }

}

function stringId(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
