/**
 * genai-offline's programmatic API. Named exports only.
 *
 * @example
 * const emulator = await startEmulator(defineConfig({ functions: {...}, restApis: {...} }), { port: 0 });
 * const res = await fetch(`${emulator.endpoints.restApis.chat}/chat`, { method: 'POST', body: '{"prompt":"hi"}' });
 * await emulator.close();
 */
export { BEDROCK_ENDPOINT_VARIABLE, createEmulator, startEmulator } from './emulator.ts';
export type { ApiKind, Emulator, EmulatorOptions, RunningEmulator, StartOptions, WebSocketControl } from './emulator.ts';
export type { WebSocketApi } from './services/apigw-websocket/router.ts';
export type { CloseOptions, ConnectionSummary } from './services/apigw-websocket/management.ts';
export type { WebSocketApiOptionsInput } from './services/apigw-websocket/options.ts';
export type { AppSyncApi } from './services/appsync/router.ts';
export type { AppSyncApiOptionsInput } from './services/appsync/options.ts';
export type { AppSyncLambdaEvent } from './services/appsync/lambda-event.ts';
export { defineConfig, validateConfig } from './core/config.ts';
export type { EmulatorConfig, EmulatorConfigInput } from './core/config.ts';
export { loadConfigFile, findConfigFile } from './core/config-file.ts';
export type { LoadedConfig } from './core/config-file.ts';
export { ManualClock, ScaledClock, MANUAL_CLOCK_START } from './core/clock.ts';
export type { Clock, Timer } from './core/clock.ts';
export { buildRequest } from './core/http.ts';
export type { AnyHttpResponse, HttpRequest, HttpResponse, RequestInit, StreamingHttpResponse } from './core/http.ts';
export type { BedrockRuntime } from './services/bedrock/router.ts';
export type { BedrockOptionsInput } from './services/bedrock/options.ts';
export { LIMITS, resolveLimits } from './core/limits.ts';
export type { LimitName, Limits, LimitSpec } from './core/limits.ts';
export { Trace } from './core/trace.ts';
export type { TraceEvent, TraceEventMap, TraceType } from './core/trace.ts';
export { readEndpointsFile, writeEndpointsFile } from './core/endpoints.ts';
export type { Endpoints } from './core/endpoints.ts';
export { AwsHttpError, EmulatorError } from './core/errors.ts';
export { consoleLog, memoryLog, silentLog } from './core/log.ts';
export type { Log, MemoryLog } from './core/log.ts';
export { defineScenario } from './harness/define.ts';
export type { Scenario, ScenarioContext, ScenarioDefinition } from './harness/define.ts';
