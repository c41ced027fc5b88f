import { AwsHttpError } from '../../core/errors.ts';
import { headerValue, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { UpgradeDecision } from '../../core/websocket.ts';
import { jacksonBody, UnauthorizedException } from './errors.ts';
import { channelMatches, parseChannel, type Channel } from './events-channel.ts';
import { EventsConnection, type EventsSubscription } from './events-connection.ts';
import * as msg from './events-messages.ts';
import type { AppSyncApiIdentity } from './gateway.ts';
import type { AppSyncEventsOptions } from './options.ts';
import { handshakeAuth } from './realtime.ts';

/** The Events real-time subprotocol; the 101 selects it, never the `header-` token (reference §3.3, §7 item 9). */
export const EVENTS_SUBPROTOCOL = 'aws-appsync-event-ws';

export type PublishOutcome = { channel: Channel; result: msg.PublishResult } | { errors: msg.EventsErrorEntry[] };

/** An Events error answered over HTTP: AppSync's Jackson-style body; 404 for a missing namespace, 400 otherwise. */
class EventsHttpError extends AwsHttpError {
  constructor(entry: msg.EventsErrorEntry) {
    const status = entry.errorType === 'NotFoundException' ? 404 : 400;
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
  ) {}

  /** POST /event: `{channel, events}` with the API key; `{failed, successful}` or AppSync's HTTP error. */
  publishHttp(rawHeaders: string[], body: Buffer): HttpResponse | AwsHttpError {
    const key = headerValue(rawHeaders, 'x-api-key');
    if (key !== this.api.apiKey) return new UnauthorizedException(key === undefined ? 'no x-api-key header' : 'wrong API key');
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      request = undefined;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return new EventsHttpError({ errorType: 'BadRequestException', message: 'The body must be a JSON object {"channel", "events"}.' });
    const { channel, events } = request as Record<string, unknown>;
    const outcome = this.publish(channel, events, 'http');
    if ('errors' in outcome) return new EventsHttpError(outcome.errors[0]!);
    return { status: 200, headers: [['content-type', 'application/json; charset=UTF-8']], body: JSON.stringify({ failed: outcome.result.failed, successful: outcome.result.successful }) };
  }

  /** Checks a publish, then delivers each valid event to every matching subscription, in order. */
  publish(channelValue: unknown, events: unknown, via: 'http' | 'websocket', connectionId?: string): PublishOutcome {
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
    const accepted: string[] = [];
    events.forEach((event: unknown, index) => {
      const identifier = this.newEventId();
      const problem = this.eventProblem(event);
      if (problem) return result.failed.push({ identifier, index, code: 400, message: problem });
      result.successful.push({ identifier, index });
      accepted.push(event as string);
    });
    deps.trace.record('appsync.events-publish', { api: api.name, channel: channel.path, via, successful: result.successful.length, failed: result.failed.length, ...(connectionId ? { connectionId } : {}) });
    for (const subscription of [...this.subscriptions]) {
      if (!channelMatches(subscription.channel, channel)) continue;
      for (const event of accepted) subscription.connection.deliver(subscription, event);
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
        const connection = new EventsConnection(this, connectionId, peer);
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
