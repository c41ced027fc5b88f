import { LambdaClient } from '@aws-sdk/client-lambda';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/lambda-api', import.meta.url));
export const ARN_PREFIX = 'arn:aws:lambda:us-east-1:123456789012:function:';

/** The unmodified SDK client, pointed at the emulator's Lambda endpoint with throwaway credentials (not verified). */
export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    // A refused invoke (429) is asserted as it came, not retried.
    maxAttempts: 1,
  });
}

export const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

export const decodeLog = (logResult: string | undefined): string => Buffer.from(logResult ?? '', 'base64').toString('utf8');
