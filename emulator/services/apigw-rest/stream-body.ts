import type { Clock, Timer } from '../../core/clock.ts';
import { ConnectionDropped } from '../../core/http.ts';
import type { LimitName } from '../../core/limits.ts';
import type { Log } from '../../core/log.ts';
import type { Trace } from '../../core/trace.ts';
import type { InvokeStream } from '../lambda-runtime/types.ts';

/**
 * The body of a REST STREAM response once its head went out (reference §2.12): the function's chunks,
 * each handed to the listener as it arrives, under API Gateway's stream limits, all on the emulated clock:
 * - the first `uncappedBytes` go at once, the rest at `bytesPerSecond`, cut into slices of an eighth of
 *   a second's worth so the client sees a steady rate rather than whole chunks held back;
 * - `idleMs` with no byte from the function, or the stream lasting past `deadline`, cuts it;
 * - a function error after the head cuts it too: the status is already sent, so no 5xx is possible.
 * [choice] A cut destroys the connection (HTTP/1.1 socket closed before the terminating chunk, HTTP/2
 * stream reset) rather than ending the body cleanly, so a client can tell a truncated body from a whole
 * one. AWS documents only that the client gets a truncated response.
 * A cut, and a client that leaves, abort the invocation: the function runs on, as AWS warns it may.
 */

export interface StreamBodyOptions {
  api: string;
  requestId: string;
  functionName: string;
  clock: Clock;
  trace: Trace;
  log: Log;
  idleMs: number;
  idleLimit: LimitName;
  /** Emulated epoch ms past which the stream is cut (the 15-minute maximum, from the invoke). */
  deadline: number;
  uncappedBytes: number;
  bytesPerSecond: number;
}

type CutReason = 'idle' | 'duration' | 'function-error' | 'client-gone';

const STOPPED = Symbol('stopped');
const SLICES_PER_SECOND = 8;

export class StreamBody implements AsyncIterableIterator<Buffer> {
  private readonly source: AsyncIterator<Buffer>;
  private readonly sliceBytes: number;
  /** Bytes taken from the function but not yet sent (the rest of a chunk being paced). */
  private carry: Buffer | undefined;
  private sent = 0;
  private seq = 0;
  /** When the paced link is free again (emulated ms); undefined until the uncapped bytes are spent. */
  private linkFreeAt: number | undefined;
  private cut: CutReason | undefined;
  private finished = false;
  private halt!: () => void;
  private readonly halted: Promise<typeof STOPPED>;
  private readonly durationTimer: Timer;

  constructor(
    private readonly invocation: InvokeStream,
    private readonly o: StreamBodyOptions,
  ) {
    this.source = invocation.chunks[Symbol.asyncIterator]();
    this.sliceBytes = Math.max(1, Math.floor(o.bytesPerSecond / SLICES_PER_SECOND));
    this.halted = new Promise((resolve) => (this.halt = () => resolve(STOPPED)));
    this.durationTimer = o.clock.setTimer(Math.max(0, o.deadline - o.clock.now()), () => this.stop('duration'));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    if (this.cut || this.finished) return this.end();
    let bytes = this.carry;
    this.carry = undefined;
    if (!bytes) {
      // Idle time counts only while waiting on the function, not while the client drains what it has.
      const idle = this.o.clock.setTimer(this.o.idleMs, () => this.stop('idle'));
      const pulled = await Promise.race([this.source.next(), this.halted]);
      idle.cancel();
      if (this.cut || pulled === STOPPED) return this.end();
      if (pulled.done) return this.complete();
      bytes = pulled.value;
    }
    const { slice, dueAt } = this.pace(bytes);
    const wait = dueAt - this.o.clock.now();
    if (wait > 0) {
      let timer: Timer | undefined;
      const due = new Promise<void>((resolve) => (timer = this.o.clock.setTimer(wait, resolve)));
      await Promise.race([due, this.halted]);
      timer?.cancel();
      if (this.cut) return this.end();
    }
    this.sent += slice.length;
    this.o.trace.record('gateway.stream.chunk', { api: this.o.api, requestId: this.o.requestId, bytes: slice.length, chunk: ++this.seq });
    return { done: false, value: slice };
  }

  /** The listener calls this when the client went away. */
  async return(): Promise<IteratorResult<Buffer>> {
    if (!this.cut && !this.finished) this.stop('client-gone');
    return { done: true, value: undefined };
  }

  /** What to send next and when: a leaky bucket whose burst is one slice, so a late pull loses no time. */
  private pace(bytes: Buffer): { slice: Buffer; dueAt: number } {
    const now = this.o.clock.now();
    const uncappedLeft = this.o.uncappedBytes - this.sent;
    if (uncappedLeft > 0) {
      if (bytes.length > uncappedLeft) this.carry = bytes.subarray(uncappedLeft);
      return { slice: bytes.subarray(0, uncappedLeft), dueAt: now };
    }
    if (this.linkFreeAt === undefined) {
      this.linkFreeAt = now;
      this.o.trace.record('limit.hit', { limit: 'restStreamUncappedBytes', api: this.o.api, functionName: this.o.functionName, detail: `request ${this.o.requestId}: ${this.o.uncappedBytes} bytes sent; the rest at ${this.o.bytesPerSecond} bytes/s` });
    }
    const slice = bytes.length > this.sliceBytes ? bytes.subarray(0, this.sliceBytes) : bytes;
    if (slice.length < bytes.length) this.carry = bytes.subarray(slice.length);
    const sliceMs = (this.sliceBytes * 1000) / this.o.bytesPerSecond;
    const start = Math.max(this.linkFreeAt, now - sliceMs);
    this.linkFreeAt = start + (slice.length * 1000) / this.o.bytesPerSecond;
    return { slice, dueAt: this.linkFreeAt };
  }

  private stop(reason: CutReason): void {
    if (this.cut || this.finished) return;
    this.cut = reason;
    this.durationTimer.cancel();
    this.halt();
    if (reason === 'idle' || reason === 'duration') {
      const limit: LimitName = reason === 'idle' ? this.o.idleLimit : 'restStreamIntegrationTimeoutMaxMs';
      this.o.trace.record('limit.hit', { limit, api: this.o.api, functionName: this.o.functionName, detail: `request ${this.o.requestId}: stream cut after ${this.sent} bytes` });
      this.o.log.debug(`Failed to finish the streamed response of ${this.o.functionName} on REST API "${this.o.api}": ${reason === 'idle' ? `no byte for ${this.o.idleMs} ms` : 'the stream reached its maximum duration'}. API Gateway cuts the stream; the function runs on.`);
    }
    if (reason !== 'function-error') this.invocation.abort();
  }

  /** The function's chunks ended: a whole body if it succeeded, a cut one if it failed mid-stream. */
  private async complete(): Promise<IteratorResult<Buffer>> {
    const end = await this.invocation.done;
    if (end.kind === 'success') {
      this.finished = true;
      this.durationTimer.cancel();
      return { done: true, value: undefined };
    }
    if (end.kind === 'function-error') {
      this.o.log.debug(`Failed to finish the streamed response of ${this.o.functionName} on REST API "${this.o.api}": ${end.error.errorType}: ${end.error.errorMessage}. The client gets the ${this.sent} bytes already sent.`);
    }
    this.stop('function-error');
    return this.end();
  }

  private end(): IteratorResult<Buffer> {
    if (this.cut && this.cut !== 'client-gone') throw new ConnectionDropped(`REST stream cut (${this.cut})`);
    return { done: true, value: undefined };
  }
}
