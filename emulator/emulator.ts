import { resolve as resolvePath } from 'node:path';
import { ScaledClock, type Clock } from './core/clock.ts';
import { validateConfig, type EmulatorConfig, type EmulatorConfigInput } from './core/config.ts';
import type { LoadedConfig } from './core/config-file.ts';
import { endpointAt, unresolvedReferences, type Endpoints } from './core/endpoints.ts';
import type { HttpRequest, HttpResponse } from './core/http.ts';
import { EmulatorError } from './core/errors.ts';
import { resolveLimits, type Limits } from './core/limits.ts';
import { createLocalIssuer, type LocalIssuer } from './core/local-issuer.ts';
import { consoleLog, type Log } from './core/log.ts';
import type { HttpService, ServiceDeps } from './core/service.ts';
import { loadLocalCa, workerTrustPem, type LocalCa } from './core/local-ca.ts';
import { Trace } from './core/trace.ts';
import { listenHttpAndH2c } from './gateway/h2c-listener.ts';
import { listenHttp, type Listener } from './gateway/http-listener.ts';
import type { CloseOptions, ConnectionSummary } from './services/apigw-websocket/management.ts';
import { createWebSocketApi, type WebSocketApi } from './services/apigw-websocket/router.ts';
import { createHttpApi } from './services/apigw-http/router.ts';
import { createAppSyncApi, type AppSyncApi } from './services/appsync/router.ts';
import { listenApis } from './listen-apis.ts';
import { createRestApi } from './services/apigw-rest/router.ts';
import type { BedrockOptions } from './services/bedrock/options.ts';
import { createBedrockRuntime, type BedrockRuntime } from './services/bedrock/router.ts';
import { loadScriptFiles } from './services/bedrock/script-files.ts';
import { createLambdaRuntime, type LambdaRuntime } from './services/lambda-runtime/runtime.ts';
import { createFunctionUrl, type FunctionUrl } from './services/function-url/router.ts';
import { createLambdaApi, type LambdaApi } from './services/lambda-api/router.ts';

export type ApiKind = 'restApis' | 'httpApis' | 'appsyncApis';

export interface EmulatorOptions {
  /** Overrides the config's `timeScale`. Ignored when `clock` is given. */
  timeScale?: number;
  /** A clock of your own, e.g. a `ManualClock` to drive time by hand in tests. */
  clock?: Clock;
  log?: Log;
  /** Folder that handler paths are relative to (default: the config file's folder, else cwd). */
  baseDir?: string;
  /**
   * Variables every function gets below its own. `startEmulator` adds AWS_ENDPOINT_URL_BEDROCK_RUNTIME
   * and AWS_ENDPOINT_URL_LAMBDA so handlers' unmodified Bedrock and Lambda clients reach the emulator.
   */
  sharedEnvironment?: Record<string, string>;
  /**
   * A WebSocket API's `requestContext.domainName` (default AWS's `<apiId>.execute-api...`):
   * `startEmulator` answers `127.0.0.1:<its port>`, which a handler's `https://${domainName}/${stage}`
   * reaches over TLS.
   */
  websocketDomainName?: (api: string) => string | undefined;
  /** Values for functions' `{endpoint}` environment references; `startEmulator` answers from its endpoints file. */
  resolveEndpoint?: (path: string) => string | undefined;
}

/** The SDK v3 reads this service-specific endpoint variable: no code change in the handler. */
export const BEDROCK_ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME';

/** Likewise for Lambda: a handler's unmodified LambdaClient invokes other functions through the emulator. */
export const LAMBDA_ENDPOINT_VARIABLE = 'AWS_ENDPOINT_URL_LAMBDA';

/**
 * The whole emulator without sockets: tests dispatch requests to it in-process (STYLE.md 7), and
 * `startEmulator` puts each API on its own port.
 */
export interface Emulator {
  readonly config: EmulatorConfig;
  readonly clock: Clock;
  readonly trace: Trace;
  readonly limits: Limits;
  readonly lambda: LambdaRuntime;
  /** The emulator's local JWT issuer (HTTP API JWT authorizers without a `jwksFile` trust it). */
  readonly issuer: LocalIssuer;
  readonly restApis: ReadonlyMap<string, HttpService>;
  readonly httpApis: ReadonlyMap<string, HttpService>;
  /** The Bedrock runtime mock (undefined when `bedrock.enabled` is false); `handle` dispatches in-process. */
  readonly bedrock: BedrockRuntime | undefined;
  readonly websocketApis: ReadonlyMap<string, WebSocketApi>;
  /** AppSync GraphQL APIs: `dispatch('appsyncApis', name, request)` sends POST /graphql in-process. */
  readonly appsyncApis: ReadonlyMap<string, AppSyncApi>;
  /** Lambda function URLs: `functionUrls.get(name).handle(request)` dispatches in-process (a stream's body included). */
  readonly functionUrls: ReadonlyMap<string, FunctionUrl>;
  /**
   * The local CA (core/local-ca.ts) when there are WebSocket or AppSync APIs: their ports also speak
   * TLS with its certificate (`wss://`, `https://`), and Lambda handlers trust it, so
   * `https://${domainName}` works unmodified.
   */
  readonly localCa: LocalCa | undefined;
  /** Lists and closes WebSocket connections, for tests and workshops (the control API does the same over HTTP). */
  readonly websockets: WebSocketControl;
  /** Sends a request to one API as if it had arrived on its port; `path` includes the stage. */
  dispatch(kind: ApiKind, name: string, request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface WebSocketControl {
  /** The API's registered connections (`connecting` while `$connect` runs, `open`, `closing`). */
  connections(api: string): ConnectionSummary[];
  /**
   * Closes one connection with `code`/`reason` (default 1000 "Connection Closed Normally", as
   * DeleteConnection); `$disconnect` reports them. False when the connection is not open.
   */
  close(api: string, connectionId: string, options?: CloseOptions): boolean;
}

function isLoaded(input: EmulatorConfigInput | LoadedConfig): input is LoadedConfig {
  return typeof (input as LoadedConfig).baseDir === 'string' && typeof (input as LoadedConfig).file === 'string';
}

export async function createEmulator(input: EmulatorConfigInput | LoadedConfig, options: EmulatorOptions = {}): Promise<Emulator> {
  const config = isLoaded(input) ? input.config : validateConfig(input);
  const baseDir = options.baseDir ?? (isLoaded(input) ? input.baseDir : process.cwd());
  const clock = options.clock ?? new ScaledClock({ timeScale: options.timeScale ?? config.timeScale });
  const log = options.log ?? consoleLog();
  const trace = new Trace(clock);
  const limits = resolveLimits(config.limits);
  // Script files are read before any worker starts, so a bad file leaves nothing to clean up.
  const bedrockOptions = config.bedrock.enabled ? resolveRecordings(await loadScriptFiles(config.bedrock, baseDir), baseDir) : config.bedrock;
  // WebSocket APIs need it (handlers call back over https://), and AppSync's (Amplify forces wss://
  // for any host not AWS's); a cached CA loads in ~15 ms.
  const localCa = Object.keys(config.websocketApis).length + Object.keys(config.appsyncApis).length > 0 ? await loadLocalCa() : undefined;
  const lambda = createLambdaRuntime({
    functions: config.functions,
    baseDir,
    region: config.region,
    accountId: config.accountId,
    clock,
    trace,
    log,
    limits,
    sharedEnvironment: options.sharedEnvironment,
    ...(options.resolveEndpoint ? { resolveEndpoint: options.resolveEndpoint } : {}),
    ...(localCa ? { trustedCaPem: await workerTrustPem(localCa.caPem) } : {}),
  });
  const bedrock = config.bedrock.enabled ? createBedrockRuntime(bedrockOptions, { clock, trace, log }) : undefined;
  const issuer = await createLocalIssuer(clock);
  const deps: ServiceDeps = { clock, trace, log, limits, lambda, region: config.region, accountId: config.accountId };
  const restApis = new Map(Object.entries(config.restApis).map(([name, api]) => [name, createRestApi(name, api, { ...deps, lambda })]));
  const httpApis = new Map(Object.entries(config.httpApis).map(([name, api]) => [name, createHttpApi(name, api, deps, { baseDir, issuer })]));
  const websocketApis = new Map(Object.entries(config.websocketApis).map(([name, api]) => [name, createWebSocketApi(name, api, deps, { domainName: () => options.websocketDomainName?.(name) })]));
  const appsyncApis = new Map(Object.entries(config.appsyncApis).map(([name, api]) => [name, createAppSyncApi(name, api, deps, { baseDir, issuer, ...(bedrock ? { bedrock: (request: HttpRequest) => bedrock.handle(request) } : {}) })]));
  // The runtime streams too (InvokeWithResponseStream), which RESPONSE_STREAM URLs need.
  const functionUrls = new Map(Object.entries(config.functionUrls).map(([name, url]) => [name, createFunctionUrl(name, url, { ...deps, lambda })]));
  const apis: Record<ApiKind, ReadonlyMap<string, HttpService>> = { restApis, httpApis, appsyncApis };
  const websocketApi = (name: string): WebSocketApi => {
    const api = websocketApis.get(name);
    if (!api) throw new Error(`No WebSocket API named "${name}"`);
    return api;
  };
  return {
    config,
    clock,
    trace,
    limits,
    lambda,
    issuer,
    restApis,
    httpApis,
    bedrock,
    websocketApis,
    appsyncApis,
    functionUrls,
    localCa,
    websockets: {
      connections: (api) => websocketApi(api).connections(),
      close: (api, connectionId, closeOptions) => websocketApi(api).close(connectionId, closeOptions),
    },
    dispatch(kind, name, request) {
      const api = apis[kind].get(name);
      if (!api) return Promise.reject(new Error(`No ${kind} API named "${name}"`));
      return api.handle(request);
    },
    async close() {
      for (const api of websocketApis.values()) api.shutdown();
      for (const api of appsyncApis.values()) api.shutdown();
      await lambda.close();
      await bedrock?.close();
    },
  };
}

/** The recordings folder is relative to the config file's folder, as `codeUri` is. */
function resolveRecordings(options: BedrockOptions, baseDir: string): BedrockOptions {
  return { ...options, upstream: { ...options.upstream, recordings: resolvePath(baseDir, options.upstream.recordings) } };
}

// Bedrock publishes no request size quota for Converse; the APIs' payload limit keeps a runaway upload bounded.
function bedrockMaxBodyBytes(config: EmulatorConfig): number {
  const limits = resolveLimits(config.limits);
  return Math.max(limits.restPayloadBytes, limits.httpPayloadBytes);
}

export interface StartOptions extends EmulatorOptions {
  host?: string;
  /** First port; each API takes the next. 0 picks free ports. */
  port?: number;
}

export interface RunningEmulator extends Emulator {
  readonly endpoints: Endpoints;
}

/**
 * Creates the emulator and serves every REST and HTTP API on its own port, then Bedrock on the next,
 * then each WebSocket API, then each AppSync API, then the Lambda API (Invoke and
 * InvokeWithResponseStream) after every other. `close()` stops listeners and workers.
 */
export async function startEmulator(input: EmulatorConfigInput | LoadedConfig, options: StartOptions = {}): Promise<RunningEmulator> {
  const config = isLoaded(input) ? input.config : validateConfig(input);
  const loaded: LoadedConfig = isLoaded(input) ? input : { config, baseDir: options.baseDir ?? process.cwd(), file: '' };
  const host = options.host ?? config.host;
  const firstPort = options.port ?? config.port;
  const log = options.log ?? consoleLog();
  // Bedrock listens first, on the port after the APIs', because functions are created knowing its URL.
  // The listener forwards to the service once it exists; nothing can call it before this returns.
  const forwardTo: { bedrock?: BedrockRuntime; lambda?: LambdaApi } = {};
  const apiCount = Object.keys(config.restApis).length + Object.keys(config.httpApis).length;
  const bedrockListener = config.bedrock.enabled
    ? await listenHttpAndH2c(
        { handle: (request) => forwardTo.bedrock!.handle(request) },
        { host, port: firstPort === 0 ? 0 : firstPort + apiCount, maxBodyBytes: bedrockMaxBodyBytes(config), log },
      )
    : undefined;
  // The Lambda API (Invoke, InvokeWithResponseStream) likewise, on the port after every other listener's
  // so none of theirs moves; its URL goes into the functions' environment.
  const otherListeners =
    apiCount + (bedrockListener ? 1 : 0) + Object.keys(config.websocketApis).length + Object.keys(config.appsyncApis).length + Object.keys(config.functionUrls).length;
  let lambdaListener: Listener;
  try {
    lambdaListener = await listenHttp(
      { handle: (request) => forwardTo.lambda!.handle(request) },
      { host, port: firstPort === 0 ? 0 : firstPort + otherListeners, maxBodyBytes: resolveLimits(config.limits).lambdaSyncRequestBytes, log },
    );
  } catch (error) {
    await bedrockListener?.close();
    throw error;
  }
  let emulator: Emulator;
  const websocketDomains = new Map<string, string>();
  // Filled in as listeners bind, before any handler runs: functions start on their first invocation.
  const endpoints: Endpoints = { restApis: {}, httpApis: {}, ...(bedrockListener ? { bedrock: bedrockListener.url } : {}), lambda: lambdaListener.url };
  try {
    const sharedEnvironment = {
      ...(bedrockListener ? { [BEDROCK_ENDPOINT_VARIABLE]: bedrockListener.url } : {}),
      [LAMBDA_ENDPOINT_VARIABLE]: lambdaListener.url,
      ...options.sharedEnvironment,
    };
    emulator = await createEmulator(loaded, { ...options, sharedEnvironment, websocketDomainName: (api) => websocketDomains.get(api), resolveEndpoint: (path) => endpointAt(endpoints, path) });
  } catch (error) {
    await Promise.all([bedrockListener?.close(), lambdaListener.close()]);
    throw error;
  }
  forwardTo.bedrock = emulator.bedrock;
  const { lambda, trace, limits } = emulator;
  const functions = emulator.config.functions;
  forwardTo.lambda = createLambdaApi({ lambda, trace, log, limits, region: emulator.config.region, accountId: emulator.config.accountId, memorySize: (name) => functions[name]?.memorySize });
  const listeners: Listener[] = bedrockListener ? [bedrockListener, lambdaListener] : [lambdaListener];
  try {
    await listenApis(emulator, { host, firstPort, log, skipPort: bedrockListener !== undefined, listeners, endpoints, websocketDomains });
    const missing = unresolvedReferences(emulator.config.functions, endpoints);
    if (missing.length > 0) {
      throw new EmulatorError('ERR_CONFIG_VALIDATION', `Failed to resolve functions' environment references: ${missing.join('; ')}. Name a field the endpoints file has, e.g. {"endpoint": "appsyncApis.<name>.graphqlUrl"}.`);
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => l.close()));
    await emulator.close();
    throw error;
  }
  return {
    ...emulator,
    endpoints,
    async close() {
      for (const api of emulator.websocketApis.values()) api.shutdown();
      for (const api of emulator.appsyncApis.values()) api.shutdown();
      await Promise.all(listeners.map((l) => l.close()));
      await emulator.close();
    },
  };
}

