import { AwsHttpError } from '../../core/errors.ts';
import { headerValue, splitUrl, type AnyHttpResponse, type HttpRequest } from '../../core/http.ts';
import { requestId as newRequestId } from '../../core/ids.ts';
import { FUNCTION_VERSION } from '../lambda-runtime/names.ts';
import { UnknownOperationException } from './errors.ts';
import { parseFunctionName } from './function-name.ts';
import { invoke } from './invoke.ts';
import { invokeWithResponseStream } from './stream.ts';
import type { InvokeRequest, LambdaApiDeps } from './target.ts';

/**
 * The Lambda API's wire for the two invoke operations the SDK's LambdaClient sends (reference §5.3,
 * §6.4): it decodes the path, headers and query, calls invoke.ts / stream.ts, and encodes their
 * answer. SigV4 is not verified: any credentials are accepted, as handlers sign with the emulator's
 * local ones.
 */
export interface LambdaApi {
  /** Never rejects: faults are Lambda's error responses. */
  handle(request: HttpRequest): Promise<AnyHttpResponse>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const STREAM_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/;

export function createLambdaApi(deps: LambdaApiDeps): LambdaApi {
  return {
    async handle(request) {
      const { path, rawQuery } = splitUrl(request.rawUrl);
      const invokeMatch = INVOKE_PATH.exec(path);
      const streamMatch = invokeMatch ? null : STREAM_PATH.exec(path);
      const label = (invokeMatch ?? streamMatch)?.[1];
      try {
        if (request.method !== 'POST' || label === undefined) throw new UnknownOperationException(request.method, path);
        const decoded = decodeRequest(request, label, rawQuery);
        return invokeMatch ? await invokeResponse(deps, decoded) : await streamResponse(deps, decoded);
      } catch (error) {
        if (!(error instanceof AwsHttpError)) throw error;
        const rendered = error.render();
        return { ...rendered, headers: [...rendered.headers, ['x-amzn-RequestId', newRequestId()]] };
      }
    },
  };
}

function decodeRequest(request: HttpRequest, label: string, rawQuery: string): InvokeRequest {
  let rawFunctionName: string;
  try {
    rawFunctionName = decodeURIComponent(label);
  } catch {
    rawFunctionName = label;
  }
  const qualifier = new URLSearchParams(rawQuery).get('Qualifier') ?? undefined;
  const invocationType = headerValue(request.rawHeaders, 'x-amz-invocation-type');
  return {
    target: parseFunctionName(rawFunctionName, qualifier),
    rawFunctionName,
    invocationType,
    tail: headerValue(request.rawHeaders, 'x-amz-log-type') === 'Tail',
    payload: request.body,
  };
}

async function invokeResponse(deps: LambdaApiDeps, request: InvokeRequest): Promise<AnyHttpResponse> {
  const result = await invoke(deps, request);
  const common: Array<[string, string]> = [['x-amzn-RequestId', result.requestId]];
  if (result.kind === 'accepted') return { status: result.status, headers: common, body: '' };
  const headers: Array<[string, string]> = [['Content-Type', 'application/json'], ...common, ['X-Amz-Executed-Version', FUNCTION_VERSION]];
  if (result.functionError) headers.push(['X-Amz-Function-Error', result.functionError]);
  if (result.logResult !== undefined) headers.push(['X-Amz-Log-Result', result.logResult]);
  return { status: 200, headers, body: result.payload };
}

async function streamResponse(deps: LambdaApiDeps, request: InvokeRequest): Promise<AnyHttpResponse> {
  const result = await invokeWithResponseStream(deps, request);
  const headers: Array<[string, string]> = [['x-amzn-RequestId', result.requestId], ['X-Amz-Executed-Version', FUNCTION_VERSION]];
  if (result.kind === 'dry-run') return { status: 204, headers, body: '' };
  // Content-Type is the stream's own type, which the SDK reads as ResponseStreamContentType (the API
  // reference's response syntax: `Content-Type: ResponseStreamContentType`); the body is an event stream
  // whatever it says.
  return { status: 200, headers: [['Content-Type', result.contentType], ...headers], body: result.frames };
}
