import type { WebSocketPeer } from '../../core/websocket.ts';
import { parseChannel, type Channel } from './events-channel.ts';
import * as msg from './events-messages.ts';
import type { EventsRequester, EventsServer, PublishOutcome } from './events.ts';
import { isFailure } from './auth/authorizer.ts';
import { eventsAuthRequest, whenSettled } from './auth/events-auth.ts';
import type { AuthResult, Principal } from './auth/identity.ts';
import type { HandshakeAuth } from './realtime-connection.ts';
import { headerObject } from './realtime.ts';
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
  /** The client's address, for identities (set by the handshake). */
  private sourceIp = '';
  /** Subscription ids waiting for their onSubscribe: taken (a duplicate is refused) and counted, not yet delivered to. */
  private readonly pending = new Set<string>();

  constructor(
    protected override readonly server: EventsServer,
    id: string,
    peer: WebSocketPeer,
    /** The handshake's headers, for handlers' events. */
    private readonly headers: Record<string, string> = {},
  ) {
    super(server, id, peer);
  }

  /** The handshake's header object: "required for connection authorization" (§3.3), so a bad one ends the socket. */
  authorize(auth: HandshakeAuth): void {
    const refuse = (entry: msg.EventsErrorEntry): void => {
      this.send(msg.connectionError([entry]), entry.errorType);
      this.end(1000, '', 'auth');
    };
    if ('malformed' in auth) return refuse(msg.badHeader());
    this.sourceIp = auth.sourceIp;
    whenSettled(this.server.api.auth.authorize(eventsAuthRequest(auth.headers, auth.sourceIp, this.id, '{}')), (verdict) => {
      if (isFailure(verdict) && !this.ended) refuse({ ...msg.unauthorized(), message: verdict.failure });
    });
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
        return this.withAuth(message, { channel: message.channel }, (verdict) => this.subscribe(message, verdict));
      case 'unsubscribe':
        return this.unsubscribe(message);
      case 'publish':
        return this.withAuth(message, { channel: message.channel, events: message.events }, (verdict) => this.publish(message, verdict));
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


  /** Order of checks: id, duplicate, authorization, channel, namespace, the subscription limit, then the namespace's onSubscribe. */
  private subscribe(message: Record<string, unknown>, verdict: AuthResult): void {
    const { deps, api, options } = this.server;
    const id = stringId(message.id);
    if (id === undefined || !ID_PATTERN.test(id)) return this.fail('subscribe', id, msg.invalidId());
    if (this.subscriptions.has(id) || this.pending.has(id)) return this.fail('subscribe', id, msg.duplicatedOperation(id));
    if (isFailure(verdict)) return this.fail('subscribe', id, { ...msg.unauthorized(), message: verdict.failure });
    const channel = parseChannel(message.channel, true);
    if (!channel) return this.fail('subscribe', id, msg.invalidChannel());
    if (!Object.hasOwn(options.namespaces, channel.namespace)) return this.fail('subscribe', id, msg.namespaceNotFound(channel.namespace));
    const max = deps.limits.appsyncEventsSubscriptionsPerConnection;
    if (max > 0 && this.subscriptions.size + this.pending.size >= max) {
      deps.trace.record('limit.hit', { limit: 'appsyncEventsSubscriptionsPerConnection', api: api.name, detail: `connection ${this.id} has ${max} subscriptions` });
      return this.fail('subscribe', id, msg.maxSubscriptions(max));
    }
    const handled = this.server.checkSubscribe(channel, this.requester(verdict));
    if (!(handled instanceof Promise)) return this.subscribed(id, channel, handled);
    this.pending.add(id);
    handled.then(
      (error) => {
        this.pending.delete(id);
        this.subscribed(id, channel, error);
      },
      (error: unknown) => this.bug('subscribe', id, error),
    );
  }

  /** After onSubscribe (if any): the subscription starts, or its error is answered. Nothing when the socket ended meanwhile. */
  private subscribed(id: string, channel: Channel, error: msg.EventsErrorEntry | undefined): void {
    if (this.ended) return;
    if (error) return this.fail('subscribe', id, error);
    const { deps, api } = this.server;
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
  private publish(message: Record<string, unknown>, verdict: AuthResult): void {
    const id = stringId(message.id);
    if (id === undefined || !ID_PATTERN.test(id)) return this.fail('publish', id, msg.invalidId());
    if (isFailure(verdict)) return this.fail('publish', id, { ...msg.unauthorized(), message: verdict.failure });
    const outcome = this.server.publish(message.channel, message.events, 'websocket', this.requester(verdict));
    if (!(outcome instanceof Promise)) return this.published(id, outcome);
    outcome.then(
      (settled) => this.published(id, settled),
      (error: unknown) => this.bug('publish', id, error),
    );
  }

  private published(id: string, outcome: PublishOutcome): void {
    if ('errors' in outcome) return this.fail('publish', id, ...outcome.errors);
    this.send(msg.publishSuccess(id, outcome.result), 'publish_success');
  }

  /** For a handler's event: the handshake's headers and who the message's own authorization says it is. */
  private requester(principal: Principal): EventsRequester {
    return { headers: this.headers, identity: principal.identity, connectionId: this.id };
  }

  /** An emulator fault after a handler: logged, and the client still gets an answer. */
  private bug(kind: 'subscribe' | 'publish', id: string, error: unknown): void {
    this.pending.delete(id);
    this.server.deps.log.error(`Failed to finish a ${kind} on AppSync Events API "${this.server.api.name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
    this.fail(kind, id, msg.handlerFailed());
  }

  /**
   * Authorizes a subscribe or publish by its own `authorization` header object (any configured mode;
   * an Events API has no directives). Amplify also nests it under `payload.extensions.authorization`
   * (§3.3 [S]); either place is accepted. `signedBody` is what SigV4 covers for this message.
   */
  private withAuth(message: Record<string, unknown>, signedBody: Record<string, unknown>, then: (verdict: AuthResult) => void): void {
    const top = record(message.authorization);
    const headers = headerObject(Object.keys(top).length > 0 ? top : record(record(record(message.payload).extensions).authorization));
    whenSettled(this.server.api.auth.authorize(eventsAuthRequest(headers, this.sourceIp, this.id, JSON.stringify(signedBody))), (verdict) => {
      if (!this.ended) then(verdict);
    });
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
