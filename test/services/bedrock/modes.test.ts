import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, silentLog, type RunningEmulator } from '../../../emulator/index.ts';
import { sdkClient, userMessage } from './helpers.ts';
import { CONVERSE_JSON, startStandIn, UPSTREAM_CREDENTIALS, type StandIn } from './upstream/stand-in.ts';
import { tempDir } from './upstream/helpers.ts';

// bedrock.mode wired end to end: the emulator's own Bedrock port records from an upstream, writes
// under the config's folder, and replays offline. The upstream module's own tests cover the details.
describe('Bedrock modes through the emulator', () => {
  let standIn: StandIn;
  const saved = { ...process.env };

  beforeAll(async () => {
    standIn = await startStandIn();
    // The default credential chain reads these, as it would a user's AWS profile.
    process.env.AWS_ACCESS_KEY_ID = UPSTREAM_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = UPSTREAM_CREDENTIALS.secretAccessKey;
    process.env.AWS_SESSION_TOKEN = UPSTREAM_CREDENTIALS.sessionToken;
  });
  afterAll(async () => {
    process.env = saved;
    await standIn.close();
  });

  async function start(mode: 'record' | 'replay', baseDir: string): Promise<RunningEmulator> {
    return startEmulator({ bedrock: { mode, upstream: { endpoint: standIn.url, recordings: 'recorded' } } }, { baseDir, port: 0, log: silentLog });
  }

  it('modes: record writes the exchange under the config folder; replay answers it with upstream gone from the path', async () => {
    const baseDir = await tempDir();
    const input = { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: userMessage('Capital of France?') };

    const recording = await start('record', baseDir);
    try {
      const out = await sdkClient(recording.endpoints.bedrock!, 'HTTP/2 (default handler)').send(new ConverseCommand(input));
      expect(out.output?.message?.content?.[0]?.text).toBe('Paris.');
      expect(out.$metadata.requestId).toBe('upstream-1');
      expect(standIn.received.at(-1)!.auth).toBe('ok');
    } finally {
      await recording.close();
    }
    const files = await readdir(join(baseDir, 'recorded', 'Converse'));
    expect(files).toHaveLength(1);
    const recorded = await readFile(join(baseDir, 'recorded', 'Converse', files[0]!), 'utf8');
    expect(recorded).not.toContain(UPSTREAM_CREDENTIALS.accessKeyId);
    expect(recorded).not.toContain('Signature=');

    const upstreamCalls = standIn.received.length;
    const replaying = await start('replay', baseDir);
    try {
      const out = await sdkClient(replaying.endpoints.bedrock!, 'HTTP/1.1 (NodeHttpHandler)').send(new ConverseCommand(input));
      expect(JSON.stringify({ output: out.output, stopReason: out.stopReason, usage: out.usage, metrics: out.metrics })).toBe(CONVERSE_JSON);
      expect(standIn.received.length).toBe(upstreamCalls);
      expect(replaying.trace.events('bedrock.request').map((e) => e.operation)).toEqual(['Converse']);
    } finally {
      await replaying.close();
    }
  });

  it('modes: HTTP-level fault rules still apply before a request goes upstream', async () => {
    const baseDir = await tempDir();
    const emu = await startEmulator(
      { bedrock: { mode: 'real', upstream: { endpoint: standIn.url }, faults: [{ error: 'ServiceUnavailableException', on: { requestNumber: 1 } }] } },
      { baseDir, port: 0, log: silentLog },
    );
    try {
      const before = standIn.received.length;
      const client = sdkClient(emu.endpoints.bedrock!, 'HTTP/2 (default handler)');
      const out = await client.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: userMessage('hi') }));
      expect(out.$metadata.attempts).toBe(2);
      expect(standIn.received.length).toBe(before + 1);
      expect(emu.trace.events('bedrock.fault').map((e) => e.errorType)).toEqual(['ServiceUnavailableException']);
    } finally {
      await emu.close();
    }
  });
});
