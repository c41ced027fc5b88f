import type { GraphQLSchema, DocumentNode } from 'graphql';
import { headerValue, splitUrl, type HttpRequest } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { UpgradeDecision } from '../../core/websocket.ts';
import type { AppSyncApiIdentity } from './gateway.ts';
import { resolverHeaders } from './lambda-event.ts';
import { RealtimeConnection, type HandshakeAuth, type LiveSubscription } from './realtime-connection.ts';
import { matchesSubscription, project, publicationsOf, subscriptionTriggers } from './selection.ts';

/** AppSync answers the 101 with this subprotocol only, never the `header-` token (reference §2.1, §7 item 9). */
export const REALTIME_SUBPROTOCOL = 'graphql-ws';



/**
 * AppSync's real-time endpoint for one API (reference §2): handshake auth, the message catalogue,
 * `ka` and the 24-hour duration on the emulated clock, the per-connection limits, and fan-out of
 * mutations named in `@aws_subscribe`. Never sees `ws`: gateway/ws-listener.ts hands it sessions.
 */
export class RealtimeServer {
  private readonly triggers: Map<string, string[]>;
  /** Subscription field -> live subscriptions on it. */
  private readonly byField = new Map<string, Set<LiveSubscription>>();
  private readonly connections = new Set<RealtimeConnection>();

  constructor(
    readonly api: AppSyncApiIdentity,
    readonly schema: GraphQLSchema,
    readonly deps: ServiceDeps,
    readonly newId: () => string,
  ) {
    this.triggers = subscriptionTriggers(schema);
  }

  /** An upgrade to /graphql/realtime; `graphql-ws` must be offered (without it, AppSync's client could not complete the handshake). */
  upgrade(request: HttpRequest): UpgradeDecision | undefined {
    const offered = (headerValue(request.rawHeaders, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(REALTIME_SUBPROTOCOL)) return undefined;
    const auth = handshakeAuth(request, offered);
    const connectionId = this.newId();
    return {
      accept: true,
      protocol: REALTIME_SUBPROTOCOL,
      open: (peer) => {
        const connection = new RealtimeConnection(this, connectionId, peer, auth);
        this.connections.add(connection);
        this.deps.trace.record('appsync.connect', { api: this.api.name, connectionId });
        return connection;
      },
      cancel: () => undefined,
    };
  }

  /** A mutation answered over /graphql: each subscriber of a field that names it gets its view, if its arguments match. */
  publish(document: DocumentNode, operationName: string | undefined, data: Record<string, unknown>): void {
    for (const publication of publicationsOf(document, operationName, data)) {
      for (const field of this.triggers.get(publication.mutationField) ?? []) {
        for (const live of this.byField.get(field) ?? []) {
          if (!matchesSubscription(live.query, publication.value)) continue;
          live.connection.deliver(live, publication.mutationField, project(publication.value, live.query.node.selectionSet, live.query.fragments, live.query.type));
        }
      }
    }
  }

  register(live: LiveSubscription): void {
    let set = this.byField.get(live.query.field);
    if (!set) this.byField.set(live.query.field, (set = new Set()));
    set.add(live);
  }

  unregister(live: LiveSubscription): void {
    this.byField.get(live.query.field)?.delete(live);
  }

  forget(connection: RealtimeConnection): void {
    this.connections.delete(connection);
  }

  /** Closes every connection (the emulator is stopping). */
  shutdown(): void {
    for (const connection of [...this.connections]) connection.end(1001, 'Server shutting down', 'shutdown');
  }
}

/**
 * The handshake's header object (reference §2.1-2.2): from the `header` query parameter, the `header-`
 * subprotocol, or else the upgrade request's own headers. Names are lower-cased, as HTTP headers are
 * for the authorizer; only string values count.
 */
export function handshakeAuth(request: HttpRequest, offered: string[]): HandshakeAuth {
  const { rawQuery } = splitUrl(request.rawUrl);
  // A `+` in an unencoded base64 query value arrives as a space.
  const fromQuery = new URLSearchParams(rawQuery).get('header')?.replace(/ /g, '+');
  const fromProtocol = offered.find((p) => p.startsWith('header-'))?.slice('header-'.length);
  const encoded = fromQuery ?? fromProtocol;
  const { sourceIp } = request;
  if (encoded === undefined) return { headers: resolverHeaders(request.rawHeaders), sourceIp };
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) return { malformed: true };
  try {
    const header = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || Array.isArray(header)) return { malformed: true };
    return { headers: headerObject(header as Record<string, unknown>), sourceIp };
  } catch {
    return { malformed: true };
  }
}

/** A header object (handshake, or a message's `authorization`) as lower-case HTTP headers. */
export function headerObject(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) if (typeof v === 'string') out[name.toLowerCase()] = v;
  return out;
}
