import { Worker } from 'node:worker_threads';
import { realNow } from '../../core/clock.ts';
import type { LogEntry, MainToWorker, WorkerInit, WorkerToMain } from './protocol.ts';
import type { FunctionError } from './types.ts';

/**
 * One execution environment = one worker thread, seen from the main thread. It runs one invocation at
 * a time and reports how each ended; deciding what that means (timeouts, pooling, traces) is runtime.ts's
 * job. Whatever the handler does (throw, spin, exit), only this worker is affected.
 */

/**
 * V8 grows each isolate's young generation to 16-48 MB under load; a handler that answers a request
 * allocates little, and with several environments that growth was most of the emulator's RSS.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The cause a run or start ends with when the emulator itself shut the environment down (close()). */
export const SHUT_DOWN = new Error('the environment was shut down');

export type RunResult =
  /** A streamed body went to the run's ChunkSink (see its `streamed`); `payload` is then empty. */
  | { kind: 'response'; payload: string }
  /** `fatal`: an uncaught exception or unhandled rejection; the environment is gone. */
  | { kind: 'error'; error: FunctionError; fatal: boolean }
  /** The handler ended the thread (process.exit). */
  | { kind: 'exit'; code: number }
  /** The emulator's fault: the worker failed outside user code, or was terminated by close(). */
  | { kind: 'crash'; cause: unknown };

export type StartResult = { kind: 'ready' } | { kind: 'init-error'; error: FunctionError } | { kind: 'exit'; code: number } | { kind: 'crash'; cause: unknown };

/** Where a streamed run's chunks go. `ack` gives the worker its back-pressure credit back: call it once the reader took the chunk. */
export interface ChunkSink {
  chunk(bytes: Buffer, contentType: string | undefined, ack: () => void): void;
  /** The streamified handler ended its stream (a buffered handler's answer comes as the payload instead). */
  streamed(contentType: string): void;
}

export interface EnvironmentHooks {
  onLogs(entries: LogEntry[]): void;
  /** The environment ended while no invocation was running (crash or exit between invocations). */
  onGone(cause: unknown): void;
}

export class ExecutionEnvironment {
  /** Set once the worker is ending; a dead environment is never handed an invocation. */
  dead = false;
  /** Real ms (core/clock's realNow) when the running invocation began; undefined when not running one. */
  busySince: number | undefined;
  private current: string | undefined;
  private pending: ((result: RunResult) => void) | undefined;
  private sink: ChunkSink | undefined;
  private starting: ((result: StartResult) => void) | undefined;
  private lastError: unknown;
  private readonly exited: Promise<void>;
  private readonly worker: Worker;
  /** Resolves once the handler module is loaded, or init failed. */
  readonly ready: Promise<StartResult>;

  constructor(
    readonly id: string,
    /** The runtime's module (worker-bundle.ts): its bundle, or its sources through tsx. */
    entry: URL,
    init: WorkerInit,
    env: Record<string, string>,
    private readonly hooks: EnvironmentHooks,
  ) {
    this.ready = new Promise((resolve) => (this.starting = resolve));
    this.worker = new Worker(entry, { workerData: init, env, execArgv: [], stdout: false, stderr: false, resourceLimits: WORKER_LIMITS });
    this.worker.on('message', (message: WorkerToMain) => this.onMessage(message));
    this.worker.on('error', (error) => {
      this.lastError = error;
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      this.onExit(code);
      resolve();
    }));
  }


  /** With a `sink`, a streamified handler's writes reach it as they happen (a streamed invoke). */
  run(requestId: string, event: string, deadline: number, sink?: ChunkSink): Promise<RunResult> {
    this.current = requestId;
    this.sink = sink;
    this.busySince = realNow();
    this.worker.ref();
    const message: MainToWorker = { type: 'invoke', requestId, event, deadline, ...(sink ? { stream: true } : {}) };
    this.worker.postMessage(message);
    return new Promise((resolve) => (this.pending = resolve));
  }

  /** Manual clocks: tell the handler's timers that emulated time moved. */
  postTime(now: number): void {
    if (!this.dead) this.worker.postMessage({ type: 'time', now } satisfies MainToWorker);
  }

  /** Ends the worker (an infinite loop included) and waits for it to be gone. */
  terminate(): Promise<void> {
    if (!this.dead) {
      this.dead = true;
      void this.worker.terminate();
    }
    return this.exited;
  }

  private started(result: StartResult): void {
    const resolve = this.starting;
    this.starting = undefined;
    resolve?.(result);
  }

  private finish(result: RunResult): void {
    const resolve = this.pending;
    this.pending = undefined;
    this.current = undefined;
    this.sink = undefined;
    this.busySince = undefined;
    // An idle environment must not keep the emulator's process alive.
    if (!this.dead) this.worker.unref();
    resolve?.(result);
  }

  private onMessage(message: WorkerToMain): void {
    switch (message.type) {
      case 'logs':
        this.hooks.onLogs(message.entries);
        return;
      case 'ready':
        this.worker.unref();
        this.started({ kind: 'ready' });
        return;
      case 'init-error':
        void this.terminate();
        this.started({ kind: 'init-error', error: message.error });
        return;
      case 'response':
        if (message.requestId !== this.current) return;
        if (message.streamed) this.sink?.streamed(message.streamed.contentType);
        this.finish({ kind: 'response', payload: message.payload });
        return;
      case 'chunk': {
        const { requestId, bytes } = message;
        if (requestId !== this.current || !this.sink) return;
        const ack = (): void => {
          if (!this.dead && this.current === requestId) this.worker.postMessage({ type: 'ack', requestId, bytes: bytes.byteLength } satisfies MainToWorker);
        };
        this.sink.chunk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), message.contentType, ack);
        return;
      }
      case 'error':
        if (message.requestId === this.current) this.finish({ kind: 'error', error: message.error, fatal: false });
        return;
      case 'fatal': {
        void this.terminate();
        const cause = new Error(`${message.error.errorType}: ${message.error.errorMessage}`);
        if (message.requestId !== undefined && message.requestId === this.current) {
          this.finish({ kind: 'error', error: message.error, fatal: true });
          return;
        }
        // It crashed between invocations; one already on its way finds the runtime exited.
        if (this.pending) this.finish({ kind: 'exit', code: message.exitCode });
        this.hooks.onGone(cause);
        return;
      }
    }
  }

  private onExit(code: number): void {
    const byUs = this.dead;
    this.dead = true;
    const outcome: RunResult & StartResult =
      byUs ? { kind: 'crash', cause: SHUT_DOWN }
      : this.lastError !== undefined ? { kind: 'crash', cause: this.lastError }
      : { kind: 'exit', code };
    this.started(outcome);
    if (this.pending) this.finish(outcome);
    else if (!byUs) this.hooks.onGone(outcome.kind === 'exit' ? new Error(`exit status ${code}`) : outcome.cause);
  }
}
