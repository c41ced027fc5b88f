import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfigFile } from '../../emulator/core/config-file.ts';
import { silentLog } from '../../emulator/core/log.ts';
import { startEmulator } from '../../emulator/emulator.ts';
import { buildMessage, loadOptions, PROMPTS, selectWebSocketUrl, streamFigures } from '../../scenarios/async-websocket/load-logic.js';

const EXAMPLE = fileURLToPath(new URL('../../fixtures/example-app/genai-offline.config.ts', import.meta.url));
const frame = (text: unknown, at: number) => ({ text: typeof text === 'string' ? text : JSON.stringify(text), at });

describe('k6 load logic (async-websocket)', () => {
  it('selects the WebSocket URL from an endpoints file, or says what is missing', () => {
    const file = JSON.stringify({ websocketApis: { chat: { url: 'wss://abc.execute-api.eu-west-1.amazonaws.com/prod', connectionsUrl: 'https://x/prod/@connections' } } });
    expect(selectWebSocketUrl(file)).toBe('wss://abc.execute-api.eu-west-1.amazonaws.com/prod');
    expect(selectWebSocketUrl(JSON.stringify({ websocketApis: { chat: 'ws://127.0.0.1:4013/dev' } }))).toBe('ws://127.0.0.1:4013/dev');
    expect(() => selectWebSocketUrl(file, { name: 'orders', source: 'prod.json' })).toThrow('Failed to select the WebSocket API: websocketApis.orders.url is not a ws:// or wss:// URL in prod.json. Add it or set API_NAME.');
    expect(() => selectWebSocketUrl('{', { source: 'prod.json' })).toThrow(/^Failed to parse prod\.json: .*\. Pass ENDPOINTS=path\/to\/endpoints\.json\.$/);
  });

  it('sends the pattern\'s sendmessage action, cycling through the prompts', () => {
    expect(JSON.parse(buildMessage(0))).toEqual({ action: 'sendmessage', prompt: PROMPTS[0] });
    expect(JSON.parse(buildMessage(PROMPTS.length + 1)).prompt).toBe(PROMPTS[1]);
  });

  it('computes TTFT from the send, inter-chunk latency without the first chunk, and the rate after it', () => {
    const figures = streamFigures(1000, [
      frame({ message: 'Endpoint request timed out', connectionId: 'c', requestId: 'r' }, 30_000),
      frame({ type: 'chunk', text: 'Hello' }, 1400),
      frame('not json', 1410),
      frame({ type: 'chunk', text: ' there' }, 1460),
      frame({ type: 'chunk', text: ' friend' }, 1540),
      frame({ type: 'done', stopReason: 'end_turn', usage: { inputTokens: 3, outputTokens: 5, totalTokens: 8 } }, 1545),
    ]);
    expect(figures).toEqual({ complete: true, timedOut: true, chunks: 3, ttftMs: 400, interChunkMs: [60, 80], charsPerSecond: (13 * 1000) / 140, totalMs: 545, outputTokens: 5 });
    expect(streamFigures(0, [])).toEqual({ complete: false, timedOut: false, chunks: 0, ttftMs: undefined, interChunkMs: [], charsPerSecond: undefined, totalMs: undefined, outputTokens: undefined });
  });

  it('options: VUS and DURATION, refusing nonsense', () => {
    expect(loadOptions({}).scenarios.chat).toEqual({ executor: 'constant-vus', vus: 5, duration: '1m' });
    expect(loadOptions({ VUS: '20', DURATION: '5m' }).scenarios.chat).toEqual({ executor: 'constant-vus', vus: 20, duration: '5m' });
    expect(() => loadOptions({ VUS: '0' })).toThrow('Failed to read VUS: "0" is not a positive integer. Unset it for 5.');
  });

  it('measures a real stream from the example app as the k6 script does (one VU, one iteration)', async () => {
    // 0.1, as the chat scenarios: at 0.01 a loaded machine's real milliseconds in the handler's first
    // SDK calls read as emulated seconds and can pass the 29 s integration timeout.
    const emulator = await startEmulator(await loadConfigFile(EXAMPLE), { port: 0, timeScale: 0.1, log: silentLog });
    try {
      const url = selectWebSocketUrl(JSON.stringify(emulator.endpoints));
      const socket = new WebSocket(url);
      await once(socket, 'open');
      const frames: Array<{ text: string; at: number }> = [];
      const done = new Promise<void>((resolve) =>
        socket.on('message', (data: Buffer) => {
          frames.push({ text: data.toString(), at: performance.now() });
          if (data.toString().includes('"type":"done"')) resolve();
        }),
      );
      const sentAt = performance.now();
      socket.send(buildMessage(0));
      await done;
      socket.close();
      const figures = streamFigures(sentAt, frames);
      expect(figures).toMatchObject({ complete: true, timedOut: false });
      expect(figures.chunks).toBeGreaterThan(1);
      expect(figures.interChunkMs).toHaveLength(figures.chunks - 1);
      expect(figures.ttftMs).toBeGreaterThan(0);
      expect(figures.outputTokens).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  });
});
