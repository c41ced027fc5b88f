import { once } from 'node:events';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalCa, workerTrustPem, type LocalCa } from '../../../emulator/core/local-ca.ts';
import { failure, success, testRuntime, type TestRuntime } from './helpers.ts';

interface Seen {
  method: string;
  url: string;
  version: string;
  body: string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'genai-offline-trust-'));
let ca: LocalCa;
let server: Http2SecureServer;
let origin: string;
const seen: Seen[] = [];
let trusting: TestRuntime;
let plain: TestRuntime;

beforeAll(async () => {
  ca = await loadLocalCa({ dir });
  // HTTP/1.1 and HTTP/2 (ALPN) on one port, with a leaf the local CA signed, as the emulator's ports will.
  server = createSecureServer({ key: ca.key, cert: ca.cert, allowHTTP1: true }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, version: req.httpVersion, body });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url.includes('@connections') ? '' : `hello over ${req.httpVersion}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const functions = { client: { handler: 'tls-client.handler' } };
  trusting = testRuntime(functions, { trustedCaPem: ca.caPem });
  plain = testRuntime(functions);
});

afterAll(async () => {
  await Promise.all([trusting.runtime.close(), plain.runtime.close()]);
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const postEvent = () => ({ requestContext: { domainName: new URL(origin).host, stage: 'dev', connectionId: 'abc=' } });

describe('lambda: handlers trust the local CA when the runtime is given one', () => {
  it('lambda: https.get to a server with a local-CA certificate succeeds from a handler with no TLS options', async () => {
    expect(success(await trusting.runtime.invoke('client', { via: 'https', url: `${origin}/a` }))).toEqual({ status: 200, body: 'hello over 1.1' });
  });

  it('lambda: fetch (undici) and node:http2 trust it too', async () => {
    expect(success(await trusting.runtime.invoke('client', { via: 'fetch', url: `${origin}/b` }))).toEqual({ status: 200, body: 'hello over 1.1' });
    expect(success(await trusting.runtime.invoke('client', { via: 'http2', url: `${origin}/c` }))).toEqual({ status: 200, body: 'hello over 2.0' });
  });

  it('lambda: ApiGatewayManagementApiClient built from https://${domainName}/${stage} posts to the connection', async () => {
    seen.length = 0;
    expect(success(await trusting.runtime.invoke('client', postEvent()))).toEqual({ posted: true });
    expect(seen).toEqual([{ method: 'POST', url: '/dev/@connections/abc%3D', version: '1.1', body: 'hi' }]);
  });

  it('lambda: the CA reaches the handler through no environment variable', async () => {
    expect(success(await trusting.runtime.invoke('client', { via: 'env' }))).toEqual({ pemInEnv: false, extraCaCerts: null });
  });
});

describe('lambda: without a trusted CA, handlers see the certificate error a stranger would', () => {
  it('lambda: https.get fails verification', async () => {
    expect(failure(await plain.runtime.invoke('client', { via: 'https', url: `${origin}/a` }))).toMatchObject({ errorMessage: 'unable to verify the first certificate' });
  });

  it('lambda: the management API client fails verification and posts nothing', async () => {
    seen.length = 0;
    expect(failure(await plain.runtime.invoke('client', postEvent())).errorMessage).toMatch(/unable to verify the first certificate/);
    expect(seen).toEqual([]);
  });
});

describe('lambda: trusting the local CA keeps the default roots', () => {
  // NODE_EXTRA_CA_CERTS joins the roots at process start; a context with a store of its own (how
  // trustCa adds the CA) gets Node's bundled roots only, so workerTrustPem carries those extra CAs along.
  it('lambda: with workerTrustPem, a server certified by a root from NODE_EXTRA_CA_CERTS still verifies next to one certified by the local CA', async () => {
    const otherDir = mkdtempSync(path.join(tmpdir(), 'genai-offline-trust-other-'));
    const other = await loadLocalCa({ dir: otherDir });
    const otherServer = createSecureServer({ key: other.key, cert: other.cert, allowHTTP1: true }, (_req, res) => res.end('other'));
    otherServer.listen(0, '127.0.0.1');
    await once(otherServer, 'listening');
    try {
      const otherOrigin = `https://localhost:${(otherServer.address() as AddressInfo).port}`;
      const script = path.join(otherDir, 'probe.mjs');
      writeFileSync(script, PROBE);
      const run = (trusted: string) =>
        execFileAsync(process.execPath, ['--import', 'tsx', script, TRUST_CA_URL, trusted, `${origin}/local`, `${otherOrigin}/other`], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: other.caFile },
        }).then(({ stdout }) => JSON.parse(stdout) as string[]);
      expect(await run('')).toEqual(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'other']);
      expect(await run(await workerTrustPem(ca.caPem, { NODE_EXTRA_CA_CERTS: other.caFile }))).toEqual(['hello over 1.1', 'other']);
      // The local CA alone would have dropped the extra root: the reason workerTrustPem exists.
      expect(await run(ca.caPem)).toEqual(['hello over 1.1', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);
    } finally {
      otherServer.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

const TRUST_CA_URL = new URL('../../../emulator/services/lambda-runtime/worker/trust-ca.ts', import.meta.url).href;
const execFileAsync = promisify(execFile);
const PROBE = `
import https from 'node:https';
const [trustCaUrl, caPem, ...urls] = process.argv.slice(2);
if (caPem) (await import(trustCaUrl)).trustCa(caPem);
const get = (url) => new Promise((resolve) => {
  https.get(url, (res) => { let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => resolve(body)); }).on('error', (e) => resolve(e.code));
});
process.stdout.write(JSON.stringify(await Promise.all(urls.map(get))));
`;
