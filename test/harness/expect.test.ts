import { describe, expect, it } from 'vitest';
import { ScenarioAssertionError } from '../../emulator/harness/errors.ts';
import { createExpectations, findMismatch } from '../../emulator/harness/expect.ts';
import type { ScenarioResponse } from '../../emulator/harness/http-client.ts';

function response(init: Partial<Omit<ScenarioResponse, 'headers'>> & { headers?: Record<string, string> } = {}): ScenarioResponse {
  const bodyText = init.bodyText ?? '{"message": "Endpoint request timed out"}';
  return {
    method: 'GET',
    url: 'https://abc.execute-api.us-east-1.amazonaws.com/dev/slow',
    status: init.status ?? 504,
    headers: new Headers(init.headers ?? { 'x-amzn-ErrorType': 'InternalServerErrorException' }),
    bodyText,
    json: () => JSON.parse(bodyText),
    realMs: init.realMs ?? 290,
    emulatedMs: init.emulatedMs ?? 29_000,
  };
}

function failure(fn: () => unknown): ScenarioAssertionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScenarioAssertionError) return error;
    throw error;
  }
  throw new Error('expected the assertion to fail');
}

const check = createExpectations(0.01);
const URL_ = 'GET https://abc.execute-api.us-east-1.amazonaws.com/dev/slow';

describe('scenario expectations', () => {
  it('status: passes on a match, else says expected, got and the body', () => {
    check.status(response(), 504);
    const e = failure(() => check.status(response({ status: 502, bodyText: '{"message": "Internal server error"}' }), 504));
    expect(e.message).toBe(`Expected status 504 from ${URL_}, got 502 with body "{\\"message\\": \\"Internal server error\\"}"`);
    expect([e.expected, e.actual]).toEqual([504, 502]);
  });

  it('body: exact text, so a missing space after the colon fails', () => {
    check.body(response(), '{"message": "Endpoint request timed out"}');
    const e = failure(() => check.body(response({ bodyText: '{"message":"Endpoint request timed out"}' }), '{"message": "Endpoint request timed out"}'));
    expect(e.expected).toBe('{"message": "Endpoint request timed out"}');
    expect(e.actual).toBe('{"message":"Endpoint request timed out"}');
  });

  it('body: long bodies are clipped in the message but kept whole in actual', () => {
    const long = 'x'.repeat(500);
    const e = failure(() => check.body(response({ bodyText: long }), 'short'));
    expect(e.message).toContain(`${'x'.repeat(200)}… (500 chars)`);
    expect(e.actual).toBe(long);
  });

  it('header: presence, exact value and RegExp, looked up case-insensitively', () => {
    check.header(response(), 'X-Amzn-ErrorType');
    check.header(response(), 'x-amzn-errortype', 'InternalServerErrorException');
    check.header(response(), 'x-amzn-errortype', /^Internal/);
    expect(failure(() => check.header(response({ headers: {} }), 'X-Amzn-RequestId')).message).toBe(`Expected header x-amzn-requestid from ${URL_}, it is absent`);
    const e = failure(() => check.header(response(), 'x-amzn-errortype', 'AccessDeniedException'));
    expect(e.message).toBe(`Expected header x-amzn-errortype to be "AccessDeniedException" from ${URL_}, got "InternalServerErrorException"`);
    expect(failure(() => check.header(response({ headers: {} }), 'a', /b/)).message).toBe(`Expected header a to be /b/ from ${URL_}, got (absent)`);
  });

  it('json: returns the parsed body and checks a subset', () => {
    const r = response({ bodyText: '{"reply":"hi","usage":{"tokens":3},"list":[1,2]}' });
    expect(check.json(r)).toEqual({ reply: 'hi', usage: { tokens: 3 }, list: [1, 2] });
    check.json(r, { usage: { tokens: 3 }, list: [1, 2] });
    const e = failure(() => check.json(r, { usage: { tokens: 4 } }));
    expect(e.message).toBe(`Expected the JSON body of ${URL_} to contain {"usage":{"tokens":4}}; $.usage.tokens is 3, not 4`);
  });

  it('json: a body that is not JSON fails with what it was', () => {
    const r = response({ bodyText: 'Internal Server Error' });
    r.json = () => {
      throw new ScenarioAssertionError('Expected a JSON body', 'JSON', 'Internal Server Error');
    };
    expect(failure(() => check.json(r)).actual).toBe('Internal Server Error');
  });

  it('emulatedSeconds: inclusive range, message shows real time and scale', () => {
    check.emulatedSeconds(response({ emulatedMs: 29_000 }), { min: 29, max: 31.5 });
    check.emulatedSeconds(response({ emulatedMs: 31_500 }), { min: 29, max: 31.5 });
    const e = failure(() => check.emulatedSeconds(response({ emulatedMs: 45_210, realMs: 452.1 }), { min: 29, max: 31.5 }));
    expect(e.message).toBe(`Expected ${URL_} to answer after 29–31.5 s emulated, got 45.21 s (452 ms real at time scale 0.01)`);
    expect([e.expected, e.actual]).toEqual([{ minSeconds: 29, maxSeconds: 31.5, slackSeconds: 0 }, 45.21]);
    const remote = failure(() => createExpectations(1).emulatedSeconds(response({ emulatedMs: 1000 }), { min: 29, max: 31.5 }));
    expect(remote.message).toBe(`Expected ${URL_} to answer after 29–31.5 s emulated, got 1.00 s`);
  });

  it('emulatedSeconds: real-time slack stretches the upper bound only, by slack / time scale', () => {
    const slack = createExpectations(0.01, 50);
    slack.emulatedSeconds(response({ emulatedMs: 36_500 }), { min: 29, max: 31.5 });
    const late = failure(() => slack.emulatedSeconds(response({ emulatedMs: 36_600, realMs: 366 }), { min: 29, max: 31.5 }));
    expect(late.message).toBe(`Expected ${URL_} to answer after 29–31.5 s emulated (+5.0 s for 50 ms of real-time jitter), got 36.60 s (366 ms real at time scale 0.01)`);
    expect(late.expected).toEqual({ minSeconds: 29, maxSeconds: 31.5, slackSeconds: 5 });
    failure(() => slack.emulatedSeconds(response({ emulatedMs: 28_990 }), { min: 29, max: 31.5 }));
  });

  it('elapsed: a duration the scenario measured, with the same inclusive range and slack', () => {
    const slack = createExpectations(0.001, 50);
    slack.elapsed('the idle close', 600_000, { min: 600, max: 630 });
    slack.elapsed('the idle close', 680_000, { min: 600, max: 630 });
    const early = failure(() => slack.elapsed('the idle close', 599_000, { min: 600, max: 630 }));
    expect(early.message).toBe('Expected the idle close after 600–630 s emulated (+50.0 s for 50 ms of real-time jitter), got 599.00 s');
    expect([early.expected, early.actual]).toEqual([{ minSeconds: 600, maxSeconds: 630, slackSeconds: 50 }, 599]);
  });

  it('equal, ok and defined', () => {
    check.equal('string', 'string', 'type');
    expect(failure(() => check.equal(typeof 1, 'string', 'the type of "reply"')).message).toBe('Expected the type of "reply" to be "string", got "number"');
    check.ok(true, 'never shown');
    expect(failure(() => check.ok(0, 'Expected at least one 429')).message).toBe('Expected at least one 429');
    expect(check.defined(0, 'x')).toBe(0);
    expect(failure(() => check.defined(undefined, 'Expected an event')).message).toBe('Expected an event');
  });
});

describe('findMismatch', () => {
  it.each([
    [{ a: 1, b: 2 }, { a: 1 }, undefined],
    [{ a: [1, { c: 2 }] }, { a: [1, { c: 2 }] }, undefined],
    [{ a: [1] }, { a: [1, 2] }, '$.a has 1 items, not 2'],
    [{ a: 1 }, { b: 1 }, '$.b is missing'],
    [[], {}, '$ is [], not an object'],
    [{ a: null }, { a: {} }, '$.a is null, not an object'],
    ['x', ['x'], '$ is "x", not an array'],
    [Number.NaN, Number.NaN, undefined],
  ])('%j against %j', (actual, expected, result) => {
    expect(findMismatch(actual, expected, '$')).toBe(result);
  });
});
