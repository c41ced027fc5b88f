import { splitUrl } from '../../core/http.ts';
import type { Route } from '../apigw-common/routes.ts';

/**
 * Pure parsing of the invoke URL (reference §2.1): `/{stage}/{resource path}?{query}`.
 * `path` keeps the client's percent-encoding, as REST APIs deliver it (live captures: REST, function
 * URLs and ALB preserve encoding; only HTTP APIs decode). Query strings are form-decoded, `+` included
 * (LocalStack's AWS snapshot: `?plus=test+alias` arrives as `test alias`).
 */

export interface InvokePath {
  /** The resource path without the stage, as sent: `/items/a%20b`. */
  path: string;
  rawQuery: string;
}

/** Undefined when the URL does not start with `/{stage}` (API Gateway: Missing Authentication Token). */
export function parseInvokeUrl(rawUrl: string, stage: string): InvokePath | undefined {
  const { path, rawQuery } = splitUrl(rawUrl);
  if (path.charCodeAt(0) !== 47 || !path.startsWith(stage, 1)) return undefined;
  const rest = path.slice(stage.length + 1);
  if (rest === '') return { path: '/', rawQuery };
  if (rest.charCodeAt(0) !== 47) return undefined;
  return { path: rest, rawQuery };
}

export interface QueryParameters {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
}

const NO_QUERY: QueryParameters = { single: null, multi: null };

/** A repeated name keeps its last value in `single` (documented `multivalueName` example). */
export function parseQuery(rawQuery: string): QueryParameters {
  if (rawQuery === '') return NO_QUERY;
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  let any = false;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (key === '__proto__') continue; // a plain object cannot hold it as a key
    any = true;
    single[key] = value;
    const list = multi[key];
    if (list) list.push(value);
    else multi[key] = [value];
  }
  return any ? { single, multi } : NO_QUERY;
}

/**
 * Path parameters from the raw (still encoded) path. The shared RouteTable decodes its parameters for
 * HTTP APIs; REST APIs hand them to the function as sent (serverless/serverless#5037: `%40` arrives as
 * `%40`), so they are cut again from the raw segments of the matched route.
 */
export function rawPathParameters(route: Route<unknown>, path: string): Record<string, string> | null {
  const segments = route.segments;
  if (segments.length === 0 || segments.every((s) => s.kind === 'static')) return null;
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const parts = trimmed.slice(1).split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === 'param') params[seg.name] = parts[i]!;
    else if (seg.kind === 'greedy') params[seg.name] = parts.slice(i).join('/');
  }
  return params;
}
