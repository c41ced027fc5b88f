import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/core/clock.ts';
import { resolveLimits } from '../../../emulator/core/limits.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { silentLog, startEmulator } from '../../../emulator/index.ts';
import { restApiOptionsSchema, type RestApiOptionsInput } from '../../../emulator/services/apigw-rest/options.ts';
import { createRestApi } from '../../../emulator/services/apigw-rest/router.ts';
import { FakeLambda } from '../../support/fake-lambda.ts';
import { setup } from './support.ts';

const baseDir = fileURLToPath(new URL('../../fixtures/apigw-rest-stream/', import.meta.url));

/** Creates the API over an invoker that can stream (never called: only creation is checked). */
function build(routes: RestApiOptionsInput['routes']): void {
  const clock = new ManualClock();
  const lambda = new FakeLambda(clock, {});
  const streaming = Object.assign(lambda, { invokeStream: (): never => { throw new Error('not invoked in this test'); } });
  const deps = { clock, trace: new Trace(clock), log: memoryLog(), limits: resolveLimits(), lambda: streaming, region: 'us-east-1', accountId: '123456789012' };
  createRestApi('shop', restApiOptionsSchema.parse({ routes }), deps);
}

describe('REST STREAM configuration', () => {
  it('REST STREAM: a STREAM route may set an integration timeout up to 15 minutes without a raised quota, not beyond', () => {
    expect(() => build({ 'GET /a': { function: 'f', responseTransferMode: 'STREAM', integrationTimeoutMs: 900_000 } })).not.toThrow();
    expect(() => build({ 'GET /a': { function: 'f', responseTransferMode: 'STREAM', integrationTimeoutMs: 900_001 } })).toThrow(
      'Failed to create REST API "shop": route "GET /a" asks for a 900001 ms integration timeout, above the 900000 ms maximum. Lower it: no quota raises the STREAM maximum.',
    );
    expect(() => build({ 'GET /a': { function: 'f', integrationTimeoutMs: 30_000 } })).toThrow('above the 29000 ms maximum');
  });

  it('REST STREAM: a STREAM route needs a Lambda invoker that streams, checked when the API is created', () => {
    expect(() => setup({ routes: { 'GET /a': { function: 'f', responseTransferMode: 'STREAM' } } })).toThrow(
      'Failed to create REST API "shop": route "GET /a" has responseTransferMode STREAM but the Lambda invoker given to the API cannot stream. Pass the emulator\'s Lambda runtime, or use BUFFERED.',
    );
    expect(setup({ routes: { 'GET /a': { function: 'f', responseTransferMode: 'BUFFERED' } } }).api.name).toBe('shop');
  });

  it('REST STREAM: the emulator serves a STREAM route end to end on its port', async () => {
    const emu = await startEmulator(
      { functions: { chat: { handler: 'handlers.chat', timeout: 60 } }, bedrock: { enabled: false }, restApis: { chat: { routes: { 'POST /chat': { function: 'chat', responseTransferMode: 'STREAM' } } } } },
      { port: 0, timeScale: 0.01, log: silentLog, baseDir },
    );
    try {
      const res = await fetch(`${emu.endpoints.restApis.chat}/chat`, { method: 'POST', body: 'hi' });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      expect(res.headers.getSetCookie()).toEqual(['session=abc; Secure', 'theme=dark']);
      const text = await res.text();
      expect(text.endsWith('data: two\n\ndata: three\n\n')).toBe(true);
      expect(emu.trace.events('gateway.stream.chunk').map((e) => e.chunk)).toEqual([1, 2, 3]);
    } finally {
      await emu.close();
    }
  });
});
