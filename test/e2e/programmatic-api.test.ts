import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { MANUAL_CLOCK_START, ManualClock, buildRequest, createEmulator, loadConfigFile, silentLog } from '../../emulator/index.ts';

const EXAMPLE = fileURLToPath(new URL('../../fixtures/example-app/genai-offline.config.ts', import.meta.url));

// The README's in-process example, as written there: no sockets, time moved by hand.
describe('programmatic API', () => {
  it('api: in-process dispatch with a manual clock answers 504 exactly at 29 emulated seconds', async () => {
    const clock = new ManualClock();
    const emu = await createEmulator(await loadConfigFile(EXAMPLE), { clock, log: silentLog });
    try {
      const pending = emu.dispatch('restApis', 'chat', buildRequest({ method: 'GET', path: '/dev/slow' }));
      const start = await emu.trace.waitFor('lambda.invoke.start');
      await clock.advance(28_999);
      const timeoutBefore = emu.trace.events('gateway.integration-timeout');
      await clock.advance(1);
      const res = await pending;
      expect(timeoutBefore).toEqual([]);
      expect(res.status).toBe(504);
      expect(res.body).toBe('{"message": "Endpoint request timed out"}');
      const [timeout] = emu.trace.events('gateway.integration-timeout');
      expect(timeout!.at - start.at).toBe(29_000);
      expect(start.at).toBe(MANUAL_CLOCK_START);
    } finally {
      await emu.close();
    }
  });
});
