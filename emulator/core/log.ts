/**
 * One logger for the whole emulator. Messages follow one template:
 * `Failed to <action>: <cause>. <what to do>.` Tests pass a `MemoryLog` and assert the full text.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Log {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function consoleLog(level: LogLevel = 'info', prefix = '[genai-offline]'): Log {
  const at = (l: LogLevel) => (message: string) => {
    if (ORDER[l] < ORDER[level]) return;
    const line = `${prefix} ${message}`;
    if (l === 'error' || l === 'warn') process.stderr.write(`${line}\n`);
    else process.stdout.write(`${line}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface MemoryLog extends Log {
  readonly lines: Array<{ level: LogLevel; message: string }>;
}

export function memoryLog(): MemoryLog {
  const lines: Array<{ level: LogLevel; message: string }> = [];
  const at = (level: LogLevel) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
