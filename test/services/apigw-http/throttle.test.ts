import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../../emulator/core/http.ts';
import { httpApiOptionsSchema } from '../../../emulator/services/apigw-http/options.ts';
import { createHttpApi } from '../../../emulator/services/apigw-http/router.ts';
import { makeApi, NO_ISSUER } from './support.ts';

const ok = () => 'ok';

async function statuses(send: () => Promise<{ status: number }>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
}

describe('HTTP API throttling', () => {
  it('HTTP API: a route bucket refills at its rate on the emulated clock', async () => {
    const t = makeApi({ routes: { 'GET /x': { function: 'fn', throttle: { rateLimit: 2, burstLimit: 3 } } } }, { fn: ok });
    expect(await statuses(() => t.send({ path: '/x' }), 4)).toEqual([200, 200, 200, 429]);
    await t.clock.advance(500);
    expect(await statuses(() => t.send({ path: '/x' }), 2)).toEqual([200, 429]);
    expect(t.trace.events('limit.hit')).toHaveLength(2);
    expect(t.trace.events('limit.hit')[0]).toMatchObject({ limit: 'apigw.route.throttle', api: 'chat', detail: 'route "GET /x"' });
  });

  it('HTTP API: stage default route throttling gives each route its own bucket', async () => {
    const t = makeApi({ throttle: { rateLimit: 1, burstLimit: 1 }, routes: { 'GET /a': 'fn', 'GET /b': 'fn' } }, { fn: ok });
    expect(await statuses(() => t.send({ path: '/a' }), 2)).toEqual([200, 429]);
    expect(await statuses(() => t.send({ path: '/b' }), 2)).toEqual([200, 429]);
  });

  it('HTTP API: a route override beats the stage default', async () => {
    const t = makeApi({ throttle: { rateLimit: 1, burstLimit: 1 }, routes: { 'GET /a': { function: 'fn', throttle: { rateLimit: 10, burstLimit: 3 } } } }, { fn: ok });
    expect(await statuses(() => t.send({ path: '/a' }), 4)).toEqual([200, 200, 200, 429]);
  });

  it('HTTP API: a zero limit throttles every request', async () => {
    const t = makeApi({ routes: { 'GET /a': { function: 'fn', throttle: { rateLimit: 0, burstLimit: 0 } } } }, { fn: ok });
    expect(await statuses(() => t.send({ path: '/a' }), 2)).toEqual([429, 429]);
    expect(t.lambda.calls).toHaveLength(0);
  });

  it('HTTP API: the account bucket is shared by every API of the emulator', async () => {
    const t = makeApi({ routes: { 'GET /a': 'fn' } }, { fn: ok }, { limits: { accountThrottleRate: 1, accountThrottleBurst: 2 } });
    const other = createHttpApi('other', httpApiOptionsSchema.parse({ routes: { 'GET /b': 'fn' } }), t.deps, { baseDir: '.', issuer: NO_ISSUER });
    expect((await t.send({ path: '/a' })).status).toBe(200);
    expect((await other.handle(buildRequest({ path: '/b' }))).status).toBe(200);
    expect((await t.send({ path: '/a' })).status).toBe(429);
    expect(t.trace.events('limit.hit')[0]).toMatchObject({ limit: 'apigw.account.throttle', api: 'chat' });
    await t.clock.advance(1_000);
    expect((await other.handle(buildRequest({ path: '/b' }))).status).toBe(200);
  });

  it('HTTP API: a request the route refuses takes no account token', async () => {
    const t = makeApi({ routes: { 'GET /a': { function: 'fn', throttle: { rateLimit: 0, burstLimit: 0 } }, 'GET /b': 'fn' } }, { fn: ok }, { limits: { accountThrottleRate: 0, accountThrottleBurst: 1 } });
    expect((await t.send({ path: '/a' })).status).toBe(429);
    expect((await t.send({ path: '/b' })).status).toBe(200);
  });
});
