import { Agent, request } from 'node:http';
import { build, type Histogram } from 'hdr-histogram-js';
import WebSocket from 'ws';
import { openRealtime, startFrame, type AppSyncTarget } from './appsync-load.ts';
import { rawClient } from './bedrock-clients.ts';
import type { StreamTimer } from './bedrock-load.ts';

/**
 * The streaming bench's clients: each runs one chat answer and returns when, in this process, it
 * started and each text chunk arrived (a merged read gives several chunks the same time). A round is
 * N such streams at once, their starts spread over one model gap so they do not move in lockstep.
 */
export type Transport = 'function-url' | 'rest' | 'websocket' | 'appsync';

/** The Bedrock mock's schedule (servers/streaming.ts): fixed, no jitter, so every delay is the emulator's. */
export const SCHEDULE = { timeToFirstTokenMs: 200, tokensPerSecond: 50, tokensPerChunk: 1, outputTokens: 40 };
export const MODEL_GAP_MS = (SCHEDULE.tokensPerChunk * 1000) / SCHEDULE.tokensPerSecond;

export interface StreamTimes {
  started: number;
  chunks: number[];
}

/** One stream, the i-th of its round. */
export type Streamer = (i: number) => Promise<StreamTimes>;

export interface Transports {
  open(count: number): Promise<Streamer>;
  close(): Promise<void>;
}

export interface RoundFigures {
  /** Microseconds: request start -> first text chunk (TTFT), and between consecutive chunks of a stream (ITL). */
  ttft: Histogram;
  gap: Histogram;
  /** Chunk k's arrival - chunk 1's - (k - 1) model gaps, microseconds: how far a chunk falls behind the schedule. */
  drift: Histogram;
  streams: number;
  chunks: number;
  failed: number;
  firstError: string | undefined;
}

const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
const PROMPT = 'Write a short answer about streaming.';
/** A WebSocket or AppSync stream's end frame must come within this (generous: 100 streams saturate a 2-core machine). */
const STREAM_TIMEOUT_MS = 60_000;

export async function round(streamer: Streamer, count: number, spreadMs: number, modelGapMs: number): Promise<RoundFigures> {
  const figures: RoundFigures = { ttft: histogram(), gap: histogram(), drift: histogram(), streams: 0, chunks: 0, failed: 0, firstError: undefined };
  const one = async (i: number) => {
    await new Promise((r) => setTimeout(r, (i * spreadMs) / count));
    try {
      const { started, chunks } = await streamer(i);
      if (chunks.length === 0) throw new Error('the stream ended without a text chunk');
      figures.streams++;
      figures.chunks += chunks.length;
      figures.ttft.recordValue(Math.round((chunks[0]! - started) * 1000));
      for (let k = 1; k < chunks.length; k++) {
        figures.gap.recordValue(Math.round((chunks[k]! - chunks[k - 1]!) * 1000));
        figures.drift.recordValue(Math.max(0, Math.round((chunks[k]! - chunks[0]! - k * modelGapMs) * 1000)));
      }
    } catch (error) {
      figures.failed++;
      figures.firstError ??= `${(error as Error).name}: ${(error as Error).message}`.slice(0, 160);
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
  return figures;
}

/** The floor: the Bedrock mock's own ConverseStream over HTTP/1.1 (raw client, keep-alive pool, smithy's codec). */
export function bedrockDirect(bedrockUrl: string): Transports {
  const client = rawClient(bedrockUrl, true);
  return {
    open: () =>
      Promise.resolve(async () => {
        const times: StreamTimes = { started: performance.now(), chunks: [] };
        const timer = { delta: () => times.chunks.push(performance.now()), end: () => undefined };
        await client.converseStream(timer as unknown as StreamTimer);
        return times;
      }),
    close: () => Promise.resolve(client.close()),
  };
}

/** A function URL or a REST STREAM route: POST {prompt}, read the text/event-stream body as it comes. */
export function sse(url: string): Transports {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const body = JSON.stringify({ prompt: PROMPT });
  const stream: Streamer = () =>
    new Promise((resolve, reject) => {
      const times: StreamTimes = { started: performance.now(), chunks: [] };
      let pending = '';
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`HTTP ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          const now = performance.now();
          const events = (pending + text).split('\n\n');
          pending = events.pop()!;
          for (const event of events) if (event.startsWith('data: {"text"')) times.chunks.push(now);
        });
        res.on('end', () => resolve(times));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return { open: () => Promise.resolve(stream), close: () => Promise.resolve(agent.destroy()) };
}

function openSocket(url: string, protocols: string[] = []): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

/** Resolves with the stream's times at the frame `kind` calls the end; the frames it calls chunks are timed. */
function collect(socket: WebSocket, times: StreamTimes, kind: (frame: string) => 'chunk' | 'end' | 'other', timeoutMs: number): Promise<StreamTimes> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no end frame after ${timeoutMs} ms (${times.chunks.length} chunks)`)), timeoutMs);
    const onMessage = (data: Buffer) => {
      const k = kind(data.toString('utf8'));
      if (k === 'chunk') times.chunks.push(performance.now());
      if (k === 'end') finish();
    };
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      if (error) reject(error);
      else resolve(times);
    };
    socket.on('message', onMessage);
  });
}

/** The WebSocket chat: one socket per stream, opened before the rounds; sendmessage, then frames posted through @connections. */
export function websocket(url: string): Transports {
  let sockets: WebSocket[] = [];
  const body = JSON.stringify({ action: 'sendmessage', prompt: PROMPT });
  const kind = (frame: string) => (frame.startsWith('{"type":"chunk"') ? 'chunk' : frame.startsWith('{"type":"done"') || frame.startsWith('{"type":"error"') ? 'end' : 'other');
  return {
    async open(count) {
      sockets = await Promise.all(Array.from({ length: count }, () => openSocket(url)));
      return (i) => {
        const times: StreamTimes = { started: performance.now(), chunks: [] };
        const done = collect(sockets[i]!, times, kind, STREAM_TIMEOUT_MS);
        sockets[i]!.send(body);
        return done;
      };
    },
    close: () => Promise.resolve(sockets.forEach((s) => s.terminate())),
  };
}

const SUBSCRIPTION = 'subscription OnChunk($conversationId: ID!) { onChunk(conversationId: $conversationId) { seq text done } }';
const SEND = 'mutation Send($conversationId: ID!, $prompt: String!) { sendMessage(conversationId: $conversationId, prompt: $prompt) { conversationId status } }';

/** The AppSync chat: one real-time socket per stream subscribed to onChunk(c<i>) before the rounds; sendMessage starts the answer. */
export function appsync(target: AppSyncTarget): Transports {
  let sockets: WebSocket[] = [];
  const kind = (frame: string) => {
    if (!frame.startsWith('{"type":"data"')) return 'other';
    const chunk = (JSON.parse(frame) as { payload: { data: { onChunk: { text: string | null; done: boolean } } } }).payload.data.onChunk;
    return chunk.done ? 'end' : chunk.text ? 'chunk' : 'other';
  };
  return {
    async open(count) {
      sockets = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const reader = await openRealtime(target);
          reader.ws.send('{"type":"connection_init"}');
          const ack = await reader.next(10_000);
          if (ack?.type !== 'connection_ack') throw new Error(`connection_init answered ${JSON.stringify(ack)}`);
          reader.ws.send(startFrame('1', SUBSCRIPTION, { conversationId: `c${i}` }, target.apiKey));
          const started = await reader.next(10_000);
          if (started?.type !== 'start_ack') throw new Error(`start answered ${JSON.stringify(started)}`);
          return reader.ws;
        }),
      );
      return async (i) => {
        const times: StreamTimes = { started: performance.now(), chunks: [] };
        const done = collect(sockets[i]!, times, kind, STREAM_TIMEOUT_MS);
        done.catch(() => undefined); // awaited below, unless the mutation fails first
        const res = await fetch(target.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
          body: JSON.stringify({ query: SEND, variables: { conversationId: `c${i}`, prompt: PROMPT } }),
        });
        const answer = await res.text();
        if (res.status !== 200 || answer.includes('"errors"')) throw new Error(`sendMessage answered ${res.status} ${answer.slice(0, 120)}`);
        return done;
      };
    },
    close: () => Promise.resolve(sockets.forEach((s) => s.terminate())),
  };
}
