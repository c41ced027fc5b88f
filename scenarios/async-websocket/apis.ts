import type { ScenarioContext } from '../../emulator/harness/define.ts';
import type { WsConnection, WsFrame } from '../../emulator/harness/ws-client.ts';

/** The pattern folder; every scenario here reports under it. */
export const PATTERN = 'async-websocket';

/** The example app's WebSocket API by its name in the endpoints file (`websocketApis.chat`). */
export const CHAT = 'chat';

const MINUTE = 60_000;

/** API Gateway's fixed WebSocket limits (docs: apigateway-execution-service-websocket-limits-table). */
export const LIMIT = {
  idleMs: 10 * MINUTE,
  maxDurationMs: 120 * MINUTE,
  integrationTimeoutMs: 29_000,
  messageBytes: 131_072,
  frameBytes: 32_768,
} as const;

/** What a client sees when API Gateway ends a connection at the idle or 2-hour limit (observed). */
export const GOING_AWAY = { code: 1001, reason: 'Going away' } as const;
/** Frame or message over the size limit (documented). */
export const MESSAGE_TOO_BIG = 1009;
/** The frame sent when a route's integration runs past 29 s; the connection stays open (observed). */
export const TIMED_OUT = 'Endpoint request timed out';

/** Keep-alive interval the scenarios use: inside the 10-minute idle limit with a minute to spare. */
export const KEEP_ALIVE_MS = 9 * MINUTE;

export const PROMPT = 'Say hello in five words.';

export type ChatFrame =
  | { type: 'chunk'; text: string }
  | { type: 'done'; stopReason: string; usage: { inputTokens: number; outputTokens: number; totalTokens: number } }
  | { type: 'error'; error: string };

/** Parses a frame that may be a chat frame or one of API Gateway's own; never throws. */
export type AnyFrame = Partial<{ type: ChatFrame['type']; text: string; stopReason: string; usage: Record<string, number>; error: string }> & {
  message?: string;
  connectionId?: string;
  requestId?: string;
};

export function parse(frame: WsFrame): AnyFrame {
  try {
    const value: unknown = JSON.parse(frame.text);
    return typeof value === 'object' && value !== null ? (value as AnyFrame) : {};
  } catch {
    return {};
  }
}

export const isDone = (f: WsFrame) => parse(f).type === 'done';
export const isChunk = (f: WsFrame) => parse(f).type === 'chunk';
export const isUnknownAction = (f: WsFrame) => f.text === JSON.stringify({ error: 'unknown action' });

/**
 * Waits `emulatedMs` of emulated time on the client's side (real ms × the run's time scale), or until
 * the scenario is aborted.
 */
export function pause(ctx: Pick<ScenarioContext, 'timeScale' | 'signal'>, emulatedMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted) return reject(ctx.signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(ctx.signal.reason);
    };
    const timer = setTimeout(() => {
      ctx.signal.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, emulatedMs) * ctx.timeScale);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Offline, an execution environment's start-up costs real time that the time scale does not compress
 * (200 ms real is 200 emulated seconds at 0.001), and the client takes it out of what it measures.
 * Scenarios that measure minutes first run `$connect`, `$default` and `$disconnect` once, and offline
 * wait for `$disconnect` to finish, so no cold start falls inside what they measure. Against AWS this
 * is one short extra connection.
 */
export async function warmUp({ ws, trace }: Pick<ScenarioContext, 'ws' | 'trace'>): Promise<void> {
  const since = trace?.events().at(-1)?.seq ?? -1;
  const conn = await ws.connect(CHAT, { query: { name: 'warm-up' } });
  await keepAlive(conn);
  await conn.close();
  if (!trace) return;
  const gone = await trace.waitFor('ws.disconnect', (e) => e.seq > since);
  const disconnect = await trace.waitFor('lambda.invoke.start', (e) => e.seq > gone.seq);
  await trace.waitFor('lambda.invoke.end', (e) => e.requestId === disconnect.requestId);
}

/** Sends an unrouted action (a keep-alive the $default route answers) and waits for the answer. */
export async function keepAlive(conn: WsConnection): Promise<void> {
  const seen = conn.frames.length;
  conn.send({ action: 'keep-alive' });
  await conn.waitFor((f) => conn.frames.indexOf(f) >= seen && isUnknownAction(f), 'the answer to a keep-alive');
}
