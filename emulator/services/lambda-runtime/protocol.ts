import type { WorkerTimeSpec } from '../../core/clock.ts';
import type { FunctionError } from './types.ts';

/**
 * The messages between the main thread and one execution environment (a worker thread). Plain objects
 * and strings only: the event and the result cross as JSON text, serialised once on each side, which
 * is what keeps a warm invoke at a few tens of microseconds.
 */

/** Everything a worker needs to become an execution environment (its `workerData`). */
export interface WorkerInit {
  /** `_HANDLER`: `path/to/file.export`, relative to `taskRoot`. */
  handler: string;
  taskRoot: string;
  /**
   * The runtime's source folder (`LAMBDA_RUNTIME_DIR`). The worker may run from a bundle in a cache folder,
   * so its own location does not say where tsx, the SDK fallback and the resolve hook are.
   */
  runtimeDir: string;
  time: WorkerTimeSpec;
  context: ContextData;
  /** Certificates (PEM: the local CA, and NODE_EXTRA_CA_CERTS's) every TLS client in the worker trusts besides the bundled roots. */
  trustedCaPem?: string;
}

/** The parts of the context object that do not change between invocations. */
export interface ContextData {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
}

export type MainToWorker =
  /**
   * `event` is JSON text; `deadline` is emulated epoch ms, as in Lambda's `Lambda-Runtime-Deadline-Ms`.
   * `stream`: a streamed invoke; a streamified handler's writes come back as `chunk` messages.
   */
  | { type: 'invoke'; requestId: string; event: string; deadline: number; stream?: boolean }
  /** A streamed invoke's reader took `bytes` bytes of its chunks: the worker's back-pressure credit. */
  | { type: 'ack'; requestId: string; bytes: number }
  /** Manual clocks only: emulated time moved to `now`. */
  | { type: 'time'; now: number };

export interface LogEntry {
  /** The invocation the line belongs to; undefined during init, as in Lambda's own log lines. */
  requestId: string | undefined;
  stream: 'stdout' | 'stderr';
  text: string;
}

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'init-error'; error: FunctionError }
  /** `streamed`: the body went as `chunk` messages (payload empty); its content type is here for a stream with no bytes. */
  | { type: 'response'; requestId: string; payload: string; streamed?: { contentType: string } }
  /** One write of a streamed invoke, bytes transferred; `contentType` on the first chunk only. */
  | { type: 'chunk'; requestId: string; bytes: Uint8Array; contentType?: string }
  | { type: 'error'; requestId: string; error: FunctionError }
  /**
   * An uncaught exception or unhandled rejection: Lambda's runtime reports it against the current
   * invocation (if any) and exits, so the main thread discards this environment.
   */
  | { type: 'fatal'; requestId: string | undefined; error: FunctionError; exitCode: number }
  | { type: 'logs'; entries: LogEntry[] };
