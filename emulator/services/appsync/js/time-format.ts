import { NotEmulatedError } from './signals.ts';

/**
 * `util.time.nowFormatted(format, timezone?)` and `epochMilliSecondsToFormatted`: the Java
 * DateTimeFormatter letters AppSync resolvers use (y M d H h m s S a Z X E and 'quoted' text).
 * Other letters throw, naming the pattern, rather than print something Java would not.
 */
export function formatTime(epochMs: number, format: string, timeZone = 'UTC'): string {
  const parts = zonedParts(epochMs, timeZone);
  let out = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === "'") {
      const end = format.indexOf("'", i + 1);
      out += end === i + 1 ? "'" : format.slice(i + 1, end === -1 ? undefined : end);
      i = end === -1 ? format.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    out += field(c, n, parts, format);
    i += n;
  }
  return out;
}

interface Parts { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number; offsetMin: number; weekday: number }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function field(c: string, n: number, p: Parts, format: string): string {
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  switch (c) {
    case 'y':
    case 'u':
      return n === 2 ? pad(p.year % 100, 2) : pad(p.year, n);
    case 'M':
      return n >= 4 ? MONTHS[p.month - 1]! : n === 3 ? MONTHS[p.month - 1]!.slice(0, 3) : pad(p.month, n);
    case 'd':
      return pad(p.day, n);
    case 'H':
      return pad(p.hour, n);
    case 'h':
      return pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n);
    case 'm':
      return pad(p.minute, n);
    case 's':
      return pad(p.second, n);
    case 'S':
      return pad(p.ms, 3).slice(0, n).padEnd(n, '0');
    case 'a':
      return p.hour < 12 ? 'AM' : 'PM';
    case 'E':
      return n >= 4 ? DAYS[p.weekday]! : DAYS[p.weekday]!.slice(0, 3);
    case 'Z':
      return offset(p.offsetMin, n >= 5, false);
    case 'X':
      return p.offsetMin === 0 ? 'Z' : offset(p.offsetMin, n >= 3, n === 1);
    default:
      throw new NotEmulatedError(`util.time format letter "${c}" in "${format}"`);
  }
}

function offset(minutes: number, colon: boolean, hoursOnly: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return hoursOnly ? `${sign}${hh}` : `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

function zonedParts(epochMs: number, timeZone: string): Parts {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}"`);
  }
  const get = (type: string) => Number(format.formatToParts(epochMs).find((x) => x.type === type)?.value ?? 0);
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map(get) as [number, number, number, number, number, number];
  const ms = ((epochMs % 1000) + 1000) % 1000;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return { year, month, day, hour, minute, second, ms, offsetMin: Math.round((asUtc - epochMs) / 60_000), weekday: new Date(asUtc).getUTCDay() };
}
