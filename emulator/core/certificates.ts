import { generateKeyPair, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import type forgeModule from 'node-forge';

/**
 * Creates the local CA and the server certificates it signs. Keys come from Node's native generator
 * (~150 ms for RSA 2048, off the main thread); node-forge, pure JavaScript, only builds and signs the
 * X.509 structure (~60-140 ms a signature), and is loaded only when a certificate must be made: a start
 * from the cache never loads it. RSA because forge signs nothing else.
 */

export interface KeyAndCert {
  /** PKCS#8 PEM. */
  key: string;
  cert: string;
}

const generateRsa = promisify(generateKeyPair);
const DAY_MS = 86_400_000;
export const CA_VALIDITY_DAYS = 3650;
/** Under the 398 days browsers accept for a server certificate. */
export const SERVER_VALIDITY_DAYS = 365;
export const CA_COMMON_NAME = 'genai-offline local CA';

let forgePromise: Promise<typeof forgeModule> | undefined;
const loadForge = () => (forgePromise ??= import('node-forge').then((m) => m.default));

async function newKey(forge: typeof forgeModule) {
  const { privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { pem: privateKey, key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function baseCertificate(forge: typeof forgeModule, publicKey: forgeModule.pki.PublicKey, now: Date, days: number) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // 16 random bytes with the top bit clear: a positive serial, unique per certificate (RFC 5280 4.1.2.2).
  cert.serialNumber = `0${randomBytes(16).toString('hex').slice(1)}`;
  // An hour's grace for clocks slightly behind this one.
  cert.validity.notBefore = new Date(now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
  return cert;
}

/** A self-signed root: may sign certificates (keyCertSign), nothing else; no path below it. */
export async function createCaCertificate(now: Date): Promise<KeyAndCert> {
  const forge = await loadForge();
  const { pem, key, publicKey } = await newKey(forge);
  const cert = baseCertificate(forge, publicKey, now, CA_VALIDITY_DAYS);
  const subject = [
    { name: 'commonName', value: CA_COMMON_NAME },
    { name: 'organizationName', value: 'genai-offline (local development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { key: pem, cert: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n') };
}

/** A TLS server certificate for `hostnames` (DNS names or IP addresses, as subjectAltName entries), signed by `ca`. */
export async function createServerCertificate(ca: KeyAndCert, hostnames: readonly string[], now: Date): Promise<KeyAndCert> {
  const forge = await loadForge();
  const { pem, publicKey } = await newKey(forge);
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const cert = baseCertificate(forge, publicKey, now, SERVER_VALIDITY_DAYS);
  cert.setSubject([{ name: 'commonName', value: hostnames[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Type 7 is iPAddress, type 2 dNSName (RFC 5280 4.2.1.6); clients match only these, never the CN.
    { name: 'subjectAltName', altNames: hostnames.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return { key: pem, cert: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n') };
}
