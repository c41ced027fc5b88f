import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmulatorError } from '../../emulator/core/errors.ts';
import { CA_FILE, CA_KEY_FILE, LOCAL_CA_DIR, loadLocalCa, SERVER_CERT_FILE, SERVER_KEY_FILE, workerTrustPem } from '../../emulator/core/local-ca.ts';

const root = mkdtempSync(path.join(tmpdir(), 'genai-offline-local-ca-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let seq = 0;
const freshDir = () => path.join(root, `ca-${++seq}`);
/** A folder holding only the shared CA, so a test makes a server certificate (~150 ms) but no CA. */
async function withSharedCa(): Promise<string> {
  await first;
  const dir = freshDir();
  mkdirSync(dir);
  copyFileSync(path.join(shared, CA_KEY_FILE), path.join(dir, CA_KEY_FILE));
  return dir;
}
const DAY_MS = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

// One CA made up front (~0.5 s): most tests only read it.
const shared = freshDir();
const first = loadLocalCa({ dir: shared, hostnames: ['emulator.test'] });

describe('local CA', () => {
  it('local CA: the default folder is the emulator\'s node_modules/.cache/genai-offline/tls', () => {
    expect(LOCAL_CA_DIR.endsWith(path.join('node_modules', '.cache', 'genai-offline', 'tls'))).toBe(true);
  });

  it('local CA: writes ca.pem (certificate only), ca-key.pem and server-key.pem (0600) and server.pem, and nothing else', async () => {
    const ca = await first;
    expect(ca.caFile).toBe(path.join(shared, CA_FILE));
    expect(readdirSync(shared).sort()).toEqual([CA_KEY_FILE, CA_FILE, SERVER_KEY_FILE, SERVER_CERT_FILE].sort());
    const caFileText = readFileSync(ca.caFile, 'utf8');
    expect(caFileText).toBe(ca.caPem);
    expect(caFileText.match(/-----BEGIN [A-Z ]+-----/g)).toEqual(['-----BEGIN CERTIFICATE-----']);
    for (const file of [CA_KEY_FILE, SERVER_KEY_FILE]) expect(statSync(path.join(shared, file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(shared, SERVER_CERT_FILE), 'utf8')).toBe(ca.cert);
    expect(readFileSync(path.join(shared, SERVER_KEY_FILE), 'utf8')).toBe(ca.key);
  });

  it('local CA: the CA is a 10-year root that may sign certificates', async () => {
    const x509 = new X509Certificate((await first).caPem);
    expect(x509.ca).toBe(true);
    expect(x509.subject).toContain('CN=genai-offline local CA');
    expect(x509.checkIssued(x509)).toBe(true);
    expect(Date.parse(x509.validTo) - Date.now()).toBeGreaterThan(3640 * DAY_MS);
  });

  it('local CA: the server certificate is signed by it, for serverAuth, covering localhost, 127.0.0.1, ::1 and the names asked for, for a year', async () => {
    const ca = await first;
    const leaf = new X509Certificate(ca.cert);
    const issuer = new X509Certificate(ca.caPem);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey)).toBe(true);
    expect(leaf.keyUsage).toEqual([SERVER_AUTH]);
    expect(leaf.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:emulator.test');
    const days = (Date.parse(leaf.validTo) - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThan(366);
  });

  it('local CA: a second start reuses both certificates from the folder', async () => {
    const ca = await first;
    expect(await loadLocalCa({ dir: shared, hostnames: ['emulator.test'] })).toEqual(ca);
    // Fewer names than the certificate covers still reuse it.
    expect(await loadLocalCa({ dir: shared })).toEqual(ca);
  });

  it('local CA: a name the server certificate does not cover gets a new one from the same CA', async () => {
    const dir = await withSharedCa();
    const before = await loadLocalCa({ dir });
    const after = await loadLocalCa({ dir, hostnames: ['other.test', '10.0.0.7'] });
    expect(after.caPem).toBe(before.caPem);
    expect(after.cert).not.toBe(before.cert);
    expect(new X509Certificate(after.cert).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:other.test, IP Address:10.0.0.7');
    expect(readFileSync(path.join(dir, SERVER_CERT_FILE), 'utf8')).toBe(after.cert);
  });

  it('local CA: a server certificate within 30 days of expiry is replaced; the CA stays', async () => {
    const dir = await withSharedCa();
    const before = await loadLocalCa({ dir });
    const later = new Date(Date.now() + 340 * DAY_MS);
    const after = await loadLocalCa({ dir, now: later });
    expect(after.caPem).toBe(before.caPem);
    expect(after.cert).not.toBe(before.cert);
    expect(Date.parse(new X509Certificate(after.cert).validTo)).toBeGreaterThan(later.getTime() + 364 * DAY_MS);
  });

  it('local CA: a torn server pair (key from another certificate) is replaced', async () => {
    const dir = await withSharedCa();
    const before = await loadLocalCa({ dir });
    writeFileSync(path.join(dir, SERVER_KEY_FILE), (await first).key);
    const after = await loadLocalCa({ dir });
    expect(after.caPem).toBe(before.caPem);
    expect(new X509Certificate(after.cert).checkPrivateKey((await import('node:crypto')).createPrivateKey(after.key))).toBe(true);
    expect(after.cert).not.toBe(before.cert);
  });

  it('local CA: a damaged CA file is replaced by a new CA, and ca.pem follows it', async () => {
    const dir = freshDir();
    const before = await loadLocalCa({ dir });
    writeFileSync(path.join(dir, CA_KEY_FILE), 'not a key');
    const after = await loadLocalCa({ dir });
    expect(after.caPem).not.toBe(before.caPem);
    expect(readFileSync(after.caFile, 'utf8')).toBe(after.caPem);
    expect(new X509Certificate(after.cert).checkIssued(new X509Certificate(after.caPem))).toBe(true);
  });

  it('local CA: starts racing on an empty folder all end up with the one CA on disk', async () => {
    const dir = freshDir();
    const all = await Promise.all([loadLocalCa({ dir }), loadLocalCa({ dir }), loadLocalCa({ dir })]);
    const onDisk = readFileSync(path.join(dir, CA_FILE), 'utf8');
    for (const ca of all) {
      expect(ca.caPem).toBe(onDisk);
      expect(new X509Certificate(ca.cert).checkIssued(new X509Certificate(onDisk))).toBe(true);
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('local CA: a folder that cannot be created fails with ERR_LOCAL_CA and what to do', async () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    const error = await loadLocalCa({ dir: path.join(file, 'tls') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmulatorError);
    expect(error).toMatchObject({ code: 'ERR_LOCAL_CA' });
    expect((error as Error).message).toMatch(/^Failed to prepare the local CA in ".*a-file\/tls": .*ENOTDIR.*\. Make that folder writable, or delete it to start over\.$/);
  });
});

describe('workerTrustPem', () => {
  it('workerTrustPem: the local CA alone without NODE_EXTRA_CA_CERTS, followed by that file\'s certificates with it', async () => {
    const ca = await first;
    expect(await workerTrustPem(ca.caPem, {})).toBe(ca.caPem);
    const extra = path.join(root, 'extra.pem');
    writeFileSync(extra, `${ca.cert}\n\n`);
    expect(await workerTrustPem(ca.caPem, { NODE_EXTRA_CA_CERTS: extra })).toBe(`${ca.caPem}${ca.cert}`);
    expect(await workerTrustPem(ca.caPem, { NODE_EXTRA_CA_CERTS: path.join(root, 'missing.pem') })).toBe(ca.caPem);
  });
});
