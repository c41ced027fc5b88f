/* global __ENV, open */
// Load for a real deployment of the sync-request-response pattern:
//   ENDPOINTS="$PWD/endpoints.json" k6 run scenarios/sync-request-response/load.k6.js
// (k6's open() resolves a relative path against this script's folder, not the shell's: pass it absolute.)
// Optional: APIS=rest,http  API_NAME=chat  RATE=2 (requests/s)  DURATION=1m  MAX_VUS=50.
// Each request may call a model: RATE x DURATION requests are billed. See README.md.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { buildChatRequest, CHAT_CHECKS, loadOptions, measure, parseEndpoints, pickTarget, selectTargets } from './load-logic.js';

if (!__ENV.ENDPOINTS) throw new Error('Failed to start: ENDPOINTS is not set. Run with ENDPOINTS=path/to/endpoints.json.');

// open() only works here, in k6's init context.
const targets = selectTargets(parseEndpoints(open(__ENV.ENDPOINTS), __ENV.ENDPOINTS), { apis: __ENV.APIS, name: __ENV.API_NAME });

export const options = loadOptions(__ENV);

const chatDuration = new Trend('chat_duration', true);
const replyChars = new Trend('chat_reply_chars');
const throttled = new Rate('chat_throttled');
const requests = new Counter('chat_requests');

export default function () {
  // Unique across all VUs, so the APIs alternate evenly whatever the VU count.
  const iteration = exec.scenario.iterationInTest;
  const target = pickTarget(targets, iteration);
  const { body, params } = buildChatRequest(iteration, target.label);
  const response = http.post(target.url, body, params);
  check(response, CHAT_CHECKS, { api: target.label });

  const m = measure(response);
  const tags = { api: target.label };
  requests.add(1, tags);
  chatDuration.add(m.durationMs, tags);
  throttled.add(m.throttled, tags);
  if (m.replyChars !== undefined) replyChars.add(m.replyChars, tags);
}
