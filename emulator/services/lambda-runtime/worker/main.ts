import { parentPort, workerData } from 'node:worker_threads';
import type { FunctionError } from '../types.ts';
import type { MainToWorker, WorkerInit, WorkerToMain } from '../protocol.ts';
import { EventLoopWatch } from './event-loop.ts';
import { invokeBuffered } from './invoke-buffered.ts';
import { invokeStreaming } from './invoke-streaming.ts';
import type { Settle } from './invocation.ts';
import { loadHandler, type Handler } from './load-handler.ts';
import { captureOutput, LogSink } from './logs.ts';
import { PostedResponseStream } from './posted-response-stream.ts';
import { BufferedResponseStream, HANDLER_HIGHWATERMARK, installAwsLambdaGlobal, isStreamingHandler } from './response-stream.ts';
import { formatError, logError, UnhandledPromiseRejection } from './runtime-errors.ts';
import { installSdkFallback } from './sdk-fallback.ts';
import { installTime } from './time.ts';
import { trustCa } from './trust-ca.ts';

/**
 * One execution environment: the part of Lambda's Node.js runtime that lives in the sandbox. Sets up
 * what the handler sees (time, console, awslambda, the SDK), loads the handler (init), then runs one
 * invocation at a time as the main thread sends them.
 */

const port = parentPort!;
const init = workerData as WorkerInit;
const post = (message: WorkerToMain): void => port.postMessage(message);

const timeline = installTime(init.time);
installSdkFallback(init.runtimeDir);
if (init.trustedCaPem) trustCa(init.trustedCaPem);
const logs = new LogSink((entries) => post({ type: 'logs', entries }));
captureOutput(logs);
installAwsLambdaGlobal();
const watch = new EventLoopWatch(timeline);

let initialised = false;
/** After a fatal error the runtime would have exited: nothing more runs here. */
let dead = false;
let current: string | undefined;
/** The running streamed invocation's stream, which the main thread's acks are for. */
let posted: PostedResponseStream | undefined;

/** Lambda's runtime reports these against the current invocation, then exits (129 / 128). */
function fatal(label: string, error: unknown, report: FunctionError, exitCode: number): void {
  logError(label, error);
  logs.flush();
  if (!initialised) post({ type: 'init-error', error: report });
  else post({ type: 'fatal', requestId: current, error: report, exitCode });
  initialised = true;
  current = undefined;
  dead = true;
}
process.on('uncaughtException', (error) => fatal('Uncaught Exception', error, formatError(error), 129));
process.on('unhandledRejection', (reason) => {
  const error = new UnhandledPromiseRejection(reason as string);
  fatal('Unhandled Promise Rejection', error, formatError(error), 128);
});
// process.exit(): the main thread sees the exit code; send what was logged before it.
process.on('exit', () => logs.flush());

let handler: Handler;
let streaming = false;

async function start(): Promise<void> {
  // Listen first (messages wait in the port until then), so the baseline includes the port itself.
  port.on('message', onMessage);
  watch.captureBaseline();
  try {
    handler = await loadHandler(init.taskRoot, init.handler, init.runtimeDir);
    streaming = isStreamingHandler(handler);
  } catch (error) {
    // Init failed: report it and wait to be terminated (Lambda retries init in a fresh environment).
    fatal('Uncaught Exception', error, formatError(error), 129);
    return;
  }
  initialised = true;
  post({ type: 'ready' });
}

function onMessage(message: MainToWorker): void {
  if (message.type === 'time') {
    timeline?.advanceTo(message.now);
    return;
  }
  if (message.type === 'ack') {
    if (message.requestId === current) posted?.ack(message.bytes);
    return;
  }
  if (dead) return;
  const { requestId } = message;
  current = requestId;
  logs.requestId = requestId;
  let settled = false;
  const settle: Settle = (result) => {
    if (settled || current !== requestId) return;
    settled = true;
    current = undefined;
    posted = undefined;
    logs.flush();
    post('payload' in result ? { type: 'response', requestId, payload: result.payload, ...(result.streamed ? { streamed: result.streamed } : {}) } : { type: 'error', requestId, error: result.error });
  };
  const invocation = { handler, event: JSON.parse(message.event) as unknown, requestId, deadline: message.deadline, context: init.context, watch, settle };
  if (!streaming) invokeBuffered(invocation);
  else if (!message.stream) invokeStreaming(invocation, new BufferedResponseStream());
  else invokeStreaming(invocation, (posted = new PostedResponseStream(postChunk(requestId), highWaterMarkOf(handler))));
}

function postChunk(requestId: string) {
  return (bytes: Uint8Array, contentType: string | undefined): void => {
    if (current !== requestId) return;
    const message: WorkerToMain = { type: 'chunk', requestId, bytes, ...(contentType === undefined ? {} : { contentType }) };
    port.postMessage(message, [bytes.buffer as ArrayBuffer]);
  };
}

function highWaterMarkOf(fn: Handler): number | undefined {
  const value = (fn as unknown as Record<symbol, unknown>)[HANDLER_HIGHWATERMARK];
  return typeof value === 'number' && value > 0 ? value : undefined;
}

await start();
