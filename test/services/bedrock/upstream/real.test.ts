import { AccessDeniedException, ConverseCommand, ServiceUnavailableException } from '@aws-sdk/client-bedrock-runtime';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../../emulator/core/clock.ts';
import { closeServer } from '../../../../emulator/gateway/http-listener.ts';
import { MODEL_ID, sdkClient, userMessage } from '../helpers.ts';
import { rawPost, readRecordings, serveUpstream, tempDir } from './helpers.ts';
import { CONVERSE_JSON, startStandIn, UPSTREAM_CREDENTIALS, verifySigV4, type StandIn } from './stand-in.ts';

const SECRETS = [UPSTREAM_CREDENTIALS.accessKeyId, UPSTREAM_CREDENTIALS.secretAccessKey, UPSTREAM_CREDENTIALS.sessionToken, 'AKIDLOCAL', 'Signature=', 'AWS4-HMAC-SHA256'];
const CALLER = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(() => standIn.close());

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('Bedrock upstream in real mode', () => {
  it('bedrock real: Converse is re-signed for bedrock/us-east-1 with the emulator\'s credentials and answered as upstream answered', async () => {
    const dir = await tempDir();
    const emulator = await serveUpstream('real', new ScaledClock(), { endpoint: standIn.url, recordings: dir });
    const client = sdkClient(emulator.listener.url, 'HTTP/1.1 (NodeHttpHandler)', { maxAttempts: 1 });
    try {
      const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Capital of France?') }));
      expect(out.output!.message!.content![0]!.text).toBe('Paris.');
      expect(out.$metadata.requestId).toMatch(/^upstream-\d+$/);

      const incoming = emulator.seen.at(-1)!;
      const upstream = standIn.received.at(-1)!;
      // The verifier agrees with the SDK's own signature (same path encoding, same canonical form)...
      const h: Record<string, string> = {};
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) h[incoming.rawHeaders[i]!.toLowerCase()] = incoming.rawHeaders[i + 1]!;
      expect(await verifySigV4({ method: 'POST', path: incoming.rawUrl, headers: h, body: incoming.body }, CALLER)).toBe('ok');
      // ...and accepts the emulator's re-signed request for the upstream credentials.
      expect(upstream.auth).toBe('ok');
      expect(upstream.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${UPSTREAM_CREDENTIALS.accessKeyId}/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=`));
      expect(upstream.headers['x-amz-security-token']).toBe(UPSTREAM_CREDENTIALS.sessionToken);
      expect(upstream.path).toBe(`/model/${encodeURIComponent(MODEL_ID)}/converse`);
      expect(upstream.path).toContain('%3A0');
      expect(upstream.body.equals(incoming.body)).toBe(true);
      expect(Object.keys(upstream.headers).filter((n) => n.startsWith('amz-sdk') || n.includes('user-agent'))).toEqual([]);

      expect(emulator.log.lines.map((l) => l.message)).toEqual([
        `Forwarding Bedrock Converse for ${MODEL_ID} (test-request-id) to ${standIn.url}.`,
        `Bedrock request test-request-id is AWS request ${out.$metadata.requestId}.`,
      ]);
      expectNoSecrets(JSON.stringify(emulator.log.lines));
      expectNoSecrets(JSON.stringify(emulator.trace.events()));
      expect(emulator.trace.events('bedrock.response')).toMatchObject([{ requestId: 'test-request-id', operation: 'Converse', modelId: MODEL_ID, status: 200, inputTokens: 7, outputTokens: 2 }]);
      expect((await readRecordings(dir)).size).toBe(0);
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });

  it('bedrock real: a caller\'s bearer token is passed on unchanged and nothing is signed', async () => {
    let asked = 0;
    const emulator = await serveUpstream('real', new ScaledClock(), { endpoint: standIn.url }, async () => {
      asked++;
      return UPSTREAM_CREDENTIALS;
    });
    try {
      const exchange = await rawPost(emulator.listener.url, `/model/${encodeURIComponent(MODEL_ID)}/converse`, JSON.stringify({ messages: userMessage('Hi') }), { authorization: 'Bearer bedrock-api-key-123' });
      while (await exchange.nextChunk());
      expect(Buffer.concat(exchange.received).toString()).toBe(CONVERSE_JSON);
      const upstream = standIn.received.at(-1)!;
      expect(upstream.headers.authorization).toBe('Bearer bedrock-api-key-123');
      expect(upstream.headers['x-amz-date']).toBeUndefined();
      expect(asked).toBe(0);
      expect(JSON.stringify(emulator.log.lines)).not.toContain('bedrock-api-key-123');
    } finally {
      await emulator.listener.close();
    }
  });

  it('bedrock real: an unreachable upstream is a typed 503 that says what happened and holds no secret', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await closeServer(closed);
    const emulator = await serveUpstream('real', new ScaledClock(), { endpoint: `http://127.0.0.1:${port}` });
    const client = sdkClient(emulator.listener.url, 'HTTP/2 (default handler)', { maxAttempts: 1 });
    try {
      const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Hi') })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableException);
      expect((error as Error).message).toBe(`Failed to reach Bedrock at http://127.0.0.1:${port} for Converse for ${MODEL_ID}: connect ECONNREFUSED 127.0.0.1:${port}. Check the network and bedrock.upstream.endpoint.`);
      expectNoSecrets((error as Error).message);
      expectNoSecrets(JSON.stringify(emulator.log.lines));
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });

  it('bedrock real: without credentials the caller gets a typed 403 saying how to provide them', async () => {
    const emulator = await serveUpstream('real', new ScaledClock(), { endpoint: standIn.url }, async () => {
      throw new Error('Could not load credentials from any providers');
    });
    const client = sdkClient(emulator.listener.url, 'HTTP/1.1 (NodeHttpHandler)', { maxAttempts: 1 });
    try {
      const before = standIn.received.length;
      const error = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: userMessage('Hi') })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccessDeniedException);
      expect((error as Error).message).toBe(`Failed to sign Converse for ${MODEL_ID} for Bedrock: Could not load credentials from any providers. Give the emulator AWS credentials (AWS_PROFILE, environment or SSO), or call it with a Bedrock API key as a bearer token.`);
      expect(standIn.received.length).toBe(before);
    } finally {
      client.destroy();
      await emulator.listener.close();
    }
  });
});
