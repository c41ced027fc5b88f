import { describe, expect, it } from 'vitest';
import {
  buildChatRequest,
  CHAT_CHECKS,
  loadOptions,
  measure,
  parseEndpoints,
  pickTarget,
  PROMPTS,
  selectTargets,
} from '../../scenarios/sync-request-response/load-logic.js';

const ENDPOINTS = {
  restApis: { chat: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/' },
  httpApis: { chat: 'https://def456.execute-api.eu-west-1.amazonaws.com' },
};

const response = (status: number, body: string | null, duration = 120) => ({ status, body, timings: { duration } });

describe('k6 load logic (sync-request-response)', () => {
  it('parses the endpoints file and names it on bad JSON', () => {
    expect(parseEndpoints(JSON.stringify(ENDPOINTS))).toEqual(ENDPOINTS);
    expect(parseEndpoints('{}')).toEqual({ restApis: {}, httpApis: {} });
    expect(() => parseEndpoints('{', 'prod.json')).toThrow(/^Failed to parse prod\.json: .*\. Pass ENDPOINTS=path\/to\/endpoints\.json\.$/);
    expect(() => parseEndpoints('null')).toThrow('Failed to parse endpoints file: not a JSON object. See the scenario README.');
  });

  it('selects the chat URL of each requested API', () => {
    expect(selectTargets(ENDPOINTS)).toEqual([
      { label: 'rest', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/chat' },
      { label: 'http', url: 'https://def456.execute-api.eu-west-1.amazonaws.com/chat' },
    ]);
    expect(selectTargets(ENDPOINTS, { apis: ' http ' }).map((t) => t.label)).toEqual(['http']);
  });

  it('refuses APIs it does not know or cannot find, rather than load half', () => {
    expect(() => selectTargets(ENDPOINTS, { apis: 'rest,websocket' })).toThrow('Failed to select APIs: "websocket" is not rest or http. Set APIS=rest,http.');
    expect(() => selectTargets(ENDPOINTS, { name: 'orders' })).toThrow('Failed to select APIs: restApis.orders is not in the endpoints file. Add it or set APIS/API_NAME.');
    expect(() => selectTargets(ENDPOINTS, { apis: ',' })).toThrow('Failed to select APIs: APIS is empty. Set APIS=rest,http.');
  });

  it('alternates targets and cycles prompts by iteration', () => {
    const targets = selectTargets(ENDPOINTS);
    expect([0, 1, 2, 3].map((i) => pickTarget(targets, i).label)).toEqual(['rest', 'http', 'rest', 'http']);
    const first = buildChatRequest(0, 'rest');
    expect(JSON.parse(first.body)).toEqual({ prompt: PROMPTS[0] });
    expect(first.params).toEqual({ headers: { 'content-type': 'application/json' }, tags: { api: 'rest', name: 'POST /chat' } });
    expect(JSON.parse(buildChatRequest(PROMPTS.length, 'http').body)).toEqual({ prompt: PROMPTS[0] });
  });

  it('checks: 200 with a string reply passes, 429 is tolerated, 5xx and broken bodies fail', () => {
    const run = (r: ReturnType<typeof response>) => Object.fromEntries(Object.entries(CHAT_CHECKS).map(([name, fn]) => [name, fn(r)]));
    expect(run(response(200, '{"reply":"hi"}'))).toEqual({ 'status is 200 or 429': true, 'no 5xx': true, '200 has a string reply': true });
    expect(run(response(429, '{"message":"Too Many Requests"}'))).toEqual({ 'status is 200 or 429': true, 'no 5xx': true, '200 has a string reply': true });
    expect(run(response(504, '{"message": "Endpoint request timed out"}'))).toEqual({ 'status is 200 or 429': false, 'no 5xx': false, '200 has a string reply': true });
    expect(run(response(200, 'not json'))['200 has a string reply']).toBe(false);
    expect(run(response(200, null))['200 has a string reply']).toBe(false);
    expect(run(response(200, '{"reply":42}'))['200 has a string reply']).toBe(false);
  });

  it('measures duration, throttling and reply length', () => {
    expect(measure(response(200, '{"reply":"hello"}', 87))).toEqual({ durationMs: 87, throttled: false, replyChars: 5 });
    expect(measure(response(429, '{"message":"Too Many Requests"}', 3))).toEqual({ durationMs: 3, throttled: true, replyChars: undefined });
  });

  it('builds options from the environment, with thresholds only for the APIs under load', () => {
    expect(loadOptions({})).toEqual({
      scenarios: { chat: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '1m', preAllocatedVUs: 4, maxVUs: 50 } },
      thresholds: { checks: ['rate>0.99'], 'chat_duration{api:rest}': ['p(95)<29000'], 'chat_duration{api:http}': ['p(95)<30000'] },
    });
    const custom = loadOptions({ RATE: '40', MAX_VUS: '30', DURATION: '5m', APIS: 'http' });
    expect(custom.scenarios.chat).toMatchObject({ rate: 40, duration: '5m', preAllocatedVUs: 30, maxVUs: 30 });
    expect(Object.keys(custom.thresholds)).toEqual(['checks', 'chat_duration{api:http}']);
    expect(() => loadOptions({ RATE: '1.5' })).toThrow('Failed to read RATE: "1.5" is not a positive integer. Unset it for 2.');
  });
});
