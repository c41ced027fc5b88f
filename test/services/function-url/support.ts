import { request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Clock } from '../../../emulator/core/clock.ts';
import type { EmulatorConfigInput } from '../../../emulator/core/config.ts';
import { silentLog } from '../../../emulator/core/log.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/emulator.ts';
import { NodeSha256 } from '../../../emulator/services/bedrock/upstream/sign.ts';

/** Handlers live under test/fixtures, as `codeUri` would place them. */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export const handler = (name: string) => ({ handler: `function-url/handlers.${name}`, timeout: 300 });

/** The emulator on free ports with real workers and the given function URLs; no Bedrock. */
export function startUrls(config: Pick<EmulatorConfigInput, 'functions' | 'functionUrls' | 'limits'>, clock: Clock): Promise<RunningEmulator> {
  return startEmulator({ ...config, region: 'us-west-2', bedrock: { enabled: false } }, { port: 0, clock, log: silentLog, baseDir: FIXTURES });
}

export interface SendInit {
  method?: string;
  /** Path and query. */
  path?: string;
  /** Name/value pairs in order; a name may repeat. */
  headers?: Array<[string, string]>;
  body?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-cased name to value(s), as node:http parses them. */
  headers: IncomingMessage['headers'];
  /** As received: names in the server's case. */
  rawHeaders: string[];
  body: string;
}

/** One request with node:http and only the headers given (plus host, content-length and connection). */
export function send(url: string, init: SendInit = {}): Promise<RawResponse> {
  const body = init.body ?? '';
  const target = new URL(init.path ?? '/', url);
  // A raw header list gets no default Host from node:http.
  const headers = [['host', target.host], ...(init.headers ?? []), ['content-length', String(Buffer.byteLength(body))]].flat();
  return new Promise((resolve, reject) => {
    const req = request(target, { method: init.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What a streaming client saw: each `data` event with the emulated time it arrived. */
export interface StreamClient {
  response: Promise<IncomingMessage>;
  readonly arrivals: Array<{ at: number; bytes: number; total: number; text: string }>;
  readonly total: number;
  /** Resolves once at least `bytes` body bytes have arrived. */
  received(bytes: number): Promise<void>;
  /** `end`: the body ended properly; `aborted`: the server cut the connection. */
  finished: Promise<'end' | 'aborted'>;
  /** The client goes away mid-stream. */
  destroy(): void;
}

export function openStream(url: string, clock: Clock, path = '/', headers: Record<string, string> = {}): StreamClient {
  const arrivals: StreamClient['arrivals'] = [];
  let total = 0;
  const waiters: Array<{ bytes: number; resolve: () => void }> = [];
  let settle!: (how: 'end' | 'aborted') => void;
  const finished = new Promise<'end' | 'aborted'>((resolve) => (settle = resolve));
  const req = request(new URL(path, url), { method: 'GET', headers, agent: false });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        arrivals.push({ at: clock.now(), bytes: chunk.length, total, text: chunk.toString('utf8') });
        for (const w of waiters.filter((w) => total >= w.bytes)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      });
      res.on('end', () => settle('end'));
      res.on('aborted', () => settle('aborted'));
      res.on('error', () => settle('aborted'));
      resolve(res);
    });
    req.on('error', reject);
  });
  response.catch(() => settle('aborted'));
  req.end();
  return {
    response,
    arrivals,
    get total() {
      return total;
    },
    received: (bytes) => (total >= bytes ? Promise.resolve() : new Promise((resolve) => waiters.push({ bytes, resolve }))),
    finished,
    destroy: () => req.destroy(),
  };
}

export const TEST_KEYS = { accessKeyId: 'AKIDFUNCTIONURLTEST', secretAccessKey: 'function-url-test-secret' };

/** The SigV4 headers (service lambda) the AWS SDK's signer adds, signed now on the emulated clock. */
export async function signedHeaders(url: string, init: { method: string; path: string; body?: string; headers?: Record<string, string> }, clock: Clock, credentials = TEST_KEYS): Promise<Array<[string, string]>> {
  const target = new URL(init.path, url);
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of target.searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({ service: 'lambda', region: 'us-west-2', credentials, sha256: NodeSha256 });
  const signed = await signer.sign(
    { method: init.method, protocol: 'http:', hostname: target.host, path: target.pathname, query, headers: { host: target.host, ...init.headers }, body: init.body ?? '' },
    { signingDate: new Date(clock.now()) },
  );
  // Only what signing added: the caller sends the headers it passed in itself.
  return Object.entries(signed.headers).filter(([name]) => name !== 'host' && !(init.headers && name in init.headers));
}
