import type { Timer } from '../../core/clock.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { WebSocketPeer, WebSocketSession } from '../../core/websocket.ts';

export type EndedBy = 'client' | 'server' | 'duration' | 'shutdown' | 'auth';

/** What a session needs of the server that owns it. */
export interface SessionServer<C> {
  readonly deps: ServiceDeps;
  readonly api: { name: string };
  forget(connection: C): void;
}

/**
 * The lifecycle AppSync's two WebSocket protocols share (GraphQL real-time, reference §2; Events,
 * §3): the 24-hour duration and the `ka` period on the emulated clock, sends recorded in the trace,
 * and an end that drops every subscription once. Subclasses speak their message catalogue.
 */
export abstract class AppSyncSocketSession<S extends { id: string }, C> implements WebSocketSession {
  protected acked = false;
  protected ended = false;
  protected readonly subscriptions = new Map<string, S>();
  private keepAliveTimer: Timer | undefined;
  private readonly durationTimer: Timer;

  constructor(
    protected readonly server: SessionServer<C>,
    readonly id: string,
    protected readonly peer: WebSocketPeer,
  ) {
    const { clock, limits, trace } = server.deps;
    this.durationTimer = clock.setTimer(limits.appsyncRealtimeConnectionMs, () => {
      trace.record('limit.hit', { limit: 'appsyncRealtimeConnectionMs', api: server.api.name, detail: `connection ${id} open ${limits.appsyncRealtimeConnectionMs} ms` });
      this.end(1000, 'Connection duration exceeded', 'duration');
    });
  }

  abstract message(text: string): void;
  abstract violation(kind: string, detail: string): void;
  /** Removes one subscription (a stop/unsubscribe, or the connection ending). */
  protected abstract drop(subscription: S, by: 'close'): void;

  closed(code: number, reason: string): void {
    this.cleanUp(code, reason, 'client');
  }

  end(code: number, reason: string, by: EndedBy): void {
    if (this.ended) return;
    this.peer.close(code, reason);
    this.cleanUp(code, reason, by);
  }

  /** A `ka` now, then one per period (0: only this one, for exercising client timeouts). */
  protected keepAlive(ka: string): void {
    const period = this.server.deps.limits.appsyncKeepAliveMs;
    this.send(ka, 'ka');
    if (period > 0) this.keepAliveTimer = this.server.deps.clock.setTimer(period, () => this.keepAlive(ka));
  }

  protected send(text: string, kind: string): void {
    if (this.ended) return;
    this.server.deps.trace.record('appsync.realtime-send', { api: this.server.api.name, connectionId: this.id, kind, bytes: Buffer.byteLength(text) });
    this.peer.send(text);
  }

  private cleanUp(code: number, reason: string, by: EndedBy): void {
    if (this.ended) return;
    this.ended = true;
    this.keepAliveTimer?.cancel();
    this.durationTimer.cancel();
    for (const subscription of [...this.subscriptions.values()]) this.drop(subscription, 'close');
    this.server.forget(this as unknown as C);
    this.server.deps.trace.record('appsync.disconnect', { api: this.server.api.name, connectionId: this.id, code, reason, by });
  }
}

/** A JSON value as an object to read fields from; anything else reads as `{}`. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
