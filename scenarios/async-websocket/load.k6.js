/* global __ENV, open */
// Load for a deployment of the async-websocket pattern (or the emulator):
//   ENDPOINTS="$PWD/endpoints.json" k6 run scenarios/async-websocket/load.k6.js
// (k6's open() resolves a relative path against this script's folder, not the shell's: pass it absolute.)
// Optional: API_NAME=chat  VUS=5  DURATION=1m  STREAM_TIMEOUT_MS=120000.
// Each VU opens a connection, sends one prompt, reads the streamed answer until its done frame, and
// records time to first token, inter-chunk latency and characters per second. Every stream calls a
// model: VUS x DURATION / (stream time) streams are billed. See README.md.
import ws from 'k6/ws';
import { check } from 'k6';
import exec from 'k6/execution';
import { Rate, Trend } from 'k6/metrics';
import { buildMessage, loadOptions, selectWebSocketUrl, streamFigures } from './load-logic.js';

if (!__ENV.ENDPOINTS) throw new Error('Failed to start: ENDPOINTS is not set. Run with ENDPOINTS=path/to/endpoints.json.');

// open() only works here, in k6's init context.
const url = selectWebSocketUrl(open(__ENV.ENDPOINTS), { name: __ENV.API_NAME, source: __ENV.ENDPOINTS });
const streamTimeoutMs = Number(__ENV.STREAM_TIMEOUT_MS ?? 120_000);

export const options = loadOptions(__ENV);

const ttft = new Trend('ws_ttft', true);
const interChunk = new Trend('ws_inter_chunk', true);
const charsPerSecond = new Trend('ws_chars_per_second');
const streamTime = new Trend('ws_stream_time', true);
const complete = new Rate('ws_stream_complete');
const timedOut = new Rate('ws_integration_timeout_frame');

export default function () {
  const frames = [];
  let sentAt = 0;
  const res = ws.connect(url, {}, (socket) => {
    socket.on('open', () => {
      sentAt = Date.now();
      socket.send(buildMessage(exec.scenario.iterationInTest));
    });
    socket.on('message', (text) => {
      frames.push({ text, at: Date.now() });
      if (text.includes('"type":"done"')) socket.close();
    });
    socket.setTimeout(() => socket.close(), streamTimeoutMs);
  });
  check(res, { 'handshake 101': (r) => r && r.status === 101 });

  const figures = streamFigures(sentAt, frames);
  complete.add(figures.complete);
  timedOut.add(figures.timedOut);
  if (figures.ttftMs !== undefined) ttft.add(figures.ttftMs);
  for (const gap of figures.interChunkMs) interChunk.add(gap);
  if (figures.charsPerSecond !== undefined) charsPerSecond.add(figures.charsPerSecond);
  if (figures.totalMs !== undefined) streamTime.add(figures.totalMs);
}
