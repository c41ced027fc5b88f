import { EmulatorError } from '../../emulator/core/errors.ts';
import type { ScenarioContext } from '../../emulator/harness/define.ts';
import { sseEvents, tokenTiming, type StreamedResponse, type TokenTiming } from '../../emulator/harness/stream-client.ts';

/** The pattern folder; every scenario here reports under it. */
export const PATTERN = 'response-streaming';

export const PROMPT = 'Say hello in five words.';

/** AWS's streaming limits the scenarios meet (lambda configuration-response-streaming; apigateway response-transfer-mode). */
export const LIMIT = {
  bufferedResponseBytes: 6 * 1024 * 1024,
  functionUrlUncappedBytes: 6 * 1024 * 1024,
  bytesPerSecondAfter: 2 * 1024 * 1024,
  restStreamMaxMs: 15 * 60_000,
} as const;

/** A function URL from the endpoints file (`functionUrls.<name>`). */
export function functionUrl(ctx: Pick<ScenarioContext, 'endpoints'>, name: string): string {
  const url = ctx.endpoints.functionUrls?.[name];
  if (!url) throw new EmulatorError('ERR_SCENARIO', `Failed to find the function URL "${name}" in the endpoints: add "functionUrls": {"${name}": "https://..."} to the endpoints file.`);
  return url;
}

/** A path on the example app's REST API (`restApis.chat`, stage included). */
export function restUrl(ctx: Pick<ScenarioContext, 'http'>, path: string): string {
  return ctx.http.url({ kind: 'restApis', name: 'chat' }, path);
}

export interface StreamEvent {
  text?: string;
  done?: boolean;
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number; totalTokens: number };
}

/** The handler's SSE events, parsed, with their arrival times. */
export function chatEvents(response: StreamedResponse): Array<StreamEvent & { at: number; realAt: number }> {
  return sseEvents(response.chunks).map((e) => ({ ...(JSON.parse(e.data) as StreamEvent), at: e.at, realAt: e.realAt }));
}

/** Token timing from a chat stream: content events' arrival times and the done event's output tokens. */
export function chatTiming(response: StreamedResponse): TokenTiming | undefined {
  const events = chatEvents(response);
  const done = events.find((e) => e.done);
  // Arrival times of the reads that brought text, so two events merged into one read count once.
  const reads = [...new Set(events.filter((e) => e.text).map((e) => e.at))];
  return tokenTiming(reads, done?.usage?.outputTokens ?? 0);
}

/** Records a transport's token timing in the scenario's result. */
export function recordTiming(ctx: Pick<ScenarioContext, 'metric'>, transport: string, timing: TokenTiming): void {
  ctx.metric(`${transport}.ttftMs`, timing.ttftMs);
  ctx.metric(`${transport}.itlMs`, timing.itlMs);
  ctx.metric(`${transport}.tokensPerSecond`, timing.tokensPerSecond);
  ctx.metric(`${transport}.medianGapMs`, timing.medianGapMs);
  ctx.metric(`${transport}.arrivals`, timing.arrivals);
}
