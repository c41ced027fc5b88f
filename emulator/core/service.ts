import type { Clock } from './clock.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { Limits } from './limits.ts';
import type { Log } from './log.ts';
import type { Trace } from './trace.ts';
import type { LambdaInvoker } from '../services/lambda-runtime/types.ts';

/** What every emulated service gets: only what it uses, never the whole emulator. */
export interface ServiceDeps {
  clock: Clock;
  trace: Trace;
  log: Log;
  limits: Limits;
  lambda: LambdaInvoker;
  region: string;
  accountId: string;
}

/** An emulated HTTP API, served on its own port by gateway/ or called in-process by tests. */
export interface HttpService {
  readonly name: string;
  /** The invoke URL's path prefix: `/dev` for a REST stage, `` for an HTTP API's `$default` stage. */
  readonly basePath: string;
  /** The AWS API id, used in `domainName` (`<apiId>.execute-api.<region>.amazonaws.com`). */
  readonly apiId: string;
  /** Never rejects: faults are AWS responses. */
  handle(request: HttpRequest): Promise<HttpResponse>;
}
