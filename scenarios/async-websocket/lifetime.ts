import { defineScenario, type ScenarioContext } from '../../emulator/harness/define.ts';
import type { WsClose, WsConnection } from '../../emulator/harness/ws-client.ts';
import { CHAT, GOING_AWAY, keepAlive, KEEP_ALIVE_MS, LIMIT, PATTERN, pause, warmUp } from './apis.ts';

/**
 * API Gateway's two fixed limits on a connection's life: 10 minutes without a message, and 2 hours in
 * all. Both close with 1001 "Going away". Offline these take minutes of emulated time, so the pattern
 * runs them at time scale 0.001 (README.md); against AWS they take as long as they say.
 */

// Offline the close may be read a little late (the runner's real-time slack); AWS is not exact either.
const LATE_S = 30;

function expectGoingAway(expect: ScenarioContext['expect'], close: WsClose): void {
  expect.equal(close.code, GOING_AWAY.code, 'the close code');
  expect.equal(close.reason, GOING_AWAY.reason, 'the close reason');
}

/** Waits until `conn` is `emulatedMs` old, or until it closes, whichever is first; true if still open. */
async function openUntil(ctx: ScenarioContext, conn: WsConnection, emulatedMs: number): Promise<boolean> {
  await Promise.race([pause(ctx, emulatedMs - conn.now()), conn.closed()]);
  return conn.closeInfo === undefined;
}

export const websocketIdleTimeout = defineScenario({
  name: 'websocket-idle-timeout',
  // Waits out a 10-minute or 2-hour limit: 0.001 makes that 0.6-7.2 s real (one emulator for the three).
  offlineTimeScale: 0.001,
  pattern: PATTERN,
  description: 'A connection with no messages is closed with 1001 "Going away" after 10 minutes; protocol pings do not keep it open.',
  tags: ['websocket', 'limits', 'lifetime'],
  budgetSeconds: 15 * 60,
  async run(ctx) {
    const { ws, expect, step } = ctx;
    await step('warm the functions', () => warmUp(ctx));
    const conn = await ws.connect(CHAT);
    const close = await step('ping every 2 minutes; closed at 10 minutes', async () => {
      while (await openUntil(ctx, conn, conn.now() + 2 * 60_000)) conn.ping();
      return conn.closed();
    });
    await step('1001 "Going away" after 10 minutes idle', async () => {
      expectGoingAway(expect, close);
      // Idle counts from when the gateway accepted the connection, a network hop before the client saw it open.
      const hopS = ctx.mode === 'offline' ? 0.005 / ctx.timeScale : 1;
      expect.elapsed('the idle close', close.at - conn.openedAt, { min: LIMIT.idleMs / 1000 - hopS, max: LIMIT.idleMs / 1000 + LATE_S });
    });
  },
});

export const websocketKeepAlive = defineScenario({
  name: 'websocket-keep-alive',
  // Waits out a 10-minute or 2-hour limit: 0.001 makes that 0.6-7.2 s real (one emulator for the three).
  offlineTimeScale: 0.001,
  pattern: PATTERN,
  description: 'A message every 9 minutes keeps a connection open past 10 minutes; once they stop, it closes 10 minutes after the last one.',
  tags: ['websocket', 'limits', 'lifetime'],
  budgetSeconds: 40 * 60,
  async run(ctx) {
    const { ws, expect, step } = ctx;
    await step('warm the functions', () => warmUp(ctx));
    const conn = await ws.connect(CHAT);
    let lastSent = 0;
    await step('a keep-alive at 9 and 18 minutes: still open at 20 minutes', async () => {
      for (const at of [KEEP_ALIVE_MS, 2 * KEEP_ALIVE_MS]) {
        expect.ok(await openUntil(ctx, conn, conn.openedAt + at), `Expected the connection open at ${at / 60_000} minutes, it closed: ${JSON.stringify(conn.closeInfo)}`);
        lastSent = conn.now();
        await keepAlive(conn);
      }
      expect.ok(await openUntil(ctx, conn, conn.openedAt + 20 * 60_000), `Expected the connection open at 20 minutes, it closed: ${JSON.stringify(conn.closeInfo)}`);
    });
    await step('no more messages: 1001 "Going away" 10 minutes after the last one', async () => {
      const close = await conn.closed();
      expectGoingAway(expect, close);
      expect.elapsed('the idle close after the last keep-alive', close.at - lastSent, { min: LIMIT.idleMs / 1000, max: LIMIT.idleMs / 1000 + LATE_S });
    });
  },
});

export const websocketMaxDuration = defineScenario({
  name: 'websocket-max-duration',
  // Waits out a 10-minute or 2-hour limit: 0.001 makes that 0.6-7.2 s real (one emulator for the three).
  offlineTimeScale: 0.001,
  pattern: PATTERN,
  description: 'Kept alive every 9 minutes, a connection is still closed with 1001 "Going away" at 2 hours; the client reconnects and carries on.',
  tags: ['websocket', 'limits', 'lifetime'],
  budgetSeconds: 130 * 60,
  async run(ctx) {
    const { ws, expect, step } = ctx;
    await step('warm the functions', () => warmUp(ctx));
    const conn = await ws.connect(CHAT);
    const close = await step('a keep-alive every 9 minutes until the connection closes', async () => {
      for (let n = 1; await openUntil(ctx, conn, conn.openedAt + n * KEEP_ALIVE_MS); n++) await keepAlive(conn);
      return conn.closed();
    });
    await step('1001 "Going away" at 2 hours', async () => {
      expectGoingAway(expect, close);
      // The 2 hours start when the gateway accepts the connection, a network hop before the client sees
      // it open: allow that hop (5 ms real; a whole emulated second per real ms at 0.001) below the limit.
      // Over 2 hours the keep-alives' function may be started afresh, and the client's clock leaves out
      // such cold starts (time.ts) while the connection's does not: allow 25 ms real more for those.
      const hopS = ctx.mode === 'offline' ? 0.03 / ctx.timeScale : 1;
      expect.elapsed('the 2-hour close', close.at - conn.openedAt, { min: LIMIT.maxDurationMs / 1000 - hopS, max: LIMIT.maxDurationMs / 1000 + LATE_S });
    });
    await step('the client reconnects, and the new connection is answered', async () => {
      const again = await ws.connect(CHAT, { query: { name: 'reconnected' } });
      await keepAlive(again);
      await again.close();
    });
  },
});
