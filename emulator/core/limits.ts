/**
 * Every number AWS enforces that the emulator enforces too: one table, each with its unit and source
 * ([D] documented, [O] observed; see ../shared/aws/ and the README's fidelity table). Config may
 * override any of them under `limits`; nothing else reads them from anywhere else.
 */

export interface LimitSpec {
  readonly value: number;
  readonly unit: 'ms' | 's' | 'bytes' | 'count' | 'per-second' | 'chars';
  readonly description: string;
  readonly source: string;
}

const AGW_REST_LIMITS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html';
const AGW_REST_STREAMING = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html';
const AGW_HTTP_QUOTAS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html';
const AGW_THROTTLING = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html';
const AGW_WEBSOCKET_LIMITS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html';
const APPSYNC_QUOTAS = 'https://docs.aws.amazon.com/general/latest/gr/appsync.html';
const APPSYNC_REALTIME = 'https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html';
const APPSYNC_EVENTS_CONCEPTS = 'https://docs.aws.amazon.com/appsync/latest/eventapi/event-api-concepts.html';
const APPSYNC_EVENTS_PUBLISH = 'https://docs.aws.amazon.com/appsync/latest/eventapi/publish-http.html';
const LAMBDA_LIMITS = 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html';
const LAMBDA_TIMEOUT = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html';
const LAMBDA_CONCURRENCY = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html';
const LAMBDA_STREAMING = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html';

export const LIMITS = {
  restIntegrationTimeoutMs: { value: 29_000, unit: 'ms', description: 'REST API integration timeout (default and maximum without a raised quota)', source: `[D] ${AGW_REST_LIMITS}` },
  restIntegrationTimeoutMinMs: { value: 50, unit: 'ms', description: 'REST API smallest configurable integration timeout', source: `[D] ${AGW_REST_LIMITS}` },
  restRaisedIntegrationTimeoutMaxMs: { value: 300_000, unit: 'ms', description: 'REST API largest integration timeout once the Regional quota is raised', source: '[O] https://repost.aws/questions/QUlDTc_17EQ_mOJAhR3LHNDw' },
  restPayloadBytes: { value: 10_485_760, unit: 'bytes', description: 'REST API request payload', source: `[D] ${AGW_REST_LIMITS}` },
  restHeaderBytes: { value: 10_240, unit: 'bytes', description: 'REST API total header values size', source: `[D] ${AGW_REST_LIMITS}` },
  restUrlChars: { value: 10_240, unit: 'chars', description: 'REST API URL length (Regional)', source: `[D] ${AGW_REST_LIMITS}` },
  restAuthorizerTtlDefaultS: { value: 300, unit: 's', description: 'Lambda authorizer result cache TTL default', source: '[D] https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html' },
  restAuthorizerTtlMaxS: { value: 3_600, unit: 's', description: 'Lambda authorizer result cache TTL maximum', source: '[D] https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html' },
  restStreamIntegrationTimeoutMaxMs: { value: 900_000, unit: 'ms', description: 'REST API STREAM transfer mode: largest integration timeout, and the longest a streamed response may last (15 minutes; the stream is cut there)', source: `[D] ${AGW_REST_STREAMING}` },
  restStreamIdleTimeoutMs: { value: 300_000, unit: 'ms', description: 'REST API STREAM transfer mode: idle timeout with no bytes from the integration, Regional and private endpoints (5 minutes; the stream is cut)', source: `[D] ${AGW_REST_STREAMING}` },
  restStreamEdgeIdleTimeoutMs: { value: 30_000, unit: 'ms', description: 'REST API STREAM transfer mode: idle timeout, edge-optimized endpoints (30 seconds)', source: `[D] ${AGW_REST_STREAMING}` },
  restStreamUncappedBytes: { value: 10_485_760, unit: 'bytes', description: 'REST API STREAM transfer mode: bytes of each response sent without a bandwidth limit (10 MB)', source: `[D] ${AGW_REST_STREAMING}` },
  restStreamBytesPerSecond: { value: 2_097_152, unit: 'per-second', description: 'REST API STREAM transfer mode: bandwidth after the first 10 MB (2 MB/s, in bytes per emulated second)', source: `[D] ${AGW_REST_STREAMING}` },
  httpIntegrationTimeoutMs: { value: 30_000, unit: 'ms', description: 'HTTP API integration timeout (default and maximum, not increasable)', source: `[D] ${AGW_HTTP_QUOTAS}` },
  httpIntegrationTimeoutMinMs: { value: 50, unit: 'ms', description: 'HTTP API smallest configurable integration timeout', source: `[D] ${AGW_HTTP_QUOTAS}` },
  httpPayloadBytes: { value: 10_485_760, unit: 'bytes', description: 'HTTP API request payload', source: `[D] ${AGW_HTTP_QUOTAS}` },
  httpRequestLineAndHeaderBytes: { value: 10_240, unit: 'bytes', description: 'HTTP API request line and headers', source: `[D] ${AGW_HTTP_QUOTAS}` },
  httpLambdaAuthorizerTimeoutMs: { value: 10_000, unit: 'ms', description: 'HTTP API Lambda authorizer response timeout', source: `[D] ${AGW_HTTP_QUOTAS}` },
  websocketIntegrationTimeoutMs: { value: 29_000, unit: 'ms', description: 'WebSocket API integration timeout (default and maximum, not increasable)', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  websocketIntegrationTimeoutMinMs: { value: 50, unit: 'ms', description: 'WebSocket API smallest configurable integration timeout', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  websocketIdleTimeoutMs: { value: 600_000, unit: 'ms', description: 'WebSocket idle connection timeout (data frames either way reset it; ping/pong do not)', source: `[D] ${AGW_WEBSOCKET_LIMITS}; [O] https://www.hotsock.io/docs/connections/keep-alive` },
  websocketMaxConnectionMs: { value: 7_200_000, unit: 'ms', description: 'WebSocket connection duration', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  websocketFrameBytes: { value: 32_768, unit: 'bytes', description: 'WebSocket frame size (larger closes the connection with 1009)', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  websocketMessageBytes: { value: 131_072, unit: 'bytes', description: 'WebSocket message payload, incoming and PostToConnection (larger: close 1009 or 413)', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  websocketNewConnectionsPerSecond: { value: 500, unit: 'per-second', description: 'WebSocket new connections per second per account and Region (burst: one second\'s worth)', source: `[D] ${AGW_WEBSOCKET_LIMITS}` },
  accountThrottleRate: { value: 10_000, unit: 'per-second', description: 'API Gateway account-level steady-state rate, shared by all APIs in a Region', source: `[D] ${AGW_THROTTLING}` },
  accountThrottleBurst: { value: 5_000, unit: 'count', description: 'API Gateway account-level burst (older docs; now set by the service team)', source: `[D] ${AGW_THROTTLING}` },
  appsyncRequestTimeoutMs: { value: 30_000, unit: 'ms', description: 'AppSync request execution time for queries and mutations (not adjustable)', source: `[D] ${APPSYNC_QUOTAS}` },
  appsyncBedrockTimeoutMs: { value: 10_000, unit: 'ms', description: 'AppSync AMAZON_BEDROCK_RUNTIME data source: only synchronous invocations that complete within 10 seconds', source: '[D] https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-bedrock-js.html' },
  appsyncSubscriptionsPerConnection: { value: 100, unit: 'count', description: 'AppSync real-time subscriptions per WebSocket connection (adjustable)', source: `[D] ${APPSYNC_QUOTAS}` },
  appsyncSubscriptionPayloadBytes: { value: 245_760, unit: 'bytes', description: 'AppSync real-time message size (240 KB), applied to client messages and to each data message', source: `[D] ${APPSYNC_QUOTAS}` },
  appsyncRealtimeConnectionMs: { value: 86_400_000, unit: 'ms', description: 'AppSync real-time connection duration (the service closes it after 24 hours)', source: `[D] ${APPSYNC_REALTIME}` },
  appsyncConnectionTimeoutMs: { value: 300_000, unit: 'ms', description: 'AppSync real-time connectionTimeoutMs sent in connection_ack (a client closes after this long without ka)', source: `[D] ${APPSYNC_REALTIME}` },
  appsyncKeepAliveMs: { value: 60_000, unit: 'ms', description: 'AppSync real-time ka cadence (GraphQL docs say "periodically"; 60 s as the Events docs); 0 sends only the one after the ack, to exercise client timeouts', source: `[D] ${APPSYNC_REALTIME}; reference section 7 item 5` },
  appsyncEventsPerPublish: { value: 5, unit: 'count', description: 'AppSync Events events per publish, over HTTP or WebSocket', source: `[D] ${APPSYNC_EVENTS_PUBLISH}` },
  appsyncEventBytes: { value: 245_760, unit: 'bytes', description: 'AppSync Events size of one event (240 KB); a larger one is listed in failed', source: `[D] ${APPSYNC_EVENTS_CONCEPTS}` },
  appsyncEventsMessageBytes: { value: 1_310_720, unit: 'bytes', description: 'AppSync Events WebSocket client message size (ours: five 240 KB events and room for the envelope; AWS names none)', source: 'reference section 3.5, section 7 item 17' },
  appsyncEventsSubscriptionsPerConnection: { value: 0, unit: 'count', description: 'AppSync Events subscriptions per WebSocket connection (0: no limit; AWS documents none for Events)', source: 'reference section 7 item 17' },
  lambdaTimeoutDefaultS: { value: 3, unit: 's', description: 'Lambda function timeout default', source: `[D] ${LAMBDA_TIMEOUT}` },
  lambdaTimeoutMaxS: { value: 900, unit: 's', description: 'Lambda function timeout maximum', source: `[D] ${LAMBDA_TIMEOUT}` },
  lambdaSyncRequestBytes: { value: 6_291_456, unit: 'bytes', description: 'Lambda synchronous invoke request payload', source: `[D] ${LAMBDA_LIMITS}` },
  lambdaSyncResponseBytes: { value: 6_291_556, unit: 'bytes', description: 'Lambda synchronous invoke response payload (the figure Lambda names in its error)', source: `[D] ${LAMBDA_LIMITS}; [O] https://github.com/DataBiosphere/azul/issues/8192` },
  lambdaAsyncRequestBytes: { value: 1_048_576, unit: 'bytes', description: 'Lambda asynchronous (Event) invoke request payload (1 MB)', source: `[D] ${LAMBDA_LIMITS}` },
  lambdaAccountConcurrency: { value: 1_000, unit: 'count', description: 'Lambda concurrent executions per account and Region', source: `[D] ${LAMBDA_CONCURRENCY}` },
  lambdaMemoryDefaultMb: { value: 128, unit: 'count', description: 'Lambda memory size default (MB)', source: '[D] https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html' },
  lambdaInitTimeoutMs: { value: 10_000, unit: 'ms', description: 'Lambda init phase limit (the emulator measures it in real time: its own worker start-up is part of init)', source: '[D] https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html' },
  functionUrlStreamResponseBytes: { value: 209_715_200, unit: 'bytes', description: 'Function URL RESPONSE_STREAM: largest streamed response (200 MB; the stream is cut there)', source: `[D] ${LAMBDA_STREAMING}` },
  functionUrlStreamUncappedBytes: { value: 6_291_456, unit: 'bytes', description: 'Function URL RESPONSE_STREAM: bytes sent at full speed before the bandwidth cap applies (6 MB)', source: `[D] ${LAMBDA_STREAMING}` },
  functionUrlStreamBytesPerSecond: { value: 2_097_152, unit: 'per-second', description: 'Function URL RESPONSE_STREAM: bandwidth after the first 6 MB (2 MB/s, in bytes per emulated second)', source: `[D] ${LAMBDA_STREAMING}` },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;
export type Limits = { readonly [K in LimitName]: number };

export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** The effective limits: AWS's values with the config's overrides on top. */
export function resolveLimits(overrides: Partial<Record<LimitName, number>> = {}): Limits {
  const out = {} as Record<LimitName, number>;
  for (const name of LIMIT_NAMES) out[name] = overrides[name] ?? LIMITS[name].value;
  return out;
}
