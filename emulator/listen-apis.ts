import type { Endpoints } from './core/endpoints.ts';
import type { Log } from './core/log.ts';
import type { Emulator } from './emulator.ts';
import { listenHttp, type Listener } from './gateway/http-listener.ts';
import { listenWebSocket } from './gateway/ws-listener.ts';
import { EVENTS_PATH, EVENTS_REALTIME_PATH, REALTIME_PATH } from './services/appsync/router.ts';

export interface ListenContext {
  host: string;
  /** The first API's port; 0 picks free ports. */
  firstPort: number;
  log: Log;
  /** Bedrock holds the port after the REST and HTTP APIs'. */
  skipPort: boolean;
  /** Every listener bound, for the caller to close (also on failure). */
  listeners: Listener[];
  /** Filled in as each API binds. */
  endpoints: Endpoints;
  /** A WebSocket API's `domainName` as handlers see it, by API name. */
  websocketDomains: Map<string, string>;
}

/**
 * Puts each API on its own port, in a fixed order so that adding a kind never moves an earlier one's
 * port: REST, HTTP, (Bedrock's), WebSocket, AppSync, function URLs. Each kind's endpoints-file entry is
 * written as its listener binds.
 */
export async function listenApis(emulator: Emulator, ctx: ListenContext): Promise<void> {
  const { host, log, listeners, endpoints } = ctx;
  let nextPort = ctx.firstPort;
  const bind = (listener: Listener): Listener => {
    listeners.push(listener);
    if (nextPort !== 0) nextPort = listener.port + 1;
    return listener;
  };
  const tls = emulator.localCa ? { tls: emulator.localCa } : {};
  const maxBodyBytes = Math.max(emulator.limits.restPayloadBytes, emulator.limits.httpPayloadBytes);
  for (const kind of ['restApis', 'httpApis'] as const) {
    for (const [name, api] of emulator[kind]) {
      const listener = bind(await listenHttp(api, { host, port: nextPort, maxBodyBytes, log }));
      endpoints[kind][name] = `${listener.url}${api.basePath}`;
    }
  }
  if (nextPort !== 0 && ctx.skipPort) nextPort += 1;
  for (const [name, api] of emulator.websocketApis) {
    const listener = bind(await listenWebSocket(api, { host, port: nextPort, log, ...tls }));
    // What handlers put before /{stage}: this port, on an address the local certificate covers.
    ctx.websocketDomains.set(name, `${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${listener.port}`);
    const http = listener.url.replace(/^ws:/, 'http:');
    (endpoints.websocketApis ??= {})[name] = { url: `${listener.url}/${api.stage}`, connectionsUrl: `${http}/${api.stage}/@connections` };
  }
  for (const [name, api] of emulator.appsyncApis) {
    // One port for all, as on a custom domain: POST /graphql, the upgrade at /graphql/realtime, and the Events API's pair.
    const listener = bind(await listenWebSocket(api, { host, port: nextPort, log, ...tls }));
    const http = listener.url.replace(/^ws:/, 'http:');
    (endpoints.appsyncApis ??= {})[name] = {
      // The file's format requires graphqlUrl; an Events-only API (no schema) answers it 404 and lists no realtimeUrl.
      graphqlUrl: `${http}/graphql`,
      ...(api.graphql ? { realtimeUrl: `${listener.url}${REALTIME_PATH}` } : {}),
      apiKey: api.apiKey,
      ...(api.events ? { eventsUrl: `${http}${EVENTS_PATH}`, eventsRealtimeUrl: `${listener.url}${EVENTS_REALTIME_PATH}` } : {}),
    };
  }
  // Function URLs: the whole path is the function's. Skip any port an earlier listener holds.
  for (const [name, url] of emulator.functionUrls) {
    while (nextPort !== 0 && listeners.some((l) => l.port === nextPort)) nextPort += 1;
    const listener = bind(await listenHttp(url, { host, port: nextPort, maxBodyBytes: emulator.limits.lambdaSyncRequestBytes, log }));
    (endpoints.functionUrls ??= {})[name] = `${listener.url}/`;
  }
}
