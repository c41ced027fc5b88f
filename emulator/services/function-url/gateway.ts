import { AwsHttpError } from '../../core/errors.ts';
import type { AnyHttpResponse, HttpRequest } from '../../core/http.ts';
import type { ServiceDeps } from '../../core/service.ts';
import { CorsPolicy } from '../apigw-http/cors.ts';
import type { IncomingRequest } from '../apigw-http/request.ts';
import { mapResultV2 } from '../apigw-http/result.ts';
import type { InvokeOutcome, LambdaInvoker, LambdaStreamInvoker, StreamResponse } from '../lambda-runtime/types.ts';
import { FunctionUrlForbidden, FunctionUrlInternalServerError, FunctionUrlThrottled } from './errors.ts';
import { buildFunctionUrlEvent, type FunctionUrlEventContext } from './event.ts';
import { IamVerifier } from './iam.ts';
import type { FunctionUrlOptions } from './options.ts';
import { StreamBody } from './stream.ts';

/** Function URLs need the streamed invoke too; ServiceDeps promises only the buffered one. */
export type FunctionUrlDeps = Omit<ServiceDeps, 'lambda'> & { lambda: LambdaInvoker & LambdaStreamInvoker };

export interface FunctionUrlIdentity {
  name: string;
  urlId: string;
  domainName: string;
}

/**
 * A function URL's semantics after the router has decoded the wire: CORS preflight, AWS_IAM, the event,
 * then Invoke (BUFFERED, the 2.0 response mapping) or InvokeWithResponseStream (RESPONSE_STREAM, the
 * prelude's status and headers, the body paced by StreamBody). Failures are AwsHttpErrors, never throws.
 */
export class FunctionUrlGateway {
  private readonly cors: CorsPolicy | undefined;
  private readonly iam: IamVerifier | undefined;

  constructor(
    private readonly url: FunctionUrlIdentity,
    private readonly options: FunctionUrlOptions,
    private readonly deps: FunctionUrlDeps,
  ) {
    this.cors = options.cors ? new CorsPolicy(options.cors) : undefined;
    this.iam = options.authType === 'AWS_IAM' ? new IamVerifier(options.credentials, deps.accountId, deps.clock) : undefined;
  }

  async handle(raw: HttpRequest, request: IncomingRequest, requestId: string, receivedAt: number): Promise<AnyHttpResponse | AwsHttpError> {
    // Browsers never sign a preflight, so the URL answers it before checking the signature.
    if (this.cors && request.method === 'OPTIONS') return this.cors.preflight(request.headers.origin, request.headers['access-control-request-method']);
    const context: FunctionUrlEventContext = { urlId: this.url.urlId, domainName: this.url.domainName, requestId, timeEpoch: receivedAt };
    if (this.iam) {
      const verdict = await this.iam.verify(raw);
      if (!verdict.ok) return new FunctionUrlForbidden(`AWS_IAM: ${verdict.reason}`);
      context.iam = verdict.caller;
    }
    const event = buildFunctionUrlEvent(request, context);
    const response = this.options.invokeMode === 'RESPONSE_STREAM' ? await this.streamed(event, requestId) : await this.buffered(event, requestId);
    if (!this.cors || response instanceof AwsHttpError) return response;
    // Only the headers change, so a streamed body passes through untouched.
    const { headers } = this.cors.apply({ status: response.status, headers: response.headers, body: '' }, request.headers.origin);
    return { ...response, headers };
  }

  private async buffered(event: unknown, requestId: string): Promise<AnyHttpResponse | AwsHttpError> {
    const outcome = await this.deps.lambda.invoke(this.options.function, event, { requestId });
    if (outcome.kind !== 'success') return this.failure(outcome);
    // The same inference as HTTP API 2.0 (§6.3): a returned string keeps its JSON quotes.
    const mapped = mapResultV2(outcome.payload);
    if (mapped.ok) return mapped.response;
    this.deps.log.debug(`Failed to map the response of function "${this.options.function}" for function URL ${this.url.name}: ${mapped.reason}. Lambda answers 502; return the payload 2.0 response shape.`);
    return new FunctionUrlInternalServerError(`malformed response: ${mapped.reason}`);
  }

  private async streamed(event: unknown, requestId: string): Promise<AnyHttpResponse | AwsHttpError> {
    const stream = this.deps.lambda.invokeStream(this.options.function, event, { requestId });
    const response = await stream.response;
    if (response.kind !== 'stream') return this.failure(response);
    const { clock, trace, log, limits } = this.deps;
    const body = new StreamBody(stream, { url: this.url.name, requestId, functionName: this.options.function, clock, trace, log, limits });
    return { ...streamHead(response), body };
  }

  private failure(outcome: Exclude<InvokeOutcome | StreamResponse, { kind: 'success' } | { kind: 'stream' }>): AwsHttpError {
    if (outcome.kind === 'function-error') return new FunctionUrlInternalServerError(`function error: ${outcome.error.errorType}`);
    if (outcome.error.errorType === 'TooManyRequestsException') return new FunctionUrlThrottled(outcome.error.message);
    // Other refusals (a request over 6 MB) are Lambda's own errors, passed on as Invoke returns them.
    return outcome.error;
  }
}

/**
 * Status and headers from the HttpResponseStream prelude; without one (no HttpResponseStream.from),
 * 200 and the stream's own content type, `application/octet-stream` unless the handler set another
 * (reference §6.1). A handler that does not stream at all arrives as its JSON payload (application/json),
 * sent as is: Lambda does not apply the 2.0 mapping to a streamed invoke.
 */
function streamHead(response: Extract<StreamResponse, { kind: 'stream' }>): { status: number; headers: Array<[string, string]> } {
  const metadata = response.metadata;
  if (!metadata) return { status: 200, headers: [['content-type', response.contentType]] };
  const headers: Array<[string, string]> = Object.entries(metadata.headers ?? {}).map(([name, value]) => [name, String(value)]);
  for (const cookie of metadata.cookies ?? []) headers.push(['set-cookie', cookie]);
  return { status: metadata.statusCode ?? 200, headers };
}
