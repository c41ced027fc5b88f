import { format } from 'node:util';
import type { LogEntry } from '../protocol.ts';
import { real } from './real-time.ts';

/**
 * The handler's output, as Lambda's Node.js runtime formats it: console methods become one line each,
 * `<ISO time>\t<requestId>\t<LEVEL>\t<message>` (requestId `undefined` during init, as on Lambda);
 * direct writes to process.stdout/stderr pass through as they are, split into lines.
 * Lines are batched and posted once per event-loop turn, so a chatty handler costs the main thread one
 * message per batch rather than one per line.
 */

const BATCH_MAX = 500;

const CONSOLE_LEVELS = { log: 'INFO', info: 'INFO', debug: 'DEBUG', warn: 'WARN', error: 'ERROR', trace: 'TRACE', fatal: 'FATAL' } as const;

export class LogSink {
  requestId: string | undefined;
  private entries: LogEntry[] = [];
  private scheduled = false;
  private readonly partial = { stdout: '', stderr: '' };

  constructor(private readonly post: (entries: LogEntry[]) => void) {}

  line(stream: LogEntry['stream'], text: string): void {
    this.entries.push({ requestId: this.requestId, stream, text });
    if (this.entries.length >= BATCH_MAX) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      real.setImmediate(() => this.flush()).unref();
    }
  }

  write(stream: LogEntry['stream'], chunk: string): void {
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const text of lines) this.line(stream, text);
  }

  /** Sends everything written so far, including a line still waiting for its newline. */
  flush(): void {
    this.scheduled = false;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] === '') continue;
      this.line(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
    if (this.entries.length === 0) return;
    const batch = this.entries;
    this.entries = [];
    this.post(batch);
  }
}

export function captureOutput(sink: LogSink): void {
  const c = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    c[method] = (message?: unknown, ...params: unknown[]) => {
      sink.line('stdout', `${new Date().toISOString()}\t${sink.requestId}\t${level}\t${format(message, ...params)}`);
    };
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const target = process[stream] as unknown as { write: (...args: unknown[]) => boolean };
    target.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
      sink.write(stream, typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => done(null));
      return true;
    };
  }
}
