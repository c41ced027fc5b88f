import { z } from 'zod';

/**
 * Where `real` and `record` send requests and where `record` and `replay` keep exchanges. Credentials
 * are deliberately not options: they come from the AWS default provider chain (or the caller's bearer
 * token), so no secret ever sits in a config file.
 */
export const upstreamOptionsSchema = z.strictObject({
  /** Region of the upstream endpoint and of the SigV4 credential scope. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as us-east-1').default('us-east-1'),
  /** Overrides `https://bedrock-runtime.<region>.amazonaws.com` (a VPC endpoint, a proxy, a test stand-in). */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** Folder of recordings; the caller resolves it against the config file's folder. */
  recordings: z.string().min(1).default('fixtures/bedrock-recordings'),
});

export type UpstreamOptions = z.infer<typeof upstreamOptionsSchema>;
export type UpstreamOptionsInput = z.input<typeof upstreamOptionsSchema>;

export type UpstreamMode = 'real' | 'record' | 'replay';

export function upstreamEndpoint(options: UpstreamOptions): URL {
  return new URL(options.endpoint ?? `https://bedrock-runtime.${options.region}.amazonaws.com`);
}
