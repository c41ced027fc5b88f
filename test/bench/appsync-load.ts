import { once } from 'node:events';
import WebSocket from 'ws';

/**
 * The AppSync load generator's pieces: raw `graphql-ws` clients speaking AppSync's real-time protocol
 * (the handshake's `header` query parameter, connection_init, start with `extensions.authorization`),
 * and mutations over fetch's keep-alive pool. Both servers get the same frames; only the URLs differ
 * (the simulator serves the upgrade at /graphql, the emulator at /graphql/realtime, as AppSync does).
 */
export interface AppSyncTarget {
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
}

export const QUERY = 'query Echo($text: String!) { echo(text: $text) { text } }';
export const MUTATION = 'mutation Publish($conversationId: ID!, $seq: Int!, $text: String!) { publishChunk(conversationId: $conversationId, seq: $seq, text: $text) { conversationId seq text } }';
export const SUBSCRIPTION = 'subscription OnChunk($conversationId: ID) { onChunk(conversationId: $conversationId) { conversationId seq text } }';
export const TEXT = 'Hello there ';

const HOST = 'bench1234567890000000.appsync-api.us-east-1.amazonaws.com';

/** Milliseconds on a clock every process on this machine shares (performance.now alone is per process). */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export function startFrame(id: string, query: string, variables: Record<string, unknown>, apiKey: string): string {
  return JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: { 'x-api-key': apiKey, host: HOST } } } });
}

/** A real-time socket whose text frames are read one at a time, each with a deadline. */
export class FrameReader {
  private readonly frames: string[] = [];
  private waiting: (() => void) | undefined;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(data.toString('utf8'));
      this.waiting?.();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code: number) => resolve(code)));
    ws.on('error', () => undefined);
  }

  /** The next frame that is not a `ka`, or undefined after `timeoutMs`. */
  async next(timeoutMs: number): Promise<Record<string, unknown> | undefined> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const frame = this.frames.shift();
      if (frame !== undefined) {
        const parsed = JSON.parse(frame) as Record<string, unknown>;
        if (parsed.type !== 'ka') return parsed;
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = undefined;
    }
  }
}

/** Opens a real-time connection offering `graphql-ws`, the key in the `header` query parameter. */
export async function openRealtime(target: AppSyncTarget, apiKey = target.apiKey): Promise<FrameReader> {
  const header = Buffer.from(JSON.stringify({ host: HOST, 'x-api-key': apiKey })).toString('base64');
  const ws = new WebSocket(`${target.realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws'], { perMessageDeflate: false });
  const reader = new FrameReader(ws);
  const opened = once(ws, 'open');
  const failed = once(ws, 'unexpected-response').then(() => {
    throw new Error('upgrade refused');
  });
  await Promise.race([opened, failed]);
  return reader;
}

/** Opens, acks and subscribes to `onChunk(conversationId)`: a socket that will receive only data frames. */
export async function subscriber(target: AppSyncTarget, conversationId: string, timeoutMs = 10_000): Promise<FrameReader> {
  const reader = await openRealtime(target);
  reader.ws.send('{"type":"connection_init"}');
  const ack = await reader.next(timeoutMs);
  if (ack?.type !== 'connection_ack') throw new Error(`connection_init answered ${JSON.stringify(ack)}`);
  reader.ws.send(startFrame('1', SUBSCRIPTION, { conversationId }, target.apiKey));
  const started = await reader.next(timeoutMs);
  if (started?.type !== 'start_ack') throw new Error(`start answered ${JSON.stringify(started)}`);
  return reader;
}

export interface GraphQLAnswer {
  status: number;
  body: string;
}

/** POST /graphql with the key (fetch keeps the connection alive between calls). */
export async function graphql(target: AppSyncTarget, query: string, variables: Record<string, unknown>, apiKey = target.apiKey): Promise<GraphQLAnswer> {
  const res = await fetch(target.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.text() };
}

export const publish = (target: AppSyncTarget, conversationId: string, seq: number): Promise<GraphQLAnswer> => graphql(target, MUTATION, { conversationId, seq, text: TEXT });

/** Runs `task` for 0..items-1 with at most `concurrency` in flight. */
export async function pool(items: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items) }, async () => {
    while (next < items) await task(next++);
  }));
}
