import { realNow } from '../core/clock.ts';
import { ScenarioNetworkError } from './errors.ts';
import type { EmulatedTime } from './time.ts';

/** One read from the response body, as the client got it: a network chunk may hold several events. */
export interface StreamChunk {
  text: string;
  bytes: number;
  /** Emulated ms since the request was sent. */
  at: number;
  /** The real clock's reading on arrival (as the trace's `realAt`), to line a read up with the emulator's events. */
  realAt: number;
}

export interface StreamedResponse {
  url: string;
  status: number;
  headers: Headers;
  /** When the status line and headers arrived (emulated ms since sending). */
  headersAt: number;
  chunks: StreamChunk[];
  /** The whole body, decoded. */
  text(): string;
  /** Emulated ms from sending to the last byte. */
  emulatedMs: number;
  /** Set when the body ended abnormally (the server cut the connection): what the reader saw. */
  cut?: string;
}

export interface StreamRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  /** Stop reading (and close the connection) once this returns true for the body so far. */
  leaveWhen?: (received: StreamChunk[]) => boolean;
}

/**
 * Reads an HTTP response as it streams (function URLs in RESPONSE_STREAM mode, REST routes in STREAM
 * mode), stamping each body read with its arrival time in emulated milliseconds. That is the client's
 * side of a stream's timing: time to first token, gaps, where chunks were merged.
 */
export async function readStream(url: string, time: EmulatedTime, request: StreamRequest = {}, signal?: AbortSignal): Promise<StreamedResponse> {
  const start = realNow();
  const at = () => time.emulatedMs(start, realNow());
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  const leave = new AbortController();
  const abort = AbortSignal.any([leave.signal, ...(signal ? [signal] : [])]);
  let response: Response;
  try {
    response = await fetch(url, { method: request.method ?? 'POST', headers, body, signal: abort });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new ScenarioNetworkError(`Failed to ${request.method ?? 'POST'} ${url}: ${cause}. Check that the endpoint is up and the endpoints file points at it.`, { cause: error });
  }
  const headersAt = at();
  const chunks: StreamChunk[] = [];
  const decoder = new TextDecoder();
  let cut: string | undefined;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      const realAt = realNow();
      chunks.push({ text: decoder.decode(value, { stream: true }), bytes: value.byteLength, at: time.emulatedMs(start, realAt), realAt });
      if (request.leaveWhen?.(chunks)) {
        leave.abort();
        break;
      }
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (!leave.signal.aborted) cut = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
  }
  const emulatedMs = at();
  return { url, status: response.status, headers: response.headers, headersAt, chunks, text: () => chunks.map((c) => c.text).join(''), emulatedMs, ...(cut ? { cut } : {}) };
}

/** One event of a `text/event-stream` body with the time its last byte arrived. */
export interface TimedEvent {
  data: string;
  at: number;
  realAt: number;
}

/** Splits an SSE body into its `data:` events, each stamped with the arrival of the chunk that completed it. */
export function sseEvents(chunks: readonly StreamChunk[]): TimedEvent[] {
  const events: TimedEvent[] = [];
  let buffer = '';
  for (const chunk of chunks) {
    buffer += chunk.text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
      if (data) events.push({ data, at: chunk.at, realAt: chunk.realAt });
    }
  }
  return events;
}

/**
 * Token-timing figures as LLM benchmarking tools define them (README, "Token timing"), from the times
 * content arrived at the client and the number of output tokens:
 * - time to first token (TTFT): request sent -> first content received;
 * - inter-token latency (ITL): (last content - first content) / (tokens - 1), so the first token is excluded;
 * - output tokens per second: tokens / (request sent -> last content);
 * - gaps: the times between successive content arrivals (their median and max show stalls and batching).
 */
export interface TokenTiming {
  ttftMs: number;
  itlMs: number;
  tokensPerSecond: number;
  medianGapMs: number;
  maxGapMs: number;
  /** Content pieces the client could tell apart: fewer than the writes means chunks were merged on the way. */
  arrivals: number;
}

export function tokenTiming(contentAt: readonly number[], outputTokens: number): TokenTiming | undefined {
  if (contentAt.length === 0 || outputTokens <= 0) return undefined;
  const first = contentAt[0]!;
  const last = contentAt.at(-1)!;
  const gaps = contentAt.slice(1).map((t, i) => t - contentAt[i]!);
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    ttftMs: first,
    itlMs: outputTokens > 1 ? (last - first) / (outputTokens - 1) : 0,
    tokensPerSecond: last > 0 ? outputTokens / (last / 1000) : 0,
    medianGapMs: median(sorted),
    maxGapMs: sorted.length ? sorted.at(-1)! : 0,
    arrivals: contentAt.length,
  };
}

function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
