import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../emulator/services/apigw-common/token-bucket.ts';
import { setup } from './support.ts';

/** Throttling levels (reference §1.1, §2.8), token buckets on the emulated clock. */

const ok = () => ({ statusCode: 200, body: 'ok' });
const KEY_A = 'a'.repeat(20);
const KEY_B = 'b'.repeat(20);

async function statuses(send: () => Promise<{ status: number }>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
}

describe('REST throttling', () => {
  it('REST: the stage default throttle allows the burst, then 429, and refills at the rate', async () => {
    const h = setup({ throttle: { rateLimit: 2, burstLimit: 3 }, routes: { 'GET /x': 'x' } }, { x: ok });
    const send = () => h.send({ path: '/dev/x' });
    expect(await statuses(send, 4)).toEqual([200, 200, 200, 429]);
    await h.clock.advance(500); // 2 per second: one token back
    expect(await statuses(send, 2)).toEqual([200, 429]);
    expect(h.lambda.countOf('x')).toBe(4);
    const hits = h.trace.events('limit.hit');
    expect(hits.map((e) => e.limit)).toEqual(['apigw.method.throttle', 'apigw.method.throttle']);
    expect(hits[0]!.detail).toBe('stage "dev" method GET /x: rate 2/s, burst 3');
  });

  it('REST: the stage default applies per method, each with its own bucket', async () => {
    const h = setup({ throttle: { rateLimit: 1, burstLimit: 1 }, routes: { 'GET /a': 'x', 'GET /b': 'x' } }, { x: ok });
    expect((await h.send({ path: '/dev/a' })).status).toBe(200);
    expect((await h.send({ path: '/dev/b' })).status).toBe(200);
    expect((await h.send({ path: '/dev/a' })).status).toBe(429);
  });

  it('REST: a route throttle overrides the stage default for that method', async () => {
    const h = setup({ throttle: { rateLimit: 100, burstLimit: 100 }, routes: { 'GET /tight': { function: 'x', throttle: { rateLimit: 1, burstLimit: 1 } }, 'GET /loose': 'x' } }, { x: ok });
    expect(await statuses(() => h.send({ path: '/dev/tight' }), 2)).toEqual([200, 429]);
    expect(await statuses(() => h.send({ path: '/dev/loose' }), 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('REST: a zero-rate route throttles every request', async () => {
    const h = setup({ routes: { 'GET /off': { function: 'x', throttle: { rateLimit: 0, burstLimit: 0 } } } }, { x: ok });
    expect((await h.send({ path: '/dev/off' })).status).toBe(429);
  });

  it('REST: the account-level bucket throttles across routes with no stage limits', async () => {
    const h = setup({ routes: { 'GET /a': 'x', 'GET /b': 'x' } }, { x: ok }, { limits: { accountThrottleRate: 1, accountThrottleBurst: 2 } });
    expect((await h.send({ path: '/dev/a' })).status).toBe(200);
    expect((await h.send({ path: '/dev/b' })).status).toBe(200);
    expect((await h.send({ path: '/dev/a' })).status).toBe(429);
    expect(h.trace.events('limit.hit').map((e) => e.limit)).toEqual(['apigw.account.throttle']);
  });

  it('REST: the account-level bucket is shared by every API of the emulator', async () => {
    const limits = { accountThrottleRate: 1, accountThrottleBurst: 2 };
    const one = setup({ routes: { 'GET /x': 'x' } }, { x: ok }, { limits });
    const two = setup({ routes: { 'GET /x': 'x' } }, { x: ok }, { limits, name: 'other', share: one });
    expect((await one.send({ path: '/dev/x' })).status).toBe(200);
    expect((await two.send({ path: '/dev/x' })).status).toBe(200);
    expect((await one.send({ path: '/dev/x' })).status).toBe(429);
    expect((await two.send({ path: '/dev/x' })).status).toBe(429);
  });

  it('REST: an explicit account bucket can be passed in', async () => {
    const h0 = setup({ routes: {} });
    const bucket = new TokenBucket(h0.clock, 0, 1);
    const h = setup({ routes: { 'GET /x': 'x' } }, { x: ok }, { hooks: { accountBucket: bucket }, share: h0 });
    expect((await h.send({ path: '/dev/x' })).status).toBe(200);
    expect((await h.send({ path: '/dev/x' })).status).toBe(429);
  });

  it('REST: a request refused by the method limit takes no account token (narrowest first)', async () => {
    const h = setup(
      { routes: { 'GET /tight': { function: 'x', throttle: { rateLimit: 0, burstLimit: 0 } }, 'GET /free': 'x' } },
      { x: ok },
      { limits: { accountThrottleRate: 0, accountThrottleBurst: 1 } },
    );
    expect((await h.send({ path: '/dev/tight' })).status).toBe(429);
    expect((await h.send({ path: '/dev/free' })).status).toBe(200);
  });

  it('REST: a usage plan throttles each API key separately', async () => {
    const h = setup(
      {
        apiKeys: { a: { value: KEY_A }, b: { value: KEY_B } },
        usagePlans: { basic: { apiKeys: ['a', 'b'], throttle: { rateLimit: 1, burstLimit: 1 } } },
        routes: { 'GET /x': { function: 'x', apiKeyRequired: true } },
      },
      { x: ok },
    );
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } })).status).toBe(200);
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } })).status).toBe(429);
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_B } })).status).toBe(200);
    const hit = h.trace.events('limit.hit')[0]!;
    expect(hit).toMatchObject({ limit: 'apigw.usage-plan.throttle', api: 'shop', detail: 'usage plan "basic" key "a": rate 1/s, burst 1' });
  });

  it('REST: the usage-plan limit is checked before the method limit', async () => {
    const h = setup(
      {
        throttle: { rateLimit: 0, burstLimit: 1 },
        apiKeys: { a: { value: KEY_A } },
        usagePlans: { p: { apiKeys: ['a'], throttle: { rateLimit: 0, burstLimit: 0 } } },
        routes: { 'GET /x': { function: 'x', apiKeyRequired: true }, 'GET /open': 'x' },
      },
      { x: ok },
    );
    expect((await h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } })).status).toBe(429);
    expect(h.trace.events('limit.hit')[0]!.limit).toBe('apigw.usage-plan.throttle');
  });

  it('REST: a usage-plan quota allows `limit` requests per day, then 429 Limit Exceeded until the next UTC day', async () => {
    const h = setup(
      { apiKeys: { a: { value: KEY_A } }, usagePlans: { p: { apiKeys: ['a'], quota: { limit: 2, period: 'DAY' } } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } },
      { x: ok },
    );
    const send = () => h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } });
    expect(await statuses(send, 3)).toEqual([200, 200, 429]);
    expect(h.trace.events('limit.hit')[0]).toMatchObject({ limit: 'apigw.usage-plan.quota', detail: 'usage plan "p" key "a": 2 requests per DAY' });
    await h.clock.advance(86_399_000);
    expect((await send()).status).toBe(429);
    await h.clock.advance(1_000); // midnight UTC
    expect((await send()).status).toBe(200);
  });

  it('REST: a weekly quota resets on Monday 00:00 UTC', async () => {
    // The manual clock starts on Thursday 2026-01-01.
    const h = setup(
      { apiKeys: { a: { value: KEY_A } }, usagePlans: { p: { apiKeys: ['a'], quota: { limit: 1, period: 'WEEK' } } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } },
      { x: ok },
    );
    const send = () => h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } });
    expect(await statuses(send, 2)).toEqual([200, 429]);
    await h.clock.advance(3 * 86_400_000); // Sunday
    expect((await send()).status).toBe(429);
    await h.clock.advance(86_400_000); // Monday
    expect((await send()).status).toBe(200);
  });

  it('REST: a monthly quota resets on the 1st', async () => {
    const h = setup(
      { apiKeys: { a: { value: KEY_A } }, usagePlans: { p: { apiKeys: ['a'], quota: { limit: 1, period: 'MONTH' } } }, routes: { 'GET /x': { function: 'x', apiKeyRequired: true } } },
      { x: ok },
    );
    const send = () => h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } });
    expect(await statuses(send, 2)).toEqual([200, 429]);
    await h.clock.advance(30 * 86_400_000); // Jan 31
    expect((await send()).status).toBe(429);
    await h.clock.advance(86_400_000); // Feb 1
    expect((await send()).status).toBe(200);
  });

  it('REST: a throttled request does not count against the quota', async () => {
    const h = setup(
      {
        apiKeys: { a: { value: KEY_A } },
        usagePlans: { p: { apiKeys: ['a'], throttle: { rateLimit: 1, burstLimit: 1 }, quota: { limit: 2, period: 'DAY' } } },
        routes: { 'GET /x': { function: 'x', apiKeyRequired: true } },
      },
      { x: ok },
    );
    const send = () => h.send({ path: '/dev/x', headers: { 'x-api-key': KEY_A } });
    expect(await statuses(send, 3)).toEqual([200, 429, 429]);
    await h.clock.advance(1_000);
    expect((await send()).status).toBe(200);
    await h.clock.advance(1_000);
    expect((await send()).status).toBe(429);
    expect(h.trace.events('limit.hit').map((e) => e.limit)).toEqual(['apigw.usage-plan.throttle', 'apigw.usage-plan.throttle', 'apigw.usage-plan.quota']);
  });
});
