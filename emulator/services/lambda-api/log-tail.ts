import type { Trace } from '../../core/trace.ts';
import { FUNCTION_VERSION } from '../lambda-runtime/names.ts';

/** `X-Amz-Log-Result` / `InvokeComplete.LogResult` carry the last 4 KB of the invocation's log (API_Invoke.html). */
export const LOG_TAIL_BYTES = 4096;

/**
 * Collects one invocation's log while it runs, from the trace: the handler's lines (`lambda.log`)
 * between the platform's START, END and REPORT lines, which Lambda writes to the same stream.
 * Start it before invoking with a known request id; `result()` once the invocation has ended.
 */
export function tailLog(trace: Trace, requestId: string, memorySizeMb: number | undefined): { result(): string } {
  const lines: string[] = [];
  let durationMs: number | undefined;
  let status = '';
  const off = trace.subscribe((event) => {
    if (!('requestId' in event) || event.requestId !== requestId) return;
    if (event.type === 'lambda.invoke.start') lines.push(`START RequestId: ${requestId} Version: ${FUNCTION_VERSION}`);
    else if (event.type === 'lambda.log') lines.push(event.text);
    else if (event.type === 'lambda.invoke.end') {
      durationMs = event.durationMs;
      if (event.outcome === 'timeout') status = '\tStatus: timeout';
    }
  });
  return {
    result() {
      off();
      if (durationMs !== undefined) {
        lines.push(`END RequestId: ${requestId}`);
        // [choice] Max Memory Used and Init Duration are left out: the emulator measures neither.
        const memory = memorySizeMb === undefined ? '' : `\tMemory Size: ${memorySizeMb} MB`;
        lines.push(`REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(durationMs))} ms${memory}${status}\t`);
      }
      const bytes = Buffer.from(lines.map((line) => `${line}\n`).join(''), 'utf8');
      return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
    },
  };
}
