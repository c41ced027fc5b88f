import type { Trace } from '../../emulator/core/trace.ts';
import { defineScenario } from '../../emulator/harness/define.ts';
import type { Expectations } from '../../emulator/harness/expect.ts';
import { BODY, HTTP, PATTERN, REST } from './apis.ts';

// Ranges allow for AWS answering a little late (29.2 s is typical) and for network time to a real
// Region; the lower bounds are the limits themselves, which AWS never undercuts.

export const restIntegrationTimeout = defineScenario({
  name: 'rest-integration-timeout',
  pattern: PATTERN,
  description: 'REST API: a handler that needs 31 s gets 504 "Endpoint request timed out" at 29 s; the Lambda is not stopped.',
  tags: ['rest', 'timeout'],
  async run({ http, expect, step, mode, trace }) {
    const res = await step('GET /slow answers 504 after about 29 s', async () => {
      const r = await http.request({ api: REST, method: 'GET', path: '/slow' });
      expect.status(r, 504);
      expect.body(r, BODY.restTimeout);
      expect.header(r, 'x-amzn-errortype', 'InternalServerErrorException');
      expect.header(r, 'x-amzn-requestid');
      expect.emulatedSeconds(r, { min: 29, max: 31.5 });
      return r;
    });
    // Only the emulator can show what happened behind the gateway; against AWS this is CloudWatch's job.
    if (mode === 'offline' && trace) {
      await step('the Lambda ran on after the gateway answered', () => lambdaOutlivedGateway(trace, expect, res.headers.get('x-amzn-requestid')));
    }
  },
});

async function lambdaOutlivedGateway(trace: Trace, expect: Expectations, requestId: string | null): Promise<void> {
  const timeout = expect.defined(
    trace.events('gateway.integration-timeout').find((e) => e.requestId === requestId),
    `Expected a gateway.integration-timeout trace event for request ${requestId}, found none`,
  );
  const request = trace.events('http.request').find((e) => e.requestId === requestId);
  const invoke = expect.defined(
    trace
      .events('lambda.invoke.start')
      .filter((e) => e.functionName === timeout.functionName && e.seq < timeout.seq && (!request || e.seq > request.seq))
      .at(-1),
    `Expected a lambda.invoke.start of ${timeout.functionName} for request ${requestId}, found none`,
  );
  const end = await trace.waitFor('lambda.invoke.end', (e) => e.requestId === invoke.requestId);
  expect.equal(end.outcome, 'success', `the outcome of ${timeout.functionName} after the gateway gave up`);
  expect.ok(end.at > timeout.at, `Expected ${timeout.functionName} to finish after the gateway's 504, it finished ${timeout.at - end.at} ms (emulated) before`);
}

export const httpIntegrationTimeout = defineScenario({
  name: 'http-integration-timeout',
  pattern: PATTERN,
  description: 'HTTP API: a handler that needs 31 s gets 503 "Service Unavailable" at 30 s.',
  tags: ['http-api', 'timeout'],
  async run({ http, expect, step }) {
    await step('GET /slow answers 503 after about 30 s', async () => {
      const r = await http.request({ api: HTTP, method: 'GET', path: '/slow' });
      expect.status(r, 503);
      expect.body(r, BODY.httpUnavailable);
      expect.header(r, 'apigw-requestid');
      expect.emulatedSeconds(r, { min: 30, max: 32.5 });
    });
  },
});

export const lambdaTimeoutBeforeGateway = defineScenario({
  name: 'lambda-timeout-before-gateway',
  pattern: PATTERN,
  description: "A 5 s function timeout ends the handler first: REST answers 502, HTTP API 500, both after about 5 s, not the gateway's 29/30 s.",
  tags: ['rest', 'http-api', 'timeout'],
  async run({ http, expect, step }) {
    await step('REST: GET /short-timeout answers 502 after about 5 s', async () => {
      const r = await http.request({ api: REST, method: 'GET', path: '/short-timeout' });
      expect.status(r, 502);
      expect.body(r, BODY.restInternal);
      expect.header(r, 'x-amzn-errortype', 'InternalServerErrorException');
      expect.emulatedSeconds(r, { min: 5, max: 7.5 });
    });
    await step('HTTP API: GET /short-timeout answers 500 after about 5 s', async () => {
      const r = await http.request({ api: HTTP, method: 'GET', path: '/short-timeout' });
      expect.status(r, 500);
      expect.body(r, BODY.httpInternal);
      expect.emulatedSeconds(r, { min: 5, max: 7.5 });
    });
  },
});
