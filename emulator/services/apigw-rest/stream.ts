import { pausableTimer } from '../../core/clock.ts';
import type { InvokeStream, StreamMetadata, StreamResponse } from '../lambda-runtime/types.ts';
import type { RestApiModel } from './api-model.ts';
import { GATEWAY_ERRORS, type RestApiError } from './errors.ts';
import type { RestProxyEvent } from './event.ts';
import type { GatewayResult } from './gateway.ts';
import { StreamBody } from './stream-body.ts';
import type { StreamingDeps } from './stream-deps.ts';

/**
 * A Lambda proxy route with `responseTransferMode: STREAM` (reference §2.12): the function is invoked
 * with response streaming and the same 1.0 event. API Gateway sends nothing until the function's JSON
 * prelude and its 8 NUL bytes arrived, so until then the integration timeout (default 29 s, at most
 * 15 minutes) gives the usual 504; afterwards status and headers go out at once and the body follows
 * as it is written (stream-body.ts).
 */

export interface StreamRoute {
  requestId: string;
  functionName: string;
  timeoutMs: number;
}

const fail = (error: RestApiError): GatewayResult => ({ kind: 'error', error, integrated: true });

export async function streamIntegration(api: RestApiModel, deps: StreamingDeps, route: StreamRoute, event: RestProxyEvent): Promise<GatewayResult> {
  const startedAt = deps.clock.now();
  // Starting an execution environment is the emulator's cost, not emulated time: the timeout pauses for
  // it and the 15-minute deadline moves by it, as gateway.ts does for buffered routes.
  let invocation!: InvokeStream;
  let initMs = 0;
  const head = await new Promise<StreamResponse | 'timeout'>((resolve) => {
    const timer = pausableTimer(deps.clock, route.timeoutMs, () => resolve('timeout'));
    const onInitEnd = () => {
      timer.resume();
      initMs = timer.pausedMs();
    };
    invocation = deps.lambda.invokeStream(route.functionName, event, { onInitStart: () => timer.pause(), onInitEnd });
    void invocation.response.then((response) => {
      timer.cancel();
      resolve(response);
    });
  });
  if (head === 'timeout') {
    deps.trace.record('gateway.integration-timeout', { api: api.name, requestId: route.requestId, functionName: route.functionName, timeoutMs: route.timeoutMs });
    // The function runs on, as after a buffered route's timeout; what it writes later is dropped.
    invocation.abort();
    return fail(GATEWAY_ERRORS.integrationTimeout);
  }
  if (head.kind === 'rejected') return fail(head.error.status === 413 ? GATEWAY_ERRORS.requestTooLong : GATEWAY_ERRORS.invokeRejected);
  if (head.kind === 'function-error') return fail(GATEWAY_ERRORS.integrationFailure);
  if (!head.metadata) {
    // [choice] AWS streams only after "valid metadata and the delimiter"; it documents nothing else.
    // A function without HttpResponseStream.from (or a buffered one) gets the malformed-response 502.
    deps.log.debug(`Failed to map the streamed Lambda response of ${api.name}: no JSON prelude and 8 NUL delimiter (content type ${head.contentType}). Write the body through awslambda.HttpResponseStream.from(responseStream, {statusCode, headers}).`);
    invocation.abort();
    return fail(GATEWAY_ERRORS.integrationFailure);
  }
  const body = new StreamBody(invocation, {
    api: api.name,
    requestId: route.requestId,
    functionName: route.functionName,
    clock: deps.clock,
    trace: deps.trace,
    log: deps.log,
    idleMs: api.edge ? deps.limits.restStreamEdgeIdleTimeoutMs : deps.limits.restStreamIdleTimeoutMs,
    idleLimit: api.edge ? 'restStreamEdgeIdleTimeoutMs' : 'restStreamIdleTimeoutMs',
    deadline: startedAt + initMs + deps.limits.restStreamIntegrationTimeoutMaxMs,
    uncappedBytes: deps.limits.restStreamUncappedBytes,
    bytesPerSecond: deps.limits.restStreamBytesPerSecond,
  });
  return { kind: 'stream', status: head.metadata.statusCode ?? 200, headers: streamHeaders(head.metadata), body, integrated: true };
}

/**
 * The prelude's headers, then one Set-Cookie per cookie. [choice] Without a Content-Type the buffered
 * proxy's default (application/json) applies, and without a statusCode 200: AWS documents neither.
 */
function streamHeaders(metadata: StreamMetadata): Array<[string, string]> {
  const headers: Array<[string, string]> = Object.entries(metadata.headers ?? {});
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.unshift(['Content-Type', 'application/json']);
  for (const cookie of metadata.cookies ?? []) headers.push(['Set-Cookie', cookie]);
  return headers;
}
