import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Clock } from '../../../core/clock.ts';
import type { AnyHttpResponse, HttpRequest } from '../../../core/http.ts';
import type { Log } from '../../../core/log.ts';
import type { Trace } from '../../../core/trace.ts';
import { upstreamEndpoint, type UpstreamMode, type UpstreamOptions } from './options.ts';
import { passThrough } from './passthrough.ts';
import { createRecorder } from './recorder.ts';
import { createRecordingIndex } from './recording-index.ts';
import { replay } from './replay.ts';
import { createSigner } from './sign.ts';

export interface UpstreamDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
  /** Whose credentials sign upstream requests; default: the AWS SDK's default provider chain. */
  credentials?: AwsCredentialIdentityProvider;
}

/**
 * Bedrock beyond the mock. `handle` answers with Bedrock's (or a recording's) status, headers and body,
 * with exactly one `x-amzn-requestid`, and records `bedrock.response` for every answer it gives. Its own
 * failures (network, credentials, no recording) are thrown as BedrockErrors for the router to render.
 */
export interface Upstream {
  handle(request: HttpRequest, requestId: string): Promise<AnyHttpResponse>;
  /** Resolves once every recording of a completed exchange is on disk (no-op outside `record`). */
  flush(): Promise<void>;
}

export function createUpstream(mode: UpstreamMode, options: UpstreamOptions, deps: UpstreamDeps): Upstream {
  const { clock, trace, log } = deps;
  if (mode === 'replay') {
    const dir = options.recordings;
    const index = createRecordingIndex(dir, log);
    return { handle: (request, requestId) => replay(request, requestId, { dir, index, clock, trace }), flush: async () => undefined };
  }
  const signer = createSigner(options.region, lazyCredentials(deps.credentials));
  const recorder = mode === 'record' ? createRecorder(options.recordings, log) : undefined;
  const endpoint = upstreamEndpoint(options);
  return {
    handle: (request, requestId) => passThrough(request, requestId, { endpoint, signer, trace, log, recorder }),
    flush: () => recorder?.flush() ?? Promise.resolve(),
  };
}

/**
 * The default chain is loaded on the first request, not at start: `mock` and `replay` runs, and a
 * `real` run whose callers all send bearer tokens, never touch ~/.aws or the instance metadata service.
 */
function lazyCredentials(given: AwsCredentialIdentityProvider | undefined): AwsCredentialIdentityProvider {
  let provider = given;
  return async (options) => {
    provider ??= (await import('@aws-sdk/credential-provider-node')).defaultProvider();
    return provider(options);
  };
}
