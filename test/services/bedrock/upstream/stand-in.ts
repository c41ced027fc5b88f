import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { closeServer } from '../../../../emulator/gateway/http-listener.ts';
import { NodeSha256 } from '../../../../emulator/services/bedrock/upstream/sign.ts';

/** The emulator's own (upstream) credentials in these tests: a recording must never contain them. */
export const UPSTREAM_CREDENTIALS = { accessKeyId: 'AKIDUPSTREAM0000TEST', secretAccessKey: 'upstream/Secret+Key0000000000000000000000', sessionToken: 'upstream-Session-Token-0000' };

export const CONVERSE_JSON = '{"output":{"message":{"role":"assistant","content":[{"text":"Paris."}]}},"stopReason":"end_turn","usage":{"inputTokens":7,"outputTokens":2,"totalTokens":9},"metrics":{"latencyMs":12}}';
export const THROTTLE_TYPE = 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/';

export interface Received {
  method: string;
  /** As received, percent-encoding kept. */
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** 'ok', 'bearer', or why the SigV4 signature did not verify. */
  auth: string;
}

/** A ConverseStream the test writes frame by frame: nothing goes out until the test says so. */
export interface StreamControl {
  write(bytes: Buffer): void;
  end(): void;
  /** Drops the connection mid-response, as a network failure would. */
  destroy(): void;
  /** Resolves when the emulator closed the upstream connection (disconnect propagation). */
  closed: Promise<void>;
}

/**
 * Verifies a SigV4 `authorization` header by signing the request again with `credentials`, over
 * exactly the headers it names as signed and the date it carries. The body hash is recomputed from
 * the body, not read from `x-amz-content-sha256`.
 */
export async function verifySigV4(req: { method: string; path: string; headers: IncomingMessage['headers']; body: Buffer }, credentials: AwsCredentialIdentity, region = 'us-east-1'): Promise<string> {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return `malformed authorization: ${auth.slice(0, 40)}`;
  if (m[1] !== credentials.accessKeyId || m[3] !== region || m[4] !== 'bedrock') return `wrong scope ${m[1]}/${m[3]}/${m[4]}`;
  const headers: Record<string, string> = {};
  for (const name of m[5]!.split(';')) if (name !== 'x-amz-content-sha256') headers[name] = String(req.headers[name]);
  const date = String(req.headers['x-amz-date']);
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const q = req.path.indexOf('?');
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({ method: req.method, protocol: 'http:', hostname: 'x', path: q === -1 ? req.path : req.path.slice(0, q), query: {}, headers, body: req.body }, { signingDate });
  return signed.headers.authorization === auth ? 'ok' : 'signature mismatch';
}

export interface StandIn {
  url: string;
  received: Received[];
  /** Resolves with the next ConverseStream request's controls. */
  nextStream(): Promise<StreamControl>;
  close(): Promise<void>;
}

/**
 * Bedrock as the emulator sees it upstream: Converse answers JSON, ConverseStream answers frames
 * the test releases, a model id containing `throttled` answers 429, a bad signature answers 403.
 */
export async function startStandIn(): Promise<StandIn> {
  const received: Received[] = [];
  const waiting: Array<(control: StreamControl) => void> = [];
  const ready: StreamControl[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => void answer(req, Buffer.concat(parts), res));
  });
  async function answer(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    const bearer = /^Bearer /.test(String(req.headers.authorization));
    const auth = bearer ? 'bearer' : await verifySigV4({ method: req.method ?? 'GET', path, headers: req.headers, body }, UPSTREAM_CREDENTIALS);
    received.push({ method: req.method ?? 'GET', path, headers: req.headers, body, auth });
    const requestId = `upstream-${received.length}`;
    if (auth !== 'ok' && auth !== 'bearer') {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException', 'x-amzn-requestid': requestId });
      res.end(JSON.stringify({ message: auth }));
    } else if (path.includes('throttled')) {
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': THROTTLE_TYPE, 'x-amzn-requestid': requestId });
      res.end('{"message":"Too many requests, please wait before trying again."}');
    } else if (path.endsWith('/converse-stream')) {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
      res.flushHeaders();
      const control: StreamControl = { write: (b) => void res.write(b), end: () => res.end(), destroy: () => res.socket?.destroy(), closed: new Promise((resolve) => res.once('close', () => resolve())) };
      const take = waiting.shift();
      if (take) take(control);
      else ready.push(control);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
      res.end(CONVERSE_JSON);
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    nextStream: () => {
      const control = ready.shift();
      return control ? Promise.resolve(control) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => closeServer(server),
  };
}
