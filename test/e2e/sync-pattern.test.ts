import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../emulator/core/config-file.ts';
import { silentLog } from '../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/emulator.ts';
import { mockText } from '../../emulator/services/bedrock/mock-text.ts';

// The must-show behaviours end to end: real sockets, real worker threads, the bundled example app at
// time scale 0.01 (29 emulated seconds last 290 ms).
const EXAMPLE = fileURLToPath(new URL('../../fixtures/example-app/genai-offline.config.ts', import.meta.url));

/** The chat handler's default model id. */
const CHAT_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

let emulator: RunningEmulator;
let rest: string;
let http: string;

beforeAll(async () => {
  emulator = await startEmulator(await loadConfigFile(EXAMPLE), { port: 0, timeScale: 0.01, log: silentLog });
  rest = emulator.endpoints.restApis.chat!;
  http = emulator.endpoints.httpApis.chat!;
});
afterAll(() => emulator.close());

/** Starts the execution environment of `fn` so the next call measures the gateway, not a cold start. */
async function warm(url: string, fn: string): Promise<void> {
  await fetch(url);
  await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === fn);
}

describe('synchronous pattern, end to end', () => {
  it('REST: POST /chat answers 200 with the model\'s reply (via the Bedrock mock) and AWS request headers', async () => {
    const res = await fetch(`${rest}/chat`, { method: 'POST', body: '{"prompt":"Hello"}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-amz-apigw-id')).toMatch(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
    const body = (await res.json()) as { reply: string; model: string };
    // The handler's unmodified SDK client called Converse on the emulator's Bedrock: the reply is the
    // mock's deterministic text for this prompt and model.
    expect(body.model).toBe(CHAT_MODEL);
    expect(body.reply).toBe(mockText({ seed: 0, modelId: CHAT_MODEL, prompt: 'Hello', outputTokens: 40 }));
    expect(emulator.trace.events('bedrock.request').some((e) => e.operation === 'Converse' && e.modelId === CHAT_MODEL)).toBe(true);
  });

  it('REST: integration timeout returns 504 after 29 s (290 ms real at time scale 0.01)', async () => {
    await warm(`${rest}/slow`, 'slow');
    const started = performance.now();
    const res = await fetch(`${rest}/slow`);
    const body = await res.text();
    const realMs = performance.now() - started;
    expect(res.status).toBe(504);
    expect(body).toBe('{"message": "Endpoint request timed out"}');
    expect(Buffer.byteLength(body)).toBe(41);
    expect(res.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(realMs).toBeGreaterThanOrEqual(289);
    expect(realMs).toBeLessThan(290 + 60);
  });

  it('REST: the Lambda runs on after the gateway times out, and the trace shows it', async () => {
    const res = await fetch(`${rest}/slow`);
    const requestId = res.headers.get('x-amzn-requestid')!;
    expect(res.status).toBe(504);
    const timeout = await emulator.trace.waitFor('gateway.integration-timeout', (e) => e.requestId === requestId);
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'slow' && e.seq > timeout.seq);
    expect(end.outcome).toBe('success');
    expect(end.at).toBeGreaterThan(timeout.at);
  });

  it('HTTP API: integration timeout returns 503 after 30 s (300 ms real at time scale 0.01)', async () => {
    await warm(`${http}/slow`, 'slow');
    const started = performance.now();
    const res = await fetch(`${http}/slow`);
    const body = await res.text();
    const realMs = performance.now() - started;
    expect(res.status).toBe(503);
    expect(body).toBe('{"message":"Service Unavailable"}');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    expect(realMs).toBeGreaterThanOrEqual(299);
    expect(realMs).toBeLessThan(300 + 60);
  });

  it('REST: a Lambda timeout shorter than the gateway limit returns 502', async () => {
    const res = await fetch(`${rest}/short-timeout`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('{"message": "Internal server error"}');
    const end = await emulator.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'short-timeout');
    expect(end).toMatchObject({ outcome: 'timeout', errorType: 'Sandbox.Timedout' });
  });

  it('REST and HTTP API: a malformed proxy response returns 502 and 500', async () => {
    const r = await fetch(`${rest}/malformed`);
    expect([r.status, await r.text()]).toEqual([502, '{"message": "Internal server error"}']);
    const h = await fetch(`${http}/malformed`);
    expect([h.status, await h.text()]).toEqual([500, '{"message":"Internal Server Error"}']);
  });
});

describe('a handler cannot take the emulator down', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    const handler = (name: string) => `handlers/misbehave.${name}`;
    emu = await startEmulator(
      {
        functions: {
          spin: { handler: handler('spin'), timeout: 60 },
          throws: { handler: handler('throws') },
          exits: { handler: handler('exits') },
          hello: { handler: handler('hello') },
        },
        restApis: { api: { routes: { 'GET /spin': 'spin', 'GET /throws': 'throws', 'GET /exits': 'exits', 'GET /hello': 'hello' } } },
      },
      { port: 0, timeScale: 0.01, log: silentLog, baseDir: fileURLToPath(new URL('.', import.meta.url)) },
    );
  });
  afterAll(() => emu.close());

  it('REST: an infinite loop gets 504 while other requests are served, then its environment is ended', async () => {
    const url = emu.endpoints.restApis.api!;
    const spinning = fetch(`${url}/spin`);
    await emu.trace.waitFor('lambda.invoke.start', (e) => e.functionName === 'spin');
    const hello = await fetch(`${url}/hello`);
    expect([hello.status, await hello.text()]).toEqual([200, 'hello']);
    const res = await spinning;
    expect([res.status, await res.text()]).toEqual([504, '{"message": "Endpoint request timed out"}']);
    const end = await emu.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'spin');
    expect(end.outcome).toBe('timeout');
  });

  it('REST: a handler that throws gets 502 and the next request is served', async () => {
    const url = emu.endpoints.restApis.api!;
    const res = await fetch(`${url}/throws`);
    expect([res.status, await res.text()]).toEqual([502, '{"message": "Internal server error"}']);
    const end = await emu.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'throws');
    expect(end).toMatchObject({ outcome: 'error', errorType: 'TypeError' });
    expect((await fetch(`${url}/hello`)).status).toBe(200);
  });

  it('REST: a handler that calls process.exit gets 502 and the emulator keeps serving', async () => {
    const url = emu.endpoints.restApis.api!;
    const res = await fetch(`${url}/exits`);
    expect([res.status, await res.text()]).toEqual([502, '{"message": "Internal server error"}']);
    const end = await emu.trace.waitFor('lambda.invoke.end', (e) => e.functionName === 'exits');
    expect(end).toMatchObject({ outcome: 'exit', errorType: 'Runtime.ExitError' });
    expect((await fetch(`${url}/exits`)).status).toBe(502);
    expect((await fetch(`${url}/hello`)).status).toBe(200);
  });
});
