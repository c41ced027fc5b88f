import { Agent } from 'node:http';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
  ThrottlingException,
  type BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { MODEL_ID } from './bedrock-clients.ts';

/**
 * What a Bedrock mock must get right for an application's error and accounting paths to be tested
 * against it, each checked through the unmodified AWS SDK. Both servers are asked the same things;
 * the servers route `bench.throttle` and `bench.midstream` to their nearest form of each fault.
 */
export interface CheckResult {
  pass: boolean;
  detail: string;
}

const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Write a short answer about streaming.' }] }];
const TIMEOUT_MS = 5000;

function client(url: string, http1: boolean): BedrockRuntimeClient {
  const config: BedrockRuntimeClientConfig = { region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 };
  if (http1) config.requestHandler = new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true }) });
  return new BedrockRuntimeClient(config);
}

const describe = (error: unknown): string => {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } };
  return `${e.constructor?.name ?? 'Error'} (${e.name}), HTTP ${e.$metadata?.httpStatusCode ?? '-'}: ${String(e.message).slice(0, 70)}`;
};

const consistent = (u: { inputTokens?: number; outputTokens?: number; totalTokens?: number } | undefined): CheckResult => {
  if (!u) return { pass: false, detail: 'no usage' };
  const pass = (u.outputTokens ?? 0) > 0 && u.inputTokens! + u.outputTokens! === u.totalTokens;
  return { pass, detail: `input ${u.inputTokens} + output ${u.outputTokens} = total ${u.totalTokens}` };
};

async function attempt(check: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return { pass: false, detail: describe(error) };
  }
}

/** `http1`: the transport used for every check but the first (aimock speaks only HTTP/1.1). */
export async function fidelityChecks(url: string, http1: boolean): Promise<Array<[string, CheckResult]>> {
  const sdk = client(url, http1);
  const h2 = client(url, false);
  const signal = () => ({ abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
  const checks: Array<[string, () => Promise<CheckResult>]> = [
    ['default SDK client (HTTP/2) streams', async () => {
      const out = await h2.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: MESSAGES }), signal());
      let deltas = 0;
      for await (const event of out.stream!) if (event.contentBlockDelta) deltas++;
      return { pass: deltas > 0, detail: `${deltas} deltas over HTTP/2` };
    }],
    ['HTTP 429 -> typed ThrottlingException', async () => {
      try {
        await sdk.send(new ConverseCommand({ modelId: 'bench.throttle', messages: MESSAGES }), signal());
        return { pass: false, detail: 'no error' };
      } catch (error) {
        const pass = error instanceof ThrottlingException && error.$metadata.httpStatusCode === 429;
        return { pass, detail: describe(error) };
      }
    }],
    ['in-stream ModelStreamErrorException after 2 deltas', async () => {
      let deltas = 0;
      try {
        const out = await sdk.send(new ConverseStreamCommand({ modelId: 'bench.midstream', messages: MESSAGES }), signal());
        for await (const event of out.stream!) if (event.contentBlockDelta) deltas++;
        return { pass: false, detail: `stream ended after ${deltas} deltas, no exception` };
      } catch (error) {
        return { pass: error instanceof ModelStreamErrorException && deltas === 2, detail: `${deltas} deltas, then ${describe(error)}` };
      }
    }],
    ['InvokeModelWithResponseStream chunk.bytes decode', async () => {
      const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
      const out = await sdk.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL_ID, contentType: 'application/json', accept: 'application/json', body }), signal());
      let chunks = 0;
      let text = '';
      for await (const event of out.body!) {
        if (!event.chunk?.bytes) continue;
        const decoded = JSON.parse(Buffer.from(event.chunk.bytes).toString('utf8')) as { type?: string; delta?: { text?: string } };
        chunks++;
        if (decoded.type === 'content_block_delta') text += decoded.delta?.text ?? '';
      }
      return { pass: chunks > 0 && text.length > 0, detail: `${chunks} chunks decoded, ${text.length} chars of text` };
    }],
    ['Converse usage in+out=total, out>0', async () => {
      const out = await sdk.send(new ConverseCommand({ modelId: MODEL_ID, messages: MESSAGES }), signal());
      return consistent(out.usage);
    }],
    ['ConverseStream metadata usage', async () => {
      const out = await sdk.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: MESSAGES }), signal());
      let usage;
      for await (const event of out.stream!) if (event.metadata) usage = event.metadata.usage;
      return consistent(usage);
    }],
  ];
  const results = await Promise.all(checks.map(async ([name, check]) => [name, await attempt(check)] as [string, CheckResult]));
  sdk.destroy();
  h2.destroy();
  return results;
}
