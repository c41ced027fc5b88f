import type { Endpoints } from '../core/endpoints.ts';
import { EmulatorError } from '../core/errors.ts';
import type { Log } from '../core/log.ts';
import type { Trace } from '../core/trace.ts';
import type { AppSyncClient } from './appsync-client.ts';
import type { StreamedResponse, StreamRequest } from './stream-client.ts';
import type { Expectations } from './expect.ts';
import type { HttpClient } from './http-client.ts';
import type { WsClient } from './ws-client.ts';

export type ScenarioMode = 'offline' | 'remote';

/** What a scenario's `run` gets. Everything in it works the same offline and against AWS, except `trace`. */
export interface ScenarioContext {
  endpoints: Endpoints;
  mode: ScenarioMode;
  /** Real seconds per emulated second; 1 in remote mode. */
  timeScale: number;
  http: HttpClient;
  /** WebSocket APIs by their name in the endpoints; sockets still open when the scenario ends are terminated. */
  ws: WsClient;
  /** AppSync APIs by their name in the endpoints: GraphQL, real-time subscriptions, the Events API. */
  appsync: AppSyncClient;
  /** Reads a streamed HTTP response (function URLs, REST STREAM routes), each read stamped in emulated ms. */
  stream(url: string, request?: StreamRequest): Promise<StreamedResponse>;
  /** Records a figure in the scenario's result (`metrics` in results.json), e.g. `metric('function-url.ttftMs', 412)`. */
  metric(name: string, value: number): void;
  expect: Expectations;
  /** Names a step so reports show where a scenario failed. Steps may nest; names join with " › ". */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * The emulator's trace, offline only. A scenario that needs it declares `offlineOnly` or checks
   * `ctx.mode === 'offline'` first.
   */
  trace: Trace | undefined;
  log: Log;
  /** Aborted when the scenario runs out of time; the HTTP client already honours it. */
  signal: AbortSignal;
}

export interface ScenarioDefinition {
  /** kebab-case, unique across all scenarios. */
  name: string;
  /** The pattern folder under `scenarios/` this belongs to, e.g. `sync-request-response`. */
  pattern: string;
  description: string;
  tags?: string[];
  /** Set when the scenario cannot run against a real endpoint; remote runs skip it with this reason. */
  offlineOnly?: { reason: string };
  /** Time budget in emulated seconds; default 120. */
  budgetSeconds?: number;
  /**
   * The time scale an offline run uses for this scenario when `--time-scale` is not given, for
   * scenarios that wait out hour-long limits (0.001 makes 2 hours 7.2 s). Scenarios with the same
   * scale share one emulator; the default is the command's (0.01).
   */
  offlineTimeScale?: number;
  run(ctx: ScenarioContext): Promise<void>;
}

const SCENARIO = Symbol.for('genai-offline.scenario');

export type Scenario = Readonly<ScenarioDefinition> & { readonly [SCENARIO]: true };

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Checks the definition once, where it is written, so a typo fails at load time rather than mid-run. */
export function defineScenario(definition: ScenarioDefinition): Scenario {
  const problems: string[] = [];
  if (!KEBAB.test(definition.name)) problems.push(`name "${definition.name}" is not kebab-case`);
  if (!KEBAB.test(definition.pattern)) problems.push(`pattern "${definition.pattern}" is not kebab-case`);
  if (!definition.description.trim()) problems.push('description is empty');
  if (definition.offlineOnly && !definition.offlineOnly.reason.trim()) problems.push('offlineOnly.reason is empty');
  if (definition.budgetSeconds !== undefined && !(definition.budgetSeconds > 0)) problems.push('budgetSeconds must be > 0');
  if (definition.offlineTimeScale !== undefined && !(definition.offlineTimeScale > 0 && definition.offlineTimeScale <= 1)) problems.push('offlineTimeScale must be above 0 and at most 1');
  if (typeof definition.run !== 'function') problems.push('run is not a function');
  if (problems.length > 0) {
    throw new EmulatorError('ERR_SCENARIO', `Failed to define scenario "${definition.name}": ${problems.join('; ')}. Fix the defineScenario({...}) call.`);
  }
  return Object.freeze({ ...definition, [SCENARIO]: true as const });
}

export function isScenario(value: unknown): value is Scenario {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCENARIO] === true;
}
