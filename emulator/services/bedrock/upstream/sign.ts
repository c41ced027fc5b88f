import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';

/** Bedrock runtime's SigV4 signing name (reference 4, credential scope `.../bedrock/aws4_request`). */
export const SIGNING_NAME = 'bedrock';

/**
 * sha256 and HMAC-sha256 for the signer from node:crypto: neither `@aws-crypto/sha256-js` nor
 * `@smithy/hash-node` is a dependency here, and node:crypto is what the latter wraps.
 */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const secret = this.secret;
    const key = typeof secret === 'string' ? secret : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    return createHmac('sha256', key);
  }
}

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Lowercase names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Signer {
  /** Adds `authorization`, `x-amz-date`, `x-amz-content-sha256` and any session token, in place. */
  sign(request: OutgoingRequest): Promise<void>;
  /** The values a recording must never contain, once credentials have been resolved at least once. */
  secrets(): string[];
}

export function createSigner(region: string, provider: AwsCredentialIdentityProvider): Signer {
  let seen: AwsCredentialIdentity | undefined;
  const credentials = async () => {
    seen = await provider();
    return seen;
  };
  const signer = new SignatureV4({ service: SIGNING_NAME, region, credentials, sha256: NodeSha256, uriEscapePath: true, applyChecksum: true });
  return {
    async sign(request) {
      const { url } = request;
      const query: Record<string, string | string[]> = {};
      for (const [name, value] of url.searchParams) {
        const prior = query[name];
        query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
      }
      // The path goes in as received (still percent-encoded): the signer encodes it once more, which is
      // exactly the canonical URI AWS computes for non-S3 services. The signing date is the signer's own
      // wall clock on purpose: AWS rejects a signature more than 5 minutes off real time, whatever the
      // emulated clock says.
      const signed = await signer.sign({
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: request.headers,
        body: request.body,
      });
      for (const [name, value] of Object.entries(signed.headers)) request.headers[name.toLowerCase()] = value;
    },
    secrets() {
      if (!seen) return [];
      return [seen.accessKeyId, seen.secretAccessKey, seen.sessionToken].filter((s): s is string => Boolean(s));
    },
  };
}
