import { AwsHttpError } from '../../core/errors.ts';
import { splitUrl, type HttpRequest, type HttpResponse } from '../../core/http.ts';
import type { Connection } from './connections.ts';
import { ForbiddenException, GoneException, PayloadTooLargeException } from './errors.ts';
import type { WebSocketGateway } from './gateway.ts';

/** A connection as the control API and `emulator.websockets.connections()` list it. */
export interface ConnectionSummary {
  connectionId: string;
  state: 'connecting' | 'open' | 'closing' | 'closed';
  connectedAt: number;
  lastActiveAt: number;
  identity: { sourceIp: string; userAgent?: string };
  authorizer?: Record<string, unknown>;
}

export interface CloseOptions {
  code?: number;
  reason?: string;
}

export function summarise(c: Connection): ConnectionSummary {
  return {
    connectionId: c.connectionId,
    state: c.state,
    connectedAt: c.connectedAt,
    lastActiveAt: Math.floor(c.lastActiveAt),
    identity: identity(c),
    ...(c.authorizer ? { authorizer: c.authorizer } : {}),
  };
}

function identity(c: Connection): { sourceIp: string; userAgent?: string } {
  return c.userAgent === undefined ? { sourceIp: c.sourceIp } : { sourceIp: c.sourceIp, userAgent: c.userAgent };
}

/** Close codes an endpoint may send (RFC 6455 §7.4): 1000-1003, 1007-1014, 3000-4999. */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

/**
 * The `@connections` management API (reference §4.10) at `/{stage}/@connections/{connectionId}`
 * (PostToConnection, GetConnection, DeleteConnection), and the emulator's control API at
 * `/@control/connections[/{id}]`, a path AWS never serves (no stage), on the same port.
 */
export class Management {
  constructor(
    private readonly gateway: WebSocketGateway,
    private readonly stage: string,
    private readonly maxMessageBytes: number,
  ) {}

  handle(request: HttpRequest): HttpResponse | AwsHttpError {
    const { path, rawQuery } = splitUrl(request.rawUrl);
    const prefix = `/${this.stage}/@connections/`;
    if (path.startsWith(prefix) && path.length > prefix.length) {
      const id = decode(path.slice(prefix.length));
      // A malformed escape cannot name a connection; AWS answers such ids with 400 `Invalid connectionId` [O].
      if (id === undefined) return json(400, { message: 'Invalid connectionId' });
      return this.connectionsApi(request.method, id, request.body);
    }
    if (path === '/@control/connections' && request.method === 'GET') return json(200, { connections: this.gateway.registry.list().map(summarise) });
    const control = /^\/@control\/connections\/([^/]+)$/.exec(path);
    if (control && request.method === 'DELETE') {
      const query = new URLSearchParams(rawQuery);
      const code = query.has('code') ? Number(query.get('code')) : undefined;
      return this.controlClose(decode(control[1]!) ?? control[1]!, { ...(code === undefined ? {} : { code }), ...(query.has('reason') ? { reason: query.get('reason')! } : {}) });
    }
    return new ForbiddenException(`no operation at ${request.method} ${path}`);
  }

  /** Closes a connection as a workshop or test would: any sendable code and reason (default: as DeleteConnection). */
  close(connectionId: string, options: CloseOptions = {}): boolean {
    if (options.code !== undefined && !isSendableCloseCode(options.code)) throw new RangeError(`Failed to close ${connectionId}: ${options.code} is not a close code a server may send. Use 1000-1003, 1007-1014 or 3000-4999.`);
    const connection = this.gateway.registry.get(connectionId);
    if (!connection) return false;
    const status = { code: options.code ?? 1000, reason: options.reason ?? (options.code === undefined ? 'Connection Closed Normally' : '') };
    return this.gateway.deleteConnection(connection, 'control', status);
  }

  private controlClose(connectionId: string, options: CloseOptions): HttpResponse {
    if (options.code !== undefined && !isSendableCloseCode(options.code)) return json(400, { message: `code ${options.code} cannot be sent; use 1000-1003, 1007-1014 or 3000-4999` });
    if (options.reason !== undefined && Buffer.byteLength(options.reason) > 123) return json(400, { message: 'reason is over 123 bytes' });
    return this.close(connectionId, options) ? { status: 204, headers: [], body: '' } : json(404, { message: `no open connection ${connectionId}` });
  }

  private connectionsApi(method: string, connectionId: string, body: Buffer): HttpResponse | AwsHttpError {
    const connection = this.gateway.registry.get(connectionId);
    if (method === 'POST') {
      if (body.length > this.maxMessageBytes) return new PayloadTooLargeException(`${body.length} bytes > ${this.maxMessageBytes}`);
      if (!connection || connection.state !== 'open') return new GoneException(`${connectionId} is ${connection?.state ?? 'unknown'}`);
      this.gateway.send(connection, body.toString('utf8'), 'post');
      return { status: 200, headers: [], body: '' };
    }
    if (method === 'GET') {
      if (!connection || connection.state !== 'open') return new GoneException(`${connectionId} is ${connection?.state ?? 'unknown'}`);
      return json(200, { connectedAt: iso(connection.connectedAt), identity: identity(connection), lastActiveAt: iso(connection.lastActiveAt) });
    }
    if (method === 'DELETE') {
      if (!connection || !this.gateway.deleteConnection(connection, 'management')) return new GoneException(`${connectionId} is ${connection?.state ?? 'unknown'}`);
      return { status: 204, headers: [], body: '' };
    }
    return new ForbiddenException(`no operation ${method} on @connections`);
  }
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function iso(epochMs: number): string {
  return new Date(Math.floor(epochMs)).toISOString();
}

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: [['content-type', 'application/json']], body: JSON.stringify(value) };
}
