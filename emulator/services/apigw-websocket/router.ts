import { AwsHttpError } from '../../core/errors.ts';
import { splitUrl, type HttpResponse } from '../../core/http.ts';
import { randomBytes, stableId, traceId } from '../../core/ids.ts';
import type { ServiceDeps } from '../../core/service.ts';
import type { WebSocketHandler } from '../../core/websocket.ts';
import { accountThrottleBucket } from '../apigw-common/account-throttle.ts';
import { accountConnectionBucket } from './connection-rate.ts';
import { LimitExceededException } from './errors.ts';
import { WebSocketGateway, type GatewayIds } from './gateway.ts';
import { Management, summarise, type CloseOptions, type ConnectionSummary } from './management.ts';
import type { WebSocketApiOptions } from './options.ts';

export interface WebSocketApiExtra {
  /**
   * `requestContext.domainName`, which handlers turn into their `@connections` endpoint
   * (`https://${domainName}/${stage}`). Default: AWS's `<apiId>.execute-api.<region>.amazonaws.com`.
   * A function is read per event, so a listener can set it once it knows its port.
   */
  domainName?: string | (() => string | undefined);
  /** Fixed ids for golden tests; random (as AWS's) by default. */
  ids?: Partial<GatewayIds>;
}

/** A WebSocket API: served on its own port by gateway/ws-listener.ts, controlled by tests and workshops. */
export interface WebSocketApi extends WebSocketHandler {
  readonly name: string;
  readonly stage: string;
  readonly apiId: string;
  /** Connections registered now: `connecting` while `$connect` runs, `open`, then `closing`. */
  connections(): ConnectionSummary[];
  /** Closes one connection (default 1000 "Connection Closed Normally", as DeleteConnection); false if unknown. */
  close(connectionId: string, options?: CloseOptions): boolean;
  /** Forgets every connection and cancels its timers, without `$disconnect` (the emulator is closing). */
  shutdown(): void;
}

/** 16 characters ending in `=`, as AWS's connection ids (`L0SM9cOFvHcCIhw=`); URL-safe alphabet. */
export const newConnectionId = (): string => `${randomBytes(11).toString('base64url')}=`;
/** `requestId`, `messageId`, `extendedRequestId`: the same 16-character form. */
export const newWebSocketRequestId = (): string => `${randomBytes(11).toString('base64url')}=`;

/**
 * The wire side of one WebSocket API: upgrades go to the gateway; plain HTTP requests are the
 * `@connections` API or the control API (management.ts). Records `ws.management` for `@connections`
 * calls. Never rejects.
 */
export function createWebSocketApi(name: string, options: WebSocketApiOptions, deps: ServiceDeps, extra: WebSocketApiExtra = {}): WebSocketApi {
  const apiId = stableId(`websocket:${name}`, 10);
  const fixed = extra.domainName;
  const defaultDomain = `${apiId}.execute-api.${deps.region}.amazonaws.com`;
  const domainName = (): string => (typeof fixed === 'function' ? fixed() : fixed) ?? defaultDomain;
  const ids: GatewayIds = { connectionId: newConnectionId, requestId: newWebSocketRequestId, traceId, ...extra.ids };
  const gateway = new WebSocketGateway({ name, apiId, stage: options.stage, domainName }, options, deps, ids, accountConnectionBucket(deps));
  const management = new Management(gateway, options.stage, deps.limits.websocketMessageBytes);
  const connectionsPrefix = `/${options.stage}/@connections/`;

  return {
    name,
    stage: options.stage,
    apiId,
    maxFrameBytes: deps.limits.websocketFrameBytes,
    maxMessageBytes: deps.limits.websocketMessageBytes,
    async handle(request) {
      let result: HttpResponse | AwsHttpError;
      const { path } = splitUrl(request.rawUrl);
      const callback = path.startsWith(connectionsPrefix);
      try {
        // `@connections` calls share the account's API Gateway quota with every REST, HTTP and WebSocket API (§1.1).
        if (callback && !accountThrottleBucket(deps).tryTake()) {
          deps.trace.record('limit.hit', { limit: 'apigw.account.throttle', api: name, detail: `account: rate ${deps.limits.accountThrottleRate}/s, burst ${deps.limits.accountThrottleBurst}` });
          result = new LimitExceededException();
        } else result = management.handle(request);
      } catch (error) {
        deps.log.error(`Failed to handle ${request.method} ${request.rawUrl} on WebSocket API "${name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
        result = { status: 500, headers: [['content-type', 'application/json']], body: '{"message": "Internal server error"}' };
      }
      const response = result instanceof AwsHttpError ? result.render() : result;
      if (callback) {
        const raw = path.slice(connectionsPrefix.length);
        let connectionId = raw;
        try {
          connectionId = decodeURIComponent(raw);
        } catch {
          // Malformed escapes: the trace keeps the id as sent.
        }
        deps.trace.record('ws.management', { api: name, connectionId, method: request.method, status: response.status, ...(result instanceof AwsHttpError ? { errorType: result.errorType } : {}) });
      }
      return response;
    },
    async upgrade(request) {
      try {
        return await gateway.upgrade(request);
      } catch (error) {
        deps.log.error(`Failed to upgrade ${request.rawUrl} on WebSocket API "${name}": ${(error as Error).stack ?? String(error)}. This is a genai-offline bug; please report it.`);
        return { accept: false, response: { status: 500, headers: [['content-type', 'application/json']], body: '{"message": "Internal server error"}' } };
      }
    },
    connections: () => gateway.registry.list().map(summarise),
    close: (connectionId, closeOptions) => management.close(connectionId, closeOptions),
    shutdown: () => gateway.shutdown(),
  };
}
