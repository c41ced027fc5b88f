import type { ResolveContext } from '../execute.ts';

/**
 * A data source as APPSYNC_JS resolvers see it: the request object `request(ctx)` returned goes in,
 * `ctx.result` or `ctx.error` comes out (reference §1.9). A request object the data source cannot
 * read throws a ResolverError instead (the field fails before `response` runs).
 */
export interface DataSource {
  readonly name: string;
  readonly type: 'NONE' | 'AWS_LAMBDA' | 'AMAZON_BEDROCK_RUNTIME';
  call(call: DataSourceCall): Promise<DataSourceOutcome>;
}

export interface DataSourceCall {
  /** `Type.field` */
  field: string;
  request: unknown;
  context: ResolveContext;
}

export type DataSourceOutcome =
  /** `event`: an asynchronous Lambda invoke, not waited for. */
  | { result: unknown; traced?: 'event' }
  /** `timeout`: the data source's own limit passed (Bedrock's 10 s). */
  | { error: { message: string; type: string }; traced?: 'timeout' };

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
