import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileAtomic, replaceFileAtomic } from './atomic-file.ts';
import { createCaCertificate, createServerCertificate, type KeyAndCert } from './certificates.ts';
import { EmulatorError } from './errors.ts';

/**
 * The emulator's own certificate authority, for `https://` and `wss://` on its ports: AWS SDK clients
 * built from `https://${domainName}/${stage}` and Amplify's forced wss:// reach it unchanged once the
 * CA is trusted (NODE_EXTRA_CA_CERTS, a browser's authorities, or the Lambda workers, which trust it
 * by themselves). Made once and kept on disk, so every run presents the same CA and a start from the
 * cache costs a few milliseconds instead of ~0.5 s. Nothing here touches the network.
 */

/** Beside the Lambda runtime's bundle cache: inside the emulator's own node_modules, git-ignored. */
export const LOCAL_CA_DIR = fileURLToPath(new URL('../../node_modules/.cache/genai-offline/tls', import.meta.url));

/** Always in the server certificate: how local clients name the emulator. */
export const DEFAULT_HOSTNAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** A certificate this close to its end is replaced, so a long test run never sees one expire. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

export const CA_FILE = 'ca.pem';
/** The CA's key followed by its certificate: one file, so the pair is created atomically, once. */
export const CA_KEY_FILE = 'ca-key.pem';
export const SERVER_CERT_FILE = 'server.pem';
export const SERVER_KEY_FILE = 'server-key.pem';

export interface LocalCaOptions {
  /** Default LOCAL_CA_DIR. */
  dir?: string;
  /** Names (DNS or IP) the server certificate must cover besides DEFAULT_HOSTNAMES. */
  hostnames?: readonly string[];
  /** Validity is judged (and new certificates dated) from this instant: real time by default, as TLS clients check it. */
  now?: Date;
}

export interface LocalCa {
  /** The CA certificate (public): what clients add to their trusted roots. */
  caPem: string;
  /** The file holding `caPem`: point NODE_EXTRA_CA_CERTS or a browser here. */
  caFile: string;
  /** The server certificate's private key (PEM), for `tls.createSecureContext`. */
  key: string;
  /** The server certificate (PEM), signed by the CA, covering every requested hostname. */
  cert: string;
}

export async function loadLocalCa(options: LocalCaOptions = {}): Promise<LocalCa> {
  const dir = options.dir ?? LOCAL_CA_DIR;
  const now = options.now ?? new Date();
  const hostnames = [...new Set([...DEFAULT_HOSTNAMES, ...(options.hostnames ?? [])])];
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ca = await loadCa(dir, now);
    const caFile = join(dir, CA_FILE);
    if ((await readText(caFile)) !== ca.cert) await replaceFileAtomic(caFile, ca.cert);
    const server = await loadServer(dir, ca, hostnames, now);
    return { caPem: ca.cert, caFile, key: server.key, cert: server.cert };
  } catch (cause) {
    if (cause instanceof EmulatorError) throw cause;
    throw new EmulatorError('ERR_LOCAL_CA', `Failed to prepare the local CA in "${dir}": ${(cause as Error).message}. Make that folder writable, or delete it to start over.`, { cause });
  }
}

/**
 * The PEM the Lambda workers should trust besides Node's bundled roots (LambdaRuntimeOptions.trustedCaPem):
 * the local CA, and the certificates of NODE_EXTRA_CA_CERTS if this process was started with it. A
 * worker adds the CA to a certificate store of its own, which Node fills with the bundled roots only,
 * so without them a handler would lose what the emulator's own process trusts (a corporate proxy's CA).
 */
export async function workerTrustPem(caPem: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const extraCaCertsFile = env.NODE_EXTRA_CA_CERTS;
  if (!extraCaCertsFile) return caPem;
  // Node warns at start-up when the file cannot be read, and goes on without it: so do the workers.
  const extra = await readFile(extraCaCertsFile, 'utf8').catch(() => '');
  return extra.trim() ? `${caPem}${extra.trimEnd()}\n` : caPem;
}

/**
 * The cached CA if it is whole and not about to expire; else a new one. A missing file is created
 * exclusively, so emulators starting together on a fresh cache all end up with the one written first;
 * each reads back what is on disk. (A damaged or expiring file is replaced by rename, last one wins.)
 */
async function loadCa(dir: string, now: Date): Promise<KeyAndCert> {
  const file = join(dir, CA_KEY_FILE);
  const text = await readText(file);
  const cached = text === undefined ? undefined : usableCa(text, now);
  if (cached) return cached;
  const made = await createCaCertificate(now);
  const content = `${made.key}${made.cert}`;
  if (text === undefined) await createFileAtomic(file, content, { mode: 0o600 });
  else await replaceFileAtomic(file, content, { mode: 0o600 });
  const written = usableCa((await readText(file)) ?? '', now);
  if (!written) throw new Error(`${CA_KEY_FILE} is not a usable CA after being written`);
  return written;
}

function usableCa(text: string, now: Date): KeyAndCert | undefined {
  const key = pemBlock(text, 'PRIVATE KEY');
  const cert = pemBlock(text, 'CERTIFICATE');
  if (!key || !cert) return undefined;
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.ca || !x509.checkPrivateKey(createPrivateKey(key)) || !current(x509, now)) return undefined;
  } catch {
    return undefined;
  }
  return { key, cert };
}

/** The cached server certificate if its key matches, the CA signed it, it covers `hostnames` and is current; else a new one. */
async function loadServer(dir: string, ca: KeyAndCert, hostnames: readonly string[], now: Date): Promise<KeyAndCert> {
  const keyFile = join(dir, SERVER_KEY_FILE);
  const certFile = join(dir, SERVER_CERT_FILE);
  const [key, cert] = await Promise.all([readText(keyFile), readText(certFile)]);
  if (key && cert && usableServer({ key, cert }, ca, hostnames, now)) return { key, cert };
  // Each process keeps the pair it made; if another writes its own meanwhile, both are valid, and the
  // key check above sends a torn pair back here.
  const made = await createServerCertificate(ca, hostnames, now);
  await replaceFileAtomic(keyFile, made.key, { mode: 0o600 });
  await replaceFileAtomic(certFile, made.cert);
  return made;
}

function usableServer(server: KeyAndCert, ca: KeyAndCert, hostnames: readonly string[], now: Date): boolean {
  try {
    const x509 = new X509Certificate(server.cert);
    const issuer = new X509Certificate(ca.cert);
    if (!x509.checkIssued(issuer) || !x509.verify(issuer.publicKey) || !x509.checkPrivateKey(createPrivateKey(server.key))) return false;
    if (!current(x509, now)) return false;
    return hostnames.every((name) => (isIP(name) ? x509.checkIP(name) : x509.checkHost(name, { wildcards: false })) !== undefined);
  } catch {
    return false;
  }
}

function current(x509: X509Certificate, now: Date): boolean {
  return Date.parse(x509.validFrom) <= now.getTime() && Date.parse(x509.validTo) - now.getTime() > RENEW_BEFORE_MS;
}

function pemBlock(text: string, label: string): string | undefined {
  const match = new RegExp(`-----BEGIN ${label}-----\\r?\\n[\\s\\S]*?-----END ${label}-----\\r?\\n?`).exec(text);
  return match ? match[0].replace(/\r\n/g, '\n').replace(/\n?$/, '\n') : undefined;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
