import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../../emulator/core/clock.ts';
import { AwsHttpError } from '../../../../emulator/core/errors.ts';
import type { AnyHttpResponse, HttpRequest } from '../../../../emulator/core/http.ts';
import { memoryLog } from '../../../../emulator/core/log.ts';
import { Trace } from '../../../../emulator/core/trace.ts';
import { listenHttpAndH2c } from '../../../../emulator/gateway/h2c-listener.ts';
import { createUpstream } from '../../../../emulator/services/bedrock/upstream/index.ts';
import { upstreamOptionsSchema, type UpstreamMode, type UpstreamOptionsInput } from '../../../../emulator/services/bedrock/upstream/options.ts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { UPSTREAM_CREDENTIALS } from './stand-in.ts';

export const tempDir = () => mkdtemp(join(tmpdir(), 'genai-offline-recordings-'));

/**
 * The upstream module on a real port, wrapped as the router will wrap it: its thrown BedrockErrors are
 * rendered, and `seen` keeps what the emulator received (to check the SDK's own signature).
 */
export async function serveUpstream(mode: UpstreamMode, clock: Clock, input: UpstreamOptionsInput, credentials: AwsCredentialIdentityProvider = async () => UPSTREAM_CREDENTIALS) {
  const trace = new Trace(clock);
  const log = memoryLog();
  const upstream = createUpstream(mode, upstreamOptionsSchema.parse(input), { clock, trace, log, credentials });
  const seen: HttpRequest[] = [];
  const handler = {
    async handle(request: HttpRequest): Promise<AnyHttpResponse> {
      seen.push(request);
      try {
        return await upstream.handle(request, 'test-request-id');
      } catch (error) {
        if (!(error instanceof AwsHttpError)) throw error;
        const rendered = error.render();
        rendered.headers.push(['x-amzn-requestid', 'test-request-id']);
        return rendered;
      }
    },
  };
  const listener = await listenHttpAndH2c(handler, { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, log });
  return { upstream, trace, log, seen, listener };
}

/** A raw HTTP/1.1 exchange whose body chunks the test takes one at a time, as they arrive. */
export interface RawExchange {
  response: IncomingMessage;
  received: Buffer[];
  nextChunk(): Promise<Buffer | undefined>;
  abort(): void;
}

export function rawPost(baseUrl: string, path: string, body: string, headers: Record<string, string> = {}): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } });
    req.once('error', reject);
    req.once('response', (response) => {
      const received: Buffer[] = [];
      const queue: Array<Buffer | undefined> = [];
      const waiters: Array<(b: Buffer | undefined) => void> = [];
      const push = (b: Buffer | undefined) => {
        const w = waiters.shift();
        if (w) w(b);
        else queue.push(b);
      };
      response.on('data', (b: Buffer) => {
        received.push(b);
        push(b);
      });
      response.on('end', () => push(undefined));
      response.on('error', () => push(undefined));
      resolve({
        response,
        received,
        nextChunk: () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r))),
        abort: () => req.destroy(),
      });
    });
    req.end(body);
  });
}

/** Every recording under `dir` as text, by path relative to it. */
export async function readRecordings(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) out.set(name, await readFile(join(dir, name), 'utf8'));
  return out;
}
