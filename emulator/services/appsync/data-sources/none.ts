import type { DataSource } from './types.ts';
import { isRecord } from './types.ts';

/** NONE: `{payload?}` is handed back as `ctx.result` unchanged (reference §1.9, resolver-reference-none-js). */
export function noneDataSource(name = 'NONE'): DataSource {
  return {
    name,
    type: 'NONE',
    call: ({ request }) => Promise.resolve({ result: noneResult(request) }),
  };
}

/** Synchronous, for subscription resolvers at `start` (which AWS's docs pair with NONE). */
export function noneResult(request: unknown): unknown {
  return isRecord(request) && request.payload !== undefined ? request.payload : null;
}
