import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutgoingRequest } from './sign.ts';

/**
 * Request headers that carry the caller's intent. Everything else is the caller's transport or auth
 * (`authorization`, `x-amz-*`, `amz-sdk-*`, `host`, `content-length`) and is rebuilt for upstream.
 */
export function forwardedRequestHeaders(rawHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === 'content-type' || name === 'accept' || name.startsWith('x-amzn-bedrock-')) out[name] = rawHeaders[i + 1]!;
  }
  return out;
}

/** Response headers a Bedrock client reads (reference 4.1, 4.7); the listener does the framing. */
export function passedResponseHeaders(rawHeaders: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === 'content-type' || name === 'x-amzn-requestid' || name === 'x-amzn-errortype' || name.startsWith('x-amzn-bedrock-')) out.push([name, rawHeaders[i + 1]!]);
  }
  return out;
}

/** The caller's `Authorization: Bearer ...` (a Bedrock API key), which cannot be re-signed, only passed on. */
export function bearerAuthorization(rawHeaders: string[]): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'authorization' && /^bearer\s/i.test(rawHeaders[i + 1]!)) return rawHeaders[i + 1];
  }
  return undefined;
}

/** The access key id in a caller's SigV4 header: not sent on, but a recording is checked against it too. */
export function callerAccessKeyId(rawHeaders: string[]): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'authorization') continue;
    return /Credential=([^/,\s]+)\//.exec(rawHeaders[i + 1]!)?.[1];
  }
  return undefined;
}

export interface SentRequest {
  response: IncomingMessage;
  abort(): void;
}

/**
 * One HTTP/1.1 request upstream (Bedrock serves 1.1 as well as 2). No timeout: a model may think for
 * minutes, and the client's own timeout or disconnect is what should end the wait. Rejects with
 * node's error when the connection fails before a response head arrives.
 */
export function send(request: OutgoingRequest): Promise<SentRequest> {
  const issue = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = issue(request.url, { method: request.method, headers: request.headers });
    req.once('response', (response) => resolve({ response, abort: () => req.destroy() }));
    req.once('error', reject);
    req.end(request.body);
  });
}
