import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';
import { EarlyReturnSignal, NotEmulatedError, UnauthorizedSignal, UtilErrorSignal } from './signals.ts';
import { strict } from './strict.ts';
import { toSubscriptionFilter, type SubscriptionFilter } from './subscription-filter.ts';
import { formatTime } from './time-format.ts';

/**
 * The emulator's `@aws-appsync/utils`: `util`, `extensions` and `runtime` as AWS documents them
 * (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-util-reference-js.html). Time comes
 * from the emulator's clock. Anything not here throws NotEmulatedError naming it (strict.ts).
 */

export interface AppendedError {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

/** One handler call's side effects: what `util.appendError` and `extensions.setSubscriptionFilter` leave. */
export interface Invocation {
  appended: AppendedError[];
  /** Whether `extensions.setSubscriptionFilter` may be called (a subscription resolver's response). */
  subscription: boolean;
  filter?: SubscriptionFilter;
}

/** The invocation running now. APPSYNC_JS is synchronous, so one slot per loaded file is enough. */
export interface InvocationSlot {
  current: Invocation | undefined;
}

const isNull = (v: unknown): boolean => v === null || v === undefined;
const isNullOrEmpty = (v: unknown): boolean => isNull(v) || v === '';
const isNullOrBlank = (v: unknown): boolean => isNull(v) || (typeof v === 'string' && v.trim() === '');
const optional = (v: unknown): string | null => (isNull(v) ? null : String(v));

/** `application/x-www-form-urlencoded`, as Java's URLEncoder (AppSync's): space is `+`, `!'()~` are escaped. */
function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function createUtils(clock: Clock, slot: InvocationSlot): { util: object; extensions: object; runtime: object } {
  const active = (what: string): Invocation => {
    if (!slot.current) throw new Error(`${what} can only be called inside request or response`);
    return slot.current;
  };
  const time = {
    nowISO8601: () => new Date(clock.now()).toISOString(),
    nowEpochSeconds: () => Math.floor(clock.now() / 1000),
    nowEpochMilliSeconds: () => clock.now(),
    nowFormatted: (format: string, timezone?: string) => formatTime(clock.now(), format, timezone),
    epochMilliSecondsToISO8601: (ms: number) => new Date(ms).toISOString(),
    epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
    epochMilliSecondsToFormatted: (ms: number, format: string, timezone?: string) => formatTime(ms, format, timezone),
  };
  const util = {
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      throw new UtilErrorSignal(String(message), optional(errorType), data ?? null, errorInfo ?? null);
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      active('util.appendError').appended.push({ message: String(message), errorType: optional(errorType), data: data ?? null, errorInfo: errorInfo ?? null });
    },
    unauthorized(): never {
      throw new UnauthorizedSignal();
    },
    autoId: () => randomUUID(),
    autoUlid: (): never => {
      throw new NotEmulatedError('util.autoUlid');
    },
    isNull,
    isNullOrEmpty,
    isNullOrBlank,
    defaultIfNull: (v: unknown, d: unknown) => (isNull(v) ? d : v),
    defaultIfNullOrEmpty: (v: unknown, d: unknown) => (isNullOrEmpty(v) ? d : v),
    defaultIfNullOrBlank: (v: unknown, d: unknown) => (isNullOrBlank(v) ? d : v),
    isString: (v: unknown) => typeof v === 'string',
    isNumber: (v: unknown) => typeof v === 'number',
    isBoolean: (v: unknown) => typeof v === 'boolean',
    isList: (v: unknown) => Array.isArray(v),
    isMap: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v),
    base64Encode: (text: string) => Buffer.from(String(text), 'utf8').toString('base64'),
    base64Decode: (text: string) => Buffer.from(String(text), 'base64').toString('utf8'),
    urlEncode: (text: string) => urlEncode(String(text)),
    urlDecode: (text: string) => decodeURIComponent(String(text).replace(/\+/g, ' ')),
    escapeJavaScript: (text: string) => JSON.stringify(String(text)).slice(1, -1),
    time: strict('util.time', time),
    transform: strict('util.transform', { toSubscriptionFilter }),
  };
  const extensions = {
    setSubscriptionFilter(filter: SubscriptionFilter): void {
      const invocation = active('extensions.setSubscriptionFilter');
      // AWS: "only in the response handler of a subscription resolver".
      if (!invocation.subscription) throw new Error('extensions.setSubscriptionFilter can only be used in the response handler of a subscription resolver');
      invocation.filter = filter;
    },
  };
  const runtime = {
    earlyReturn(value?: unknown): never {
      throw new EarlyReturnSignal(value ?? null);
    },
  };
  return { util: strict('util', util), extensions: strict('extensions', extensions), runtime: strict('runtime', runtime) };
}
