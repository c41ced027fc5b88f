// The pure part of load.k6.js: payloads, endpoint selection, checks and options. No k6 imports, so
// vitest exercises it (test/harness/k6-load-logic.test.ts) without the k6 binary. Plain JavaScript
// because k6 runs it as is; load-logic.d.ts carries the types for TypeScript callers.

export const PROMPTS = [
  'Say hello in five words.',
  'Summarise the water cycle in one sentence.',
  'Name three prime numbers.',
  'Translate "good morning" into French.',
  'What is 17 times 3?',
];

const KIND = { rest: 'restApis', http: 'httpApis' };

/** Parses the endpoints file text; the same shape `genai-offline start --endpoints-file` writes. */
export function parseEndpoints(text, source = 'endpoints file') {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`Failed to parse ${source}: ${error.message}. Pass ENDPOINTS=path/to/endpoints.json.`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`Failed to parse ${source}: not a JSON object. See the scenario README.`);
  return { restApis: parsed.restApis ?? {}, httpApis: parsed.httpApis ?? {} };
}

/**
 * The URLs to load: `apis` is a comma list of `rest` and `http`, `name` the API name in the file
 * (`chat` for the example app). Every requested API must be present: a silent half-run misleads.
 */
export function selectTargets(endpoints, { apis = 'rest,http', name = 'chat', path = '/chat' } = {}) {
  const targets = [];
  for (const label of apis.split(',').map((a) => a.trim()).filter(Boolean)) {
    const kind = KIND[label];
    if (!kind) throw new Error(`Failed to select APIs: "${label}" is not rest or http. Set APIS=rest,http.`);
    const base = endpoints[kind][name];
    if (!base) throw new Error(`Failed to select APIs: ${kind}.${name} is not in the endpoints file. Add it or set APIS/API_NAME.`);
    targets.push({ label, url: `${base.replace(/\/+$/, '')}${path}` });
  }
  if (targets.length === 0) throw new Error('Failed to select APIs: APIS is empty. Set APIS=rest,http.');
  return targets;
}

/** Round robin, so each API gets the same share whatever the VU count. */
export function pickTarget(targets, iteration) {
  return targets[iteration % targets.length];
}

export function buildChatRequest(iteration, label) {
  return {
    body: JSON.stringify({ prompt: PROMPTS[iteration % PROMPTS.length] }),
    params: { headers: { 'content-type': 'application/json' }, tags: { api: label, name: 'POST /chat' } },
  };
}

function replyOf(response) {
  try {
    const reply = JSON.parse(response.body).reply;
    return typeof reply === 'string' ? reply : undefined;
  } catch {
    return undefined;
  }
}

/** For k6's `check(res, CHAT_CHECKS)`. A 429 is the gateway protecting itself, not a wrong answer. */
export const CHAT_CHECKS = {
  'status is 200 or 429': (r) => r.status === 200 || r.status === 429,
  'no 5xx': (r) => r.status < 500,
  '200 has a string reply': (r) => r.status !== 200 || replyOf(r) !== undefined,
};

/** What the custom metrics record for one response. */
export function measure(response) {
  const reply = response.status === 200 ? replyOf(response) : undefined;
  return { durationMs: response.timings.duration, throttled: response.status === 429, replyChars: reply === undefined ? undefined : reply.length };
}

/** k6 options from environment variables, with defaults gentle enough for a first run. */
export function loadOptions(env = {}) {
  const rate = positive(env.RATE, 2, 'RATE');
  const maxVUs = positive(env.MAX_VUS, 50, 'MAX_VUS');
  return {
    scenarios: {
      chat: { executor: 'constant-arrival-rate', rate, timeUnit: '1s', duration: env.DURATION ?? '1m', preAllocatedVUs: Math.min(maxVUs, rate * 2), maxVUs },
    },
    thresholds: { checks: ['rate>0.99'], ...durationThresholds(env.APIS ?? 'rest,http') },
  };
}

/** p95 under each gateway's integration limit, or clients were close to 504/503. Selected APIs only. */
function durationThresholds(apis) {
  const limits = { rest: 29_000, http: 30_000 };
  const out = {};
  for (const label of apis.split(',').map((a) => a.trim())) {
    if (limits[label]) out[`chat_duration{api:${label}}`] = [`p(95)<${limits[label]}`];
  }
  return out;
}

function positive(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Failed to read ${name}: "${value}" is not a positive integer. Unset it for ${fallback}.`);
  return n;
}
