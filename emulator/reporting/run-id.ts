import { randomBytes } from 'node:crypto';

/**
 * `YYYYMMDD-HHMMSS-<4 hex>` in UTC: sorts by start time as plain text (so `ls reports/` is a history),
 * and the random suffix keeps two runs started in the same second apart.
 */
export function newRunId(at: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const date = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}`;
  const time = `${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(at.getUTCSeconds())}`;
  return `${date}-${time}-${suffix}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;
