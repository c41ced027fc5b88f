import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../../../emulator/core/log.ts';
import { BEDROCK_ENDPOINT_VARIABLE, startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { MODEL_ID, sdkClient, userMessage } from './helpers.ts';

const HANDLERS = fileURLToPath(new URL('../../fixtures/handlers', import.meta.url));

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator(
    { functions: { bedrock: { codeUri: '.', handler: 'bedrock.handler', timeout: 120 } } },
    { port: 0, timeScale: 0.01, log: silentLog, baseDir: HANDLERS },
  );
});
afterAll(() => emulator.close());

function success(outcome: Awaited<ReturnType<RunningEmulator['lambda']['invoke']>>): unknown {
  if (outcome.kind !== 'success') throw new Error(`invoke failed: ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload);
}

describe('handler code reaches the Bedrock mock unmodified', () => {
  it('bedrock: startEmulator serves Bedrock on its own port and lists it in the endpoints', () => {
    expect(emulator.endpoints.bedrock).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it(`bedrock: a handler's no-argument client reaches the mock through ${BEDROCK_ENDPOINT_VARIABLE} (Converse, HTTP/2)`, async () => {
    const result = success(await emulator.lambda.invoke('bedrock', { modelId: MODEL_ID, prompt: 'from lambda' })) as { text: string; endpoint: string };
    expect(result.endpoint).toBe(emulator.endpoints.bedrock);
    const direct = sdkClient(emulator.endpoints.bedrock!, 'HTTP/1.1 (NodeHttpHandler)');
    const expected = await direct.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('from lambda') }));
    direct.destroy();
    expect(result.text).toBe(expected.output!.message!.content![0]!.text);
    expect(emulator.trace.events('bedrock.request').some((e) => e.modelId === MODEL_ID)).toBe(true);
  });

  it('bedrock: ConverseStream from a handler yields the whole event sequence', async () => {
    const result = success(await emulator.lambda.invoke('bedrock', { modelId: MODEL_ID, prompt: 'stream', stream: true })) as { events: string[]; text: string };
    expect(result.events[0]).toBe('messageStart');
    expect(result.events.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    expect(result.text.startsWith('[genai-offline mock]')).toBe(true);
  });
});

describe('without the Bedrock mock', () => {
  it('bedrock: "bedrock.enabled: false" starts no Bedrock port and sets no endpoint variable', async () => {
    const emu = await startEmulator({ bedrock: { enabled: false } }, { port: 0, log: silentLog });
    expect(emu.endpoints.bedrock).toBeUndefined();
    expect(emu.bedrock).toBeUndefined();
    await emu.close();
  });
});
