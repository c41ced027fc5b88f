import { Agent, request as http1Request } from 'node:http';
import { connect, type ClientHttp2Session } from 'node:http2';
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Caller, StreamTimer } from './bedrock-load.ts';

/**
 * Two kinds of load client: the AWS SDK (what an application measures), and a raw one that skips
 * SigV4 and the SDK's object model, for load the SDK would saturate the load generator's core with.
 */
export const MODEL_ID = 'anthropic.claude-3-haiku-20240307-v1:0';
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Write a short answer about streaming.' }] }];
const CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

export interface Client {
  converseStream: Caller;
  converse: Caller;
  close(): void;
}

export function clientLabel(kind: 'raw' | 'sdk', http1: boolean): string {
  if (kind === 'sdk') return http1 ? 'AWS SDK over HTTP/1.1 (NodeHttpHandler)' : 'AWS SDK over HTTP/2 (default handler)';
  return http1 ? 'raw node:http (keep-alive pool) + EventStreamCodec' : 'raw node:http2 (a connection per stream, as the SDK) + EventStreamCodec';
}

export function sdkClient(url: string, http1: boolean): Client {
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: CREDENTIALS,
    maxAttempts: 1,
    ...(http1 ? { requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 4096 }) }) } : {}),
  });
  return {
    async converseStream(timer) {
      const out = await client.send(new ConverseStreamCommand({ modelId: MODEL_ID, messages: MESSAGES }));
      let complete = false;
      for await (const event of out.stream!) {
        if (event.contentBlockDelta) timer.delta(event.contentBlockDelta.delta?.text?.length ?? 0);
        if (event.metadata) complete = true;
      }
      if (!complete) throw new Error('the stream ended without its metadata event');
      timer.end();
    },
    async converse(timer) {
      await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: MESSAGES }));
      timer.end();
    },
    close: () => client.destroy(),
  };
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** Splits a byte stream into event-stream messages and decodes them (CRCs checked) with smithy's codec. */
function frameReader(timer: StreamTimer): { read(data: Buffer): void; complete: boolean } {
  let pending: Buffer = Buffer.alloc(0);
  const reader = { read, complete: false };
  return reader;
  function read(data: Buffer): void {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
      const size = pending.readUInt32BE(0);
      const message = codec.decode(pending.subarray(0, size));
      pending = pending.subarray(size);
      const kind = message.headers[':message-type']?.value;
      if (kind !== 'event') throw new Error(`${kind} frame: ${String(message.headers[':exception-type']?.value ?? message.headers[':error-code']?.value)}`);
      if (message.headers[':event-type']?.value === 'contentBlockDelta') {
        const payload = JSON.parse(Buffer.from(message.body).toString('utf8')) as { delta?: { text?: string } };
        timer.delta(payload.delta?.text?.length ?? 0);
      }
      if (message.headers[':event-type']?.value === 'metadata') reader.complete = true;
    }
  }
}

type Post = (path: string, body: string, onData: (chunk: Buffer) => void) => Promise<number>;

/** Without `shared`: a new HTTP/2 connection per request, closed after it (the SDK's isolated session). */
function http2Post(url: string, shared: ClientHttp2Session | undefined): Post {
  return (path, body, onData) =>
    new Promise((resolve, reject) => {
      const session = shared ?? connect(url);
      if (!shared) reject = closing(session, reject);
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json' });
      let status = 0;
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: Buffer) => {
        try {
          onData(chunk);
        } catch (error) {
          stream.close();
          reject(error);
        }
      });
      stream.on('end', () => {
        if (!shared) session.close();
        resolve(status);
      });
      stream.on('error', reject);
      stream.end(body);
    });
}

function closing(session: ClientHttp2Session, reject: (error: unknown) => void): (error: unknown) => void {
  session.on('error', reject);
  return (error) => {
    session.destroy();
    reject(error);
  };
}

function http1Post(url: string, agent: Agent): Post {
  return (path, body, onData) =>
    new Promise((resolve, reject) => {
      const req = http1Request(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        res.on('data', (chunk: Buffer) => {
          try {
            onData(chunk);
          } catch (error) {
            res.destroy();
            reject(error);
          }
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * No SigV4, no SDK object model: the wire and the codec only (neither server checks signatures). The
 * connections are the SDK's: over HTTP/2 its default handler opens an isolated session (a new TCP
 * connection) per event-stream request and multiplexes the rest on one; over HTTP/1.1 a keep-alive pool.
 */
export function rawClient(url: string, http1: boolean): Client {
  const session = http1 ? undefined : connect(url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const post = session ? http2Post(url, session) : http1Post(url, agent);
  const postStream = session ? http2Post(url, undefined) : post;
  const body = JSON.stringify({ messages: MESSAGES });
  const path = (op: string) => `/model/${encodeURIComponent(MODEL_ID)}/${op}`;
  const ok = (status: number) => {
    if (status !== 200) throw new Error(`HTTP ${status}`);
  };
  return {
    async converseStream(timer) {
      const reader = frameReader(timer);
      ok(await postStream(path('converse-stream'), body, (data) => reader.read(data)));
      if (!reader.complete) throw new Error('the stream ended without its metadata event');
      timer.end();
    },
    async converse(timer) {
      ok(await post(path('converse'), body, () => undefined));
      timer.end();
    },
    close() {
      session?.close();
      agent.destroy();
    },
  };
}
