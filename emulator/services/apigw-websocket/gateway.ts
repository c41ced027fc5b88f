import { headerValue, splitUrl, type HttpRequest } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { SocketViolation, UpgradeDecision, WebSocketPeer, WebSocketSession } from '../../core/websocket.ts';
import { invokeIntegration } from '../apigw-common/integration.ts';
import { TokenBucket } from '../apigw-common/token-bucket.ts';
import { authorize, type AuthorizerSettings } from './authorizer.ts';
import { ConnectionRegistry, type CloseInfo, type Connection, type Expiry } from './connections.ts';
import { HandshakeRefused, errorFrame, type FrameError } from './errors.ts';
import { buildConnectEvent, buildDisconnectEvent, buildMessageEvent, type ApiInfo } from './event.ts';
import type { WebSocketApiOptions } from './options.ts';
import { compileRouteSelection, type Selector } from './route-selection.ts';

export interface GatewayIdentity {
  name: string;
  apiId: string;
  stage: string;
  /** Read per event: the listener may learn its host and port after the API is built. */
  domainName: () => string;
}

export interface GatewayIds {
  connectionId: () => string;
  requestId: () => string;
  traceId: (epochMs: number) => string;
}

interface Target {
  key: string;
  functionName: string;
  timeoutMs: number;
  routeResponse: boolean;
  authorizer?: AuthorizerSettings;
}

/** Close codes and reasons (reference §4.5, §4.9); the `$disconnect` event reports what the client was sent. */
const GOING_AWAY = { code: 1001, reason: 'Going away' };
const DELETED = { code: 1000, reason: 'Connection Closed Normally' };
const VIOLATION_CLOSE: Record<SocketViolation, { code: number; limit: string }> = {
  'frame-too-large': { code: 1009, limit: 'websocketFrameBytes' },
  'message-too-large': { code: 1009, limit: 'websocketMessageBytes' },
  binary: { code: 1003, limit: 'websocketBinaryFrames' },
};

/**
 * A WebSocket API's semantics (reference §4): the handshake (stage, new-connection rate, `$connect`
 * authorizer and integration), messages (route selection, the integration under its timeout, error
 * frames and route responses), the lifetime limits, and `$disconnect` once a socket is gone. The
 * listener reports frames and closes; this class decides.
 */
export class WebSocketGateway {
  readonly registry: ConnectionRegistry;
  private readonly selector: Selector;
  private readonly targets = new Map<string, Target>();
  private readonly bucket: TokenBucket;
  private stopped = false;

  constructor(
    private readonly api: GatewayIdentity,
    options: WebSocketApiOptions,
    private readonly deps: ServiceDeps,
    private readonly ids: GatewayIds,
    bucket?: TokenBucket,
  ) {
    const { limits, clock } = deps;
    this.registry = new ConnectionRegistry(clock, { idleMs: limits.websocketIdleTimeoutMs, durationMs: limits.websocketMaxConnectionMs }, (c, why) => this.expire(c, why));
    this.selector = compileRouteSelection(options.routeSelectionExpression);
    const rate = options.newConnectionsPerSecond ?? limits.websocketNewConnectionsPerSecond;
    // AWS documents no burst for new connections: one second's worth, our choice.
    this.bucket = options.newConnectionsPerSecond === undefined && bucket ? bucket : new TokenBucket(clock, rate, Math.max(1, rate));
    for (const [key, route] of Object.entries(options.routes)) {
      const r = typeof route === 'string' ? { function: route } : route;
      const timeoutMs = ('integrationTimeoutMs' in r ? r.integrationTimeoutMs : undefined) ?? options.integrationTimeoutMs ?? limits.websocketIntegrationTimeoutMs;
      const target: Target = { key, functionName: r.function, timeoutMs, routeResponse: 'routeResponse' in r && r.routeResponse === true };
      if ('authorizer' in r && r.authorizer !== undefined) {
        const a = options.authorizers[r.authorizer]!;
        target.authorizer = { api: api.name, functionName: a.function, identitySource: a.identitySource, timeoutMs: limits.websocketIntegrationTimeoutMs };
      }
      this.targets.set(key, target);
    }
  }

  info(): ApiInfo {
    return { apiId: this.api.apiId, stage: this.api.stage, domainName: this.api.domainName() };
  }

  async upgrade(request: HttpRequest): Promise<UpgradeDecision> {
    const { deps, api } = this;
    const { path, rawQuery } = splitUrl(request.rawUrl);
    if (path !== `/${api.stage}` && path !== `/${api.stage}/`) return this.refuse(undefined, HandshakeRefused.forbidden(`no stage at ${path}`));
    if (!this.bucket.tryTake()) {
      deps.trace.record('limit.hit', { limit: 'websocketNewConnectionsPerSecond', api: api.name, detail: `new connections over ${this.bucket.rate}/s` });
      return this.refuse(undefined, HandshakeRefused.tooManyRequests());
    }
    const now = deps.clock.now();
    const userAgent = headerValue(request.rawHeaders, 'user-agent');
    const connection = this.registry.add({ connectionId: this.ids.connectionId(), connectedAt: Math.floor(now), sourceIp: request.sourceIp, ...(userAgent === undefined ? {} : { userAgent }) });
    const requestId = this.ids.requestId();
    const handshake = { rawHeaders: request.rawHeaders, rawQuery, traceId: this.ids.traceId(now) };
    const at = { requestId, requestTimeEpoch: now };
    const target = this.targets.get('$connect');
    if (target?.authorizer) {
      const arn = `arn:aws:execute-api:${deps.region}:${deps.accountId}:${api.apiId}/${api.stage}/$connect`;
      const verdict = await authorize(target.authorizer, deps, request, buildConnectEvent(this.info(), connection, handshake, at), arn);
      if (verdict.kind === 'refuse') return this.refuse(connection, verdict.error);
      connection.authorizer = verdict.context;
    }
    let protocol: string | undefined;
    if (target) {
      const event = buildConnectEvent(this.info(), connection, handshake, at);
      const result = await invokeIntegration(deps, { api: api.name, requestId, functionName: target.functionName, timeoutMs: target.timeoutMs }, event);
      if (result.kind === 'timeout') return this.refuse(connection, HandshakeRefused.timeout());
      const outcome = result.outcome;
      if (outcome.kind !== 'success') return this.refuse(connection, HandshakeRefused.badGateway(outcome.kind === 'rejected' ? `invoke rejected: ${outcome.error.errorType}` : `function error: ${outcome.error.errorType}`));
      const answer = proxyResult(outcome.payload);
      // A status no HTTP response can carry (1xx, over 599) is a malformed result: 502, as for a throw.
      if (answer.statusCode < 200 || answer.statusCode > 599) return this.refuse(connection, HandshakeRefused.badGateway(`$connect returned status ${answer.statusCode}`));
      if (answer.statusCode > 299) return this.refuse(connection, HandshakeRefused.status(answer.statusCode));
      protocol = answer.protocol;
    }
    return {
      accept: true,
      ...(protocol === undefined ? {} : { protocol }),
      open: (peer) => this.open(connection, peer),
      cancel: () => this.registry.remove(connection),
    };
  }

  /** The emulator is closing: forget every connection (timers cancelled), no `$disconnect`. */
  shutdown(): void {
    this.stopped = true;
    for (const connection of this.registry.list()) this.registry.remove(connection);
  }

  /** A server-initiated close (limits, DeleteConnection, control); false when already closing or gone. */
  close(connection: Connection, info: CloseInfo): boolean {
    if (!this.registry.beginClose(connection, info)) return false;
    connection.peer!.close(info.code, info.reason);
    return true;
  }

  /** One text frame to the client; any data frame resets the idle timer. */
  send(connection: Connection, text: string, kind: 'route-response' | 'error' | 'post'): void {
    if (connection.state !== 'open') return;
    this.registry.touch(connection);
    connection.peer!.send(text);
    this.deps.trace.record('ws.send', { api: this.api.name, connectionId: connection.connectionId, kind, bytes: Buffer.byteLength(text) });
  }

  private refuse(connection: Connection | undefined, error: HandshakeRefused): UpgradeDecision {
    if (connection) this.registry.remove(connection);
    this.deps.trace.record('ws.connect', { api: this.api.name, ...(connection ? { connectionId: connection.connectionId } : {}), status: error.status, errorType: error.errorType });
    return { accept: false, response: error.render() };
  }

  private open(connection: Connection, peer: WebSocketPeer): WebSocketSession {
    this.registry.open(connection, peer);
    this.deps.trace.record('ws.connect', { api: this.api.name, connectionId: connection.connectionId, status: 101 });
    return {
      message: (text) => void this.message(connection, text),
      violation: (kind, detail) => this.violation(connection, kind, detail),
      closed: (code, reason) => this.closed(connection, code, reason),
    };
  }

  private async message(connection: Connection, body: string): Promise<void> {
    if (connection.state !== 'open') return;
    const { deps, api } = this;
    this.registry.touch(connection);
    const now = deps.clock.now();
    const requestId = this.ids.requestId();
    const messageId = this.ids.requestId();
    const key = this.selector(body);
    const target = (key !== undefined && key !== '$connect' && key !== '$disconnect' ? this.targets.get(key) : undefined) ?? this.targets.get('$default');
    deps.trace.record('ws.message', { api: api.name, connectionId: connection.connectionId, requestId, routeKey: target?.key ?? null, bytes: Buffer.byteLength(body) });
    if (!target) return this.sendError(connection, 'Forbidden', requestId);
    const event = buildMessageEvent(this.info(), connection, { routeKey: target.key, messageId, body }, { requestId, requestTimeEpoch: now });
    const result = await invokeIntegration(deps, { api: api.name, requestId, functionName: target.functionName, timeoutMs: target.timeoutMs }, event);
    if (result.kind === 'timeout') return this.sendError(connection, 'Endpoint request timed out', requestId);
    if (result.outcome.kind !== 'success') return this.sendError(connection, 'Internal server error', requestId);
    if (!target.routeResponse) return;
    const frame = proxyResult(result.outcome.payload).body;
    if (frame !== undefined) this.send(connection, frame, 'route-response');
  }

  private sendError(connection: Connection, message: FrameError, requestId: string): void {
    this.send(connection, errorFrame(message, connection.connectionId, requestId), 'error');
  }

  private violation(connection: Connection, kind: SocketViolation, detail: string): void {
    const rule = VIOLATION_CLOSE[kind];
    this.deps.trace.record('limit.hit', { limit: rule.limit, api: this.api.name, detail: `${connection.connectionId}: ${detail}` });
    // AWS documents the codes only; no reason is known, so the close frame carries none.
    this.close(connection, { code: rule.code, reason: '', by: 'limit' });
  }

  private expire(connection: Connection, why: Expiry): void {
    const limit = why === 'idle' ? 'websocketIdleTimeoutMs' : 'websocketMaxConnectionMs';
    this.deps.trace.record('limit.hit', { limit, api: this.api.name, detail: `${connection.connectionId}: ${why === 'idle' ? 'idle' : 'connection duration'} limit ${this.deps.limits[limit]} ms` });
    this.close(connection, { ...GOING_AWAY, by: why });
  }

  /** DeleteConnection: the client gets 1000 and `$disconnect` reports "Connection Closed Normally". */
  deleteConnection(connection: Connection, by: 'management' | 'control', status = DELETED): boolean {
    return this.close(connection, { ...status, by });
  }

  private closed(connection: Connection, code: number, reason: string): void {
    if (this.stopped) return;
    const info: CloseInfo = connection.closing ?? { code, reason, by: code === 1006 ? 'network' : 'client' };
    this.registry.remove(connection);
    const { deps, api } = this;
    deps.trace.record('ws.disconnect', { api: api.name, connectionId: connection.connectionId, code: info.code, reason: info.reason, by: info.by });
    const target = this.targets.get('$disconnect');
    if (!target) return;
    const requestId = this.ids.requestId();
    const event = buildDisconnectEvent(this.info(), connection, { statusCode: info.code, reason: info.reason }, { requestId, requestTimeEpoch: deps.clock.now() });
    // Best effort, result ignored (reference §4.5).
    void invokeIntegration(deps, { api: api.name, requestId, functionName: target.functionName, timeoutMs: target.timeoutMs }, event);
  }
}

/**
 * A Lambda proxy result as the WebSocket integration reads it: `statusCode` (absent counts as 200, as
 * on REST), `body` (a string as is, anything else as JSON), and a `Sec-WebSocket-Protocol` header.
 */
function proxyResult(payload: string): { statusCode: number; body?: string; protocol?: string } {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return { statusCode: 200 };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { statusCode: 200 };
  const r = value as { statusCode?: unknown; body?: unknown; headers?: unknown };
  const statusCode = typeof r.statusCode === 'number' ? r.statusCode : 200;
  const out: { statusCode: number; body?: string; protocol?: string } = { statusCode };
  if (r.body !== undefined && r.body !== null) out.body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  if (r.headers && typeof r.headers === 'object') {
    const entry = Object.entries(r.headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'sec-websocket-protocol');
    if (entry && typeof entry[1] === 'string') out.protocol = entry[1];
  }
  return out;
}
