// The pure part of load.k6.js: endpoint selection, the message, and the LLM stream figures (time to
// first token, inter-chunk latency, chunks and characters per second) from the frames one stream
// received. No k6 imports, so vitest exercises it (test/harness/k6-websocket-load-logic.test.ts)
// without the k6 binary, against the emulator with a real WebSocket client. Plain JavaScript because
// k6 runs it as is; load-logic.d.ts carries the types.

export const PROMPTS = [
  'Where is my order NW-1037?',
  'Can I return used boots?',
  'Which sleeping bag for 0 °C?',
  'How do I size a harness?',
  'What does express delivery cost?',
];

/** The WebSocket URL of API `name` in the endpoints file that `genai-offline start` writes, or a deployment's. */
export function selectWebSocketUrl(text, { name = 'chat', source = 'endpoints file' } = {}) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Failed to parse ${source}: ${error.message}. Pass ENDPOINTS=path/to/endpoints.json.`);
  }
  const api = parsed?.websocketApis?.[name];
  const url = typeof api === 'string' ? api : api?.url;
  if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
    throw new Error(`Failed to select the WebSocket API: websocketApis.${name}.url is not a ws:// or wss:// URL in ${source}. Add it or set API_NAME.`);
  }
  return url;
}

/** What a client sends: the pattern's sendmessage action. */
export function buildMessage(iteration) {
  return JSON.stringify({ action: 'sendmessage', prompt: PROMPTS[iteration % PROMPTS.length] });
}

/**
 * One stream's figures, defined as LLM benchmarking tools define them: time to first token (TTFT) is
 * from sending the prompt to the first chunk; inter-chunk latency is between consecutive chunks, so
 * it excludes the first; the rate counts characters after the first chunk over the time since it.
 * `frames` are `{ text, at }` with `at` in ms on the same clock as `sentAt`.
 */
export function streamFigures(sentAt, frames) {
  const chunks = [];
  let done;
  let timedOut = false;
  for (const frame of frames) {
    let message;
    try {
      message = JSON.parse(frame.text);
    } catch {
      continue;
    }
    if (message.type === 'chunk' && typeof message.text === 'string') chunks.push({ at: frame.at, chars: message.text.length });
    else if (message.type === 'done') done = { at: frame.at, stopReason: message.stopReason, usage: message.usage };
    // API Gateway's 29 s frame: the handler runs on and keeps posting (the pattern's README).
    else if (message.message === 'Endpoint request timed out') timedOut = true;
  }
  const gaps = chunks.slice(1).map((c, i) => c.at - chunks[i].at);
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  const laterChars = chunks.slice(1).reduce((n, c) => n + c.chars, 0);
  return {
    complete: done !== undefined,
    timedOut,
    chunks: chunks.length,
    ttftMs: first === undefined ? undefined : first.at - sentAt,
    interChunkMs: gaps,
    charsPerSecond: first === undefined || last === first ? undefined : (laterChars * 1000) / (last.at - first.at),
    totalMs: done === undefined ? undefined : done.at - sentAt,
    outputTokens: done?.usage?.outputTokens,
  };
}

/** k6 options from environment variables, gentle by default: each stream calls a model. */
export function loadOptions(env = {}) {
  const vus = positive(env.VUS, 5, 'VUS');
  return {
    scenarios: { chat: { executor: 'constant-vus', vus, duration: env.DURATION ?? '1m' } },
    thresholds: {
      ws_stream_complete: ['rate>0.99'],
      // Under the 29 s integration limit the pattern does not need, but a user would notice.
      ws_ttft: ['p(95)<10000'],
    },
  };
}

function positive(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Failed to read ${name}: "${value}" is not a positive integer. Unset it for ${fallback}.`);
  return n;
}
