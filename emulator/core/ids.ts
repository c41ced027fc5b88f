import { createHash, randomFillSync, randomUUID } from 'node:crypto';

/** AWS-format identifiers. Random unless a test passes its own generator. */

// Ids are minted on every request: drawing from a pool refilled 4 KB at a time costs a fraction of a
// crypto call per id (randomBytes per id measured ~5 us here).
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

export function randomBytes(size: number): Buffer {
  if (size > POOL.length) return randomFillSync(Buffer.alloc(size));
  if (poolOffset + size > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const out = Buffer.from(POOL.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return out;
}

export const requestId = (): string => randomUUID();

/** `x-amz-apigw-id` / `extendedRequestId`: 11 random bytes in base64, e.g. `BQGojGa0IAMFR8g=`. */
export const extendedRequestId = (): string => randomBytes(11).toString('base64');

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A lowercase alphanumeric id like API Gateway's `apiId` (10 chars) or `resourceId` (6 chars). */
export function shortId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i]! % ALNUM.length];
  return out;
}

/**
 * A stable id derived from the whole seed (an API keeps its id across restarts, so URLs in docs stay
 * valid; every resource of one API gets its own).
 */
export function stableId(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[digest[i % digest.length]! % ALNUM.length];
  return out;
}

/** X-Ray trace header value: `Root=1-<epoch seconds hex8>-<hex24>`. */
export function traceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}

/** Lambda log stream name: `2026/11/24/[$LATEST]<32 hex>`. */
export function logStreamName(epochMs: number, version = '$LATEST'): string {
  const d = new Date(epochMs);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Common Log Format time as API Gateway writes it: `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
