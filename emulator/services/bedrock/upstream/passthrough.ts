import { headerValue, splitUrl, type AnyHttpResponse, type HttpRequest } from '../../../core/http.ts';
import type { Log } from '../../../core/log.ts';
import type { Trace } from '../../../core/trace.ts';
import { AccessDeniedException, ServiceUnavailableException } from '../errors.ts';
import { EVENT_STREAM_CONTENT_TYPE } from '../event-stream.ts';
import { abortableBody, readAll } from './body-stream.ts';
import { endBrokenStream } from './cut-stream.ts';
import { bearerAuthorization, callerAccessKeyId, forwardedRequestHeaders, passedResponseHeaders, send, type SentRequest } from './forward.ts';
import type { Recorder } from './recorder.ts';
import { bodyValue, identify } from './request-key.ts';
import type { OutgoingRequest, Signer } from './sign.ts';
import { responseTrace } from './trace-fields.ts';

export interface PassThroughDeps {
  endpoint: URL;
  signer: Signer;
  trace: Trace;
  log: Log;
  /** Present in `record` mode. */
  recorder?: Recorder;
}

/**
 * `real` and `record`: the caller's request to Bedrock, re-signed with the emulator's credentials (or
 * with the caller's bearer token passed on), the answer streamed back as it arrives.
 */
export async function passThrough(request: HttpRequest, requestId: string, deps: PassThroughDeps): Promise<AnyHttpResponse> {
  const { endpoint, signer, trace, log, recorder } = deps;
  const { path, rawQuery } = splitUrl(request.rawUrl);
  const identity = identify(path);
  const what = `${identity.operation} for ${identity.modelId || 'no model'}`;
  const url = new URL(endpoint);
  url.pathname = `${endpoint.pathname.replace(/\/+$/, '')}${path}`;
  url.search = rawQuery ? `?${rawQuery}` : '';
  const outgoing: OutgoingRequest = {
    method: request.method,
    url,
    headers: { ...forwardedRequestHeaders(request.rawHeaders), host: url.host, 'content-length': String(request.body.length) },
    body: request.body,
  };
  const bearer = bearerAuthorization(request.rawHeaders);
  if (bearer) outgoing.headers.authorization = bearer;
  else await signOrDeny(signer, outgoing, what);

  const capture = recorder?.begin(identity, { method: request.method, path, headers: forwardedRequestHeaders(request.rawHeaders), body: bodyValue(request.body) }, () => {
    const caller = callerAccessKeyId(request.rawHeaders);
    return [...signer.secrets(), ...(bearer ? [bearer.replace(/^bearer\s+/i, '')] : []), ...(caller ? [caller] : [])];
  });
  log.debug(`Forwarding Bedrock ${what} (${requestId}) to ${url.origin}.`);
  let sent: SentRequest;
  try {
    sent = await send(outgoing);
  } catch (error) {
    throw new ServiceUnavailableException(`Failed to reach Bedrock at ${url.origin} for ${what}: ${(error as Error).message}. Check the network and bedrock.upstream.endpoint.`);
  }
  const { response } = sent;
  const headers = passedResponseHeaders(response.rawHeaders);
  const status = response.statusCode ?? 502;
  capture?.head(status, headers);
  const upstreamId = headerValue(headers, 'x-amzn-requestid');
  if (upstreamId) log.debug(`Bedrock request ${requestId} is AWS request ${upstreamId}.`);
  else headers.push(['x-amzn-requestid', requestId]);

  const cut = (cause: Error) => new ServiceUnavailableException(`Failed to read Bedrock's answer to ${what}: ${cause.message}. The upstream connection failed midway; try again.`);
  const streaming = headerValue(headers, 'content-type')?.startsWith(EVENT_STREAM_CONTENT_TYPE) ?? false;
  // Only a stream's chunks are recorded one by one, each with its arrival time.
  const observer = streaming && capture ? { chunk: (bytes: Buffer) => capture.chunk(bytes), end: () => capture.end() } : IGNORE;
  const body = abortableBody(response, sent.abort, cut, observer);
  if (streaming) {
    trace.record('bedrock.response', responseTrace(requestId, identity, status, headers));
    return { status, headers, body: endBrokenStream(body, log) };
  }
  const bytes = await readAll(body);
  trace.record('bedrock.response', responseTrace(requestId, identity, status, headers, bytes));
  capture?.body(bytes);
  return { status, headers, body: bytes };
}

const IGNORE = { chunk: () => undefined, end: () => undefined };

async function signOrDeny(signer: Signer, outgoing: OutgoingRequest, what: string): Promise<void> {
  try {
    await signer.sign(outgoing);
  } catch (error) {
    // 403, not 5xx: retrying cannot help until credentials are configured. The provider's message names
    // which sources it tried, never a secret.
    throw new AccessDeniedException(`Failed to sign ${what} for Bedrock: ${(error as Error).message}. Give the emulator AWS credentials (AWS_PROFILE, environment or SSO), or call it with a Bedrock API key as a bearer token.`);
  }
}
