import { defineScenario } from '../../emulator/harness/define.ts';
import type { ApiRef, HttpClient } from '../../emulator/harness/http-client.ts';
import { BODY, HTTP, PATTERN, PROMPT, REST } from './apis.ts';

export const malformedResponse = defineScenario({
  name: 'malformed-response',
  pattern: PATTERN,
  description: 'REST API: a proxy response whose body is an object, not a string, becomes 502 "Internal server error".',
  tags: ['rest', 'errors'],
  async run({ http, expect, step }) {
    await step('GET /malformed answers 502', async () => {
      const r = await http.request({ api: REST, method: 'GET', path: '/malformed' });
      expect.status(r, 502);
      expect.body(r, BODY.restInternal);
      expect.header(r, 'x-amzn-errortype', 'InternalServerErrorException');
    });
  },
});

/**
 * Sent at once, not one after another: the route allows 1 request per second with a burst of 1, and
 * at a time scale of 0.01 a second is 10 ms, so sequential requests would find the bucket refilled.
 */
const BURST = 3;

export const throttling = defineScenario({
  name: 'throttling',
  pattern: PATTERN,
  description: `A route throttled to 1 request/s (burst 1) answers some of ${BURST} simultaneous requests with 429 "Too Many Requests".`,
  tags: ['rest', 'http-api', 'throttling'],
  async run({ http, expect, step }) {
    for (const [label, api] of [['REST', REST], ['HTTP API', HTTP]] as const) {
      await step(`${label}: ${BURST} requests to POST /limited get at least one 429`, async () => {
        const responses = await burst(http, api);
        const throttled = responses.filter((r) => r.status === 429);
        for (const r of responses) {
          if (r.status !== 429) expect.status(r, 200);
        }
        expect.ok(throttled.length > 0, `Expected at least one 429 among ${BURST} simultaneous requests, got statuses ${responses.map((r) => r.status).join(', ')}`);
        for (const r of throttled) expect.body(r, BODY.tooManyRequests);
      });
    }
  },
});

async function burst(http: HttpClient, api: ApiRef) {
  const times = <T>(fn: () => Promise<T>) => Promise.all(Array.from({ length: BURST }, fn));
  // Open BURST keep-alive connections first (GET has no route here, so the gateway answers 403/404
  // without a Lambda): the burst then goes out on warm sockets and arrives within a millisecond or
  // two, instead of spreading over TCP handshakes long enough for the bucket to refill.
  await times(() => http.request({ api, method: 'GET', path: '/limited' }));
  return times(() => http.request({ api, method: 'POST', path: '/limited', body: PROMPT }));
}

export const authorizerDeny = defineScenario({
  name: 'authorizer-deny',
  pattern: PATTERN,
  description: 'Lambda authorizers: REST answers 403 explicit deny and 401 Unauthorized; HTTP API (simple responses) answers 403 Forbidden.',
  tags: ['rest', 'http-api', 'authorizer'],
  async run({ http, expect, step }) {
    const post = (api: ApiRef, authorization?: string) =>
      http.request({ api, method: 'POST', path: '/private', body: PROMPT, headers: authorization === undefined ? {} : { authorization } });

    // The allowed case first, so the denials below are known to come from the policy, not a broken route.
    await step('REST: "allow" reaches the function', async () => expect.status(await post(REST, 'allow'), 200));
    await step('REST: "deny" gets 403 explicit deny', async () => {
      const r = await post(REST, 'deny');
      expect.status(r, 403);
      expect.body(r, BODY.restExplicitDeny);
      expect.header(r, 'x-amzn-errortype', 'AccessDeniedException');
    });
    await step('REST: no token gets 401 without calling the authorizer', async () => {
      const r = await post(REST);
      expect.status(r, 401);
      expect.body(r, BODY.unauthorized);
      expect.header(r, 'x-amzn-errortype', 'UnauthorizedException');
    });
    await step('REST: a token the authorizer rejects gets 401', async () => {
      const r = await post(REST, 'let-me-in');
      expect.status(r, 401);
      expect.body(r, BODY.unauthorized);
    });
    await step('HTTP API: "allow" reaches the function', async () => expect.status(await post(HTTP, 'allow'), 200));
    await step('HTTP API: "deny" gets 403 Forbidden', async () => {
      const r = await post(HTTP, 'deny');
      expect.status(r, 403);
      expect.body(r, BODY.forbidden);
    });
  },
});
