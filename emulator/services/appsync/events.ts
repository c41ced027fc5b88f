import { AwsHttpError } from '../../core/errors.ts';
import { headerValue, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { UpgradeDecision } from '../../core/websocket.ts';
import { isFailure } from './auth/authorizer.ts';
import type { AppSyncIdentity } from './auth/identity.ts';
import { eventsAuthRequest } from './auth/events-auth.ts';
import { jacksonBody, UnauthorizedException } from './errors.ts';
import { channelMatches, parseChannel, type Channel } from './events-channel.ts';
import { EventsConnection, type EventsSubscription } from './events-connection.ts';
import { buildEventsHandlerEvent } from './events-handler-event.ts';
import { runCodeOnPublish, runCodeOnSubscribe, type EventsHandlerName, type NamespaceCode } from './events-code-handlers.ts';
import { runOnPublish, runOnSubscribe, type PublishVerdict } from './events-handlers.ts';
import * as msg from './events-messages.ts';
import type { AppSyncApiIdentity } from './gateway.ts';
import { resolverHeaders } from './lambda-event.ts';
import type { AppSyncEventsOptions } from './options.ts';
import { handshakeAuth } from './realtime.ts';

/** The Events real-time subprotocol; the 101 selects it, never the `header-` token (reference §3.3, §7 item 9). */
export const EVENTS_SUBPROTOCOL = 'aws-appsync-event-ws';

export type PublishOutcome = { channel: Channel; result: msg.PublishResult } | { errors: msg.EventsErrorEntry[] };

/** Who asked, for a handler's event: the request's headers (a socket's: its handshake's), its identity, and the socket. */
export interface EventsRequester {
  headers: Record<string, string>;
  /** The authorized principal's identity (`null` under API_KEY, reference §3.6). */
  identity: AppSyncIdentity;
  connectionId?: string;
}

/**
 * An Events error answered over HTTP: AppSync's Jackson-style body; 404 for a missing namespace,
 * 401 for a handler's UnauthorizedException (as the API key's), 400 otherwise (a handler's failure too: our choice).
 */
class EventsHttpError extends AwsHttpError {
  constructor(entry: msg.EventsErrorEntry) {
    const status = entry.errorType === 'NotFoundException' ? 404 : entry.errorType === 'UnauthorizedException' ? 401 : 400;
    super(entry.errorType, status, jacksonBody([['errorType', entry.errorType], ['message', entry.message]]), [['x-amzn-errortype', entry.errorType]], entry.message);
  }
}

/**
 * One API's Events side (reference §3): the publish rules shared by POST /event and WebSocket
 * `publish`, the subscriptions of every connection, and fan-out to those whose channel matches.
 * Never sees `ws` or express: router.ts and gateway/ws-listener.ts hand it requests and sessions.
 */
export class EventsServer {
  private readonly subscriptions = new Set<EventsSubscription>();
  private readonly connections = new Set<EventsConnection>();

  constructor(
    readonly api: AppSyncApiIdentity,
    readonly options: AppSyncEventsOptions,
    readonly deps: ServiceDeps,
    readonly newConnectionId: () => string,
    readonly newEventId: () => string,
    /** Namespaces' APPSYNC_JS handlers, loaded at start-up (events-code-handlers.ts), by namespace name. */
    readonly code: ReadonlyMap<string, NamespaceCode> = new Map(),
  ) {}

  /** POST /event: `{channel, events}` with the API key; `{failed, successful}` or AppSync's HTTP error. */
  async publishHttp(rawHeaders: string[], body: Buffer): Promise<HttpResponse | AwsHttpError> {
    const verdict = await this.api.auth.authorize(eventsAuthRequest(resolverHeaders(rawHeaders), '', '', body));
    if (isFailure(verdict)) return new UnauthorizedException(verdict.reason, verdict.failure);
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      request = undefined;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return new EventsHttpError({ errorType: 'BadRequestException', message: 'The body must be a JSON object {"channel", "events"}.' });
    const { channel, events } = request as Record<string, unknown>;
    const outcome = await this.publish(channel, events, 'http', { headers: resolverHeaders(rawHeaders), identity: verdict.identity });
    if ('errors' in outcome) return new EventsHttpError(outcome.errors[0]!);
    return { status: 200, headers: [['content-type', 'application/json; charset=UTF-8']], body: JSON.stringify({ failed: outcome.result.failed, successful: outcome.result.successful }) };
  }

  /**
   * Checks a publish, runs the namespace's onPublish on its valid events (a promise then; without a
   * handler the answer is immediate, so a socket's replies keep their order), and delivers what
   * remains to every matching subscription, in order.
   */
  publish(channelValue: unknown, events: unknown, via: 'http' | 'websocket', requester: EventsRequester): PublishOutcome | Promise<PublishOutcome> {
    const { deps, api } = this;
    const channel = parseChannel(channelValue, false);
    if (!channel) return { errors: [msg.invalidChannel()] };
    if (!Object.hasOwn(this.options.namespaces, channel.namespace)) return { errors: [msg.namespaceNotFound(channel.namespace)] };
    if (!Array.isArray(events) || events.length === 0) return { errors: [msg.invalidEvents()] };
    const max = deps.limits.appsyncEventsPerPublish;
    if (events.length > max) {
      deps.trace.record('limit.hit', { limit: 'appsyncEventsPerPublish', api: api.name, detail: `publish of ${events.length} events to ${channel.path}` });
      return { errors: [msg.tooManyEvents(events.length, max)] };
    }
    const result: msg.PublishResult = { successful: [], failed: [] };
    const accepted: Array<{ id: string; event: string }> = [];
    events.forEach((event: unknown, index) => {
      const identifier = this.newEventId();
      const problem = this.eventProblem(event);
      if (problem) return result.failed.push({ identifier, index, code: 400, message: problem });
      result.successful.push({ identifier, index });
      accepted.push({ id: identifier, event: event as string });
    });
    const handler = this.options.namespaces[channel.namespace]!.onPublish;
    const code = this.codeFor(channel, 'onPublish');
    if ((!handler && !code) || accepted.length === 0) return this.broadcast(channel, result, accepted, via, requester);
    const event = buildEventsHandlerEvent({ channel, headers: requester.headers, identity: requester.identity, events: accepted.map(({ id, event }) => ({ id, payload: JSON.parse(event) as unknown })) });
    const connection = requester.connectionId ? { connectionId: requester.connectionId } : {};
    // Code runs synchronously, so its answer keeps a socket's replies in order, as having no handler does.
    if (code) return this.handled(channel, result, runCodeOnPublish({ deps, api: api.name, unit: code, event, ...connection }), via, requester);
    return runOnPublish({ deps, api: api.name, config: handler!, event, ...connection }).then((verdict) => this.handled(channel, result, verdict, via, requester));
  }

  /** The onSubscribe verdict for a subscription that passed every other check: undefined accepts. */
  checkSubscribe(channel: Channel, requester: EventsRequester): msg.EventsErrorEntry | undefined | Promise<msg.EventsErrorEntry | undefined> {
    const handler = this.options.namespaces[channel.namespace]?.onSubscribe;
    const code = this.codeFor(channel, 'onSubscribe');
    if (!handler && !code) return undefined;
    const event = buildEventsHandlerEvent({ channel, headers: requester.headers, identity: requester.identity });
    const connection = requester.connectionId ? { connectionId: requester.connectionId } : {};
    if (code) return runCodeOnSubscribe({ deps: this.deps, api: this.api.name, unit: code, event, ...connection });
    return runOnSubscribe({ deps: this.deps, api: this.api.name, config: handler!, event, ...connection });
  }

  /** The namespace's code, when it exports this handler (a missing export keeps AWS's default behaviour). */
  private codeFor(channel: Channel, handler: EventsHandlerName): NamespaceCode | undefined {
    const code = this.code.get(channel.namespace);
    return code?.exported.has(handler) ? code : undefined;
  }

  /** After onPublish: rejected, or broadcast what it kept. */
  private handled(channel: Channel, result: msg.PublishResult, verdict: PublishVerdict, via: 'http' | 'websocket', requester: EventsRequester): PublishOutcome {
    if (verdict.kind === 'rejected') return { errors: [verdict.error] };
    // An event the handler failed moves to `failed` with its text; one it left out is still a successful publish, only not broadcast.
    const failed = result.successful.filter((e) => verdict.failed.has(e.identifier)).map((e) => ({ ...e, code: 400, message: verdict.failed.get(e.identifier)! }));
    const handled: msg.PublishResult = {
      successful: result.successful.filter((e) => !verdict.failed.has(e.identifier)),
      failed: [...result.failed, ...failed].sort((a, b) => a.index - b.index),
    };
    return this.broadcast(channel, handled, verdict.events, via, requester);
  }

  private broadcast(channel: Channel, result: msg.PublishResult, events: Array<{ id: string; event: string }>, via: 'http' | 'websocket', requester: EventsRequester): PublishOutcome {
    const { connectionId } = requester;
    this.deps.trace.record('appsync.events-publish', { api: this.api.name, channel: channel.path, via, successful: result.successful.length, failed: result.failed.length, ...(connectionId ? { connectionId } : {}) });
    for (const subscription of [...this.subscriptions]) {
      if (!channelMatches(subscription.channel, channel)) continue;
      for (const { event } of events) subscription.connection.deliver(subscription, event);
    }
    return { channel, result };
  }

  /** Why one event cannot be published (our texts), or undefined. */
  private eventProblem(event: unknown): string | undefined {
    if (typeof event !== 'string') return 'The event must be a JSON string.';
    const bytes = Buffer.byteLength(event);
    const max = this.deps.limits.appsyncEventBytes;
    if (bytes > max) {
      this.deps.trace.record('limit.hit', { limit: 'appsyncEventBytes', api: this.api.name, detail: `event of ${bytes} bytes` });
      return `Event of ${bytes} bytes exceeds the ${max} bytes limit.`;
    }
    try {
      JSON.parse(event);
      return undefined;
    } catch {
      return 'The event is not valid JSON.';
    }
  }

  /** An upgrade to /event/realtime; `aws-appsync-event-ws` must be offered, or undefined. */
  upgrade(request: HttpRequest): UpgradeDecision | undefined {
    const offered = (headerValue(request.rawHeaders, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(EVENTS_SUBPROTOCOL)) return undefined;
    const auth = handshakeAuth(request, offered);
    const connectionId = this.newConnectionId();
    return {
      accept: true,
      protocol: EVENTS_SUBPROTOCOL,
      open: (peer) => {
        // A handler's event carries the handshake's headers for every message on the socket (AWS documents none for WebSocket; our choice).
        const connection = new EventsConnection(this, connectionId, peer, resolverHeaders(request.rawHeaders));
        this.connections.add(connection);
        this.deps.trace.record('appsync.connect', { api: this.api.name, connectionId });
        connection.authorize(auth);
        return connection;
      },
      cancel: () => undefined,
    };
  }

  register(subscription: EventsSubscription): void {
    this.subscriptions.add(subscription);
  }

  unregister(subscription: EventsSubscription): void {
    this.subscriptions.delete(subscription);
  }

  forget(connection: EventsConnection): void {
    this.connections.delete(connection);
  }

  shutdown(): void {
    for (const connection of [...this.connections]) connection.end(1001, 'Server shutting down', 'shutdown');
  }
}
