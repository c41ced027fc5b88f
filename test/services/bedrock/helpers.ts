import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Clock } from '../../../emulator/core/clock.ts';
import { memoryLog } from '../../../emulator/core/log.ts';
import { Trace } from '../../../emulator/core/trace.ts';
import { listenHttpAndH2c } from '../../../emulator/gateway/h2c-listener.ts';
import type { Listener } from '../../../emulator/gateway/http-listener.ts';
import { bedrockOptionsSchema, type BedrockOptionsInput } from '../../../emulator/services/bedrock/options.ts';
import { createBedrockRuntime } from '../../../emulator/services/bedrock/router.ts';

export const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';

export function bedrockService(clock: Clock, input: BedrockOptionsInput = {}) {
  const trace = new Trace(clock);
  const log = memoryLog();
  const options = bedrockOptionsSchema.parse(input);
  return { options, trace, log, service: createBedrockRuntime(options, { clock, trace, log }) };
}

/** The service on a real port (HTTP/2 and HTTP/1.1), as startEmulator serves it. */
export async function listenBedrock(clock: Clock, input: BedrockOptionsInput = {}) {
  const made = bedrockService(clock, input);
  const listener: Listener = await listenHttpAndH2c(made.service, { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, log: made.log });
  return { ...made, listener };
}

export type Transport = 'HTTP/2 (default handler)' | 'HTTP/1.1 (NodeHttpHandler)';
export const TRANSPORTS: Transport[] = ['HTTP/2 (default handler)', 'HTTP/1.1 (NodeHttpHandler)'];

/**
 * The unmodified SDK client; only the endpoint, fixed credentials, (for HTTP/1.1) the handler and any
 * `extra` settings a test names (e.g. `maxAttempts: 1` to see a fault without the SDK's retries) are set.
 */
export function sdkClient(endpoint: string, transport: Transport, extra: Partial<BedrockRuntimeClientConfig> = {}): BedrockRuntimeClient {
  const config: BedrockRuntimeClientConfig = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, ...extra };
  if (transport === 'HTTP/1.1 (NodeHttpHandler)') config.requestHandler = new NodeHttpHandler();
  return new BedrockRuntimeClient(config);
}

export function userMessage(text: string) {
  return [{ role: 'user' as const, content: [{ text }] }];
}
