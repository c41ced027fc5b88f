import tls, { type SecureContextOptions } from 'node:tls';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Makes every TLS client in this execution environment trust the emulator's local CA as well as
 * Node's default roots, so a handler that calls `https://${domainName}/${stage}` (the API Gateway
 * management API, as AWS's samples build it) reaches the emulator unchanged. NODE_EXTRA_CA_CERTS would
 * be read only at process start, and Node 20 has no tls.setDefaultCACertificates.
 *
 * Every client path (tls.connect, so https, http2, fetch's undici and the AWS SDK's handlers) builds
 * its context through the `tls` module's createSecureContext. A context made without a `ca` option has
 * the default roots; adding our CA to it makes Node give the context a store of its own, filled with
 * Node's bundled roots (the shared store is never changed). That copy lacks NODE_EXTRA_CA_CERTS, so
 * `caPem` may be a bundle carrying those too (core/local-ca.ts `workerTrustPem`). A caller that passes
 * `ca` or its own `secureContext` has chosen its roots and is left alone, as it would be on Lambda.
 */
export function trustCa(caPem: string): void {
  const create = tls.createSecureContext;
  tls.createSecureContext = function createSecureContext(options?: SecureContextOptions) {
    const context = create(options);
    if (!options?.ca) (context.context as { addCACert(pem: string): void }).addCACert(caPem);
    return context;
  };
  // `import { createSecureContext } from 'node:tls'` in handler code sees the same function.
  syncBuiltinESMExports();
}
