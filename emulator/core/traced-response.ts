import { AwsHttpError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { Trace } from './trace.ts';

interface Response {
  status: number;
  headers: Array<[string, string]>;
}

/**
 * The wire's frame around one request, the same for every HTTP service: `http.request` with the path
 * (no query string), the answer (an AWS error renders itself), the request id in the header the
 * service names, and `http.response` with the status and, for AWS's own errors, their type.
 */
export async function tracedResponse<R extends Response>(
  trace: Trace,
  api: string,
  request: HttpRequest,
  requestId: string,
  requestIdHeader: string,
  respond: () => Promise<R | AwsHttpError>,
): Promise<R | HttpResponse> {
  const q = request.rawUrl.indexOf('?');
  trace.record('http.request', { api, requestId, method: request.method, path: q === -1 ? request.rawUrl : request.rawUrl.slice(0, q) });
  const result = await respond();
  const response = result instanceof AwsHttpError ? result.render() : result;
  response.headers.push([requestIdHeader, requestId]);
  if (result instanceof AwsHttpError) trace.record('http.response', { api, requestId, status: response.status, errorType: result.errorType });
  else trace.record('http.response', { api, requestId, status: response.status });
  return response;
}
