import type { Clock, Timer } from '../../core/clock.ts';
import type { WebSocketPeer } from '../../core/websocket.ts';
import type { ConnectionInfo } from './event.ts';

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

/** Who ended a connection and how; the `$disconnect` event and the trace carry it. */
export interface CloseInfo {
  code: number;
  reason: string;
  by: 'client' | 'server' | 'idle' | 'duration' | 'limit' | 'management' | 'control' | 'network';
}

export interface Connection extends ConnectionInfo {
  state: ConnectionState;
  lastActiveAt: number;
  peer?: WebSocketPeer;
  /** Set when the server starts the close, so `$disconnect` reports what the server sent. */
  closing?: CloseInfo;
}

interface Timers {
  idle?: Timer;
  duration?: Timer;
}

export type Expiry = 'idle' | 'duration';

/**
 * Live connections of one WebSocket API with their two lifetime limits on the emulated clock: the
 * idle timeout, re-armed by `touch` (any data frame either way), and the fixed maximum duration from
 * `connectedAt`. A connection is registered while `$connect` runs (`connecting`: posts to it are
 * Gone) and removed once its socket is closed.
 */
export class ConnectionRegistry {
  private readonly connections = new Map<string, Connection>();
  private readonly timers = new Map<string, Timers>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: { idleMs: number; durationMs: number },
    private readonly onExpire: (connection: Connection, why: Expiry) => void,
  ) {}

  add(info: ConnectionInfo): Connection {
    const connection: Connection = { ...info, state: 'connecting', lastActiveAt: info.connectedAt };
    this.connections.set(info.connectionId, connection);
    return connection;
  }

  /** The handshake completed: the limits start, the duration counted from `connectedAt`. */
  open(connection: Connection, peer: WebSocketPeer): void {
    connection.state = 'open';
    connection.peer = peer;
    const left = connection.connectedAt + this.limits.durationMs - this.clock.now();
    this.timers.set(connection.connectionId, { duration: this.clock.setTimer(left, () => this.expire(connection, 'duration')) });
    this.armIdle(connection);
  }

  /** A data frame went either way: the connection is active now. */
  touch(connection: Connection): void {
    connection.lastActiveAt = this.clock.now();
    if (connection.state === 'open') this.armIdle(connection);
  }

  /** Marks a server-initiated close; false when the connection is already closing or gone. */
  beginClose(connection: Connection, info: CloseInfo): boolean {
    if (connection.state !== 'open') return false;
    connection.state = 'closing';
    connection.closing = info;
    this.cancelTimers(connection);
    return true;
  }

  remove(connection: Connection): void {
    connection.state = 'closed';
    this.cancelTimers(connection);
    this.connections.delete(connection.connectionId);
  }

  get(connectionId: string): Connection | undefined {
    return this.connections.get(connectionId);
  }

  list(): Connection[] {
    return [...this.connections.values()];
  }

  private armIdle(connection: Connection): void {
    const timers = this.timers.get(connection.connectionId);
    if (!timers) return;
    timers.idle?.cancel();
    timers.idle = this.clock.setTimer(this.limits.idleMs, () => this.expire(connection, 'idle'));
  }

  private expire(connection: Connection, why: Expiry): void {
    if (connection.state === 'open') this.onExpire(connection, why);
  }

  private cancelTimers(connection: Connection): void {
    const timers = this.timers.get(connection.connectionId);
    timers?.idle?.cancel();
    timers?.duration?.cancel();
    this.timers.delete(connection.connectionId);
  }
}
