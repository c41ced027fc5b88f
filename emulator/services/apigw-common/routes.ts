/**
 * Route keys as API Gateway writes them, `'METHOD /path'`, with `{param}`, greedy `{name+}` and `ANY`.
 * Matching follows AWS's "most specific wins": a static segment beats a parameter, a parameter beats a
 * greedy variable, an exact method beats `ANY`.
 */

type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface Route<T> {
  /** The key as configured, e.g. `GET /items/{id}`. */
  key: string;
  method: string;
  /** The resource template, e.g. `/items/{id}`. */
  resource: string;
  segments: Segment[];
  target: T;
}

export type RouteMatch<T> =
  | { kind: 'match'; route: Route<T>; pathParameters: Record<string, string> }
  /** A resource matched but not for this method. */
  | { kind: 'method-not-allowed' }
  | { kind: 'none' };

const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (\/[^\s]*)$/;

export function parseRouteKey(key: string): { method: string; resource: string } | undefined {
  const m = ROUTE_KEY.exec(key);
  if (!m) return undefined;
  return { method: m[1]!, resource: m[2]! };
}

export function compileRoute<T>(key: string, target: T): Route<T> {
  const parsed = parseRouteKey(key);
  if (!parsed) throw new Error(`Invalid route key "${key}"`);
  const parts = parsed.resource === '/' ? [] : parsed.resource.slice(1).split('/');
  const segments: Segment[] = parts.map((part, i) => {
    const greedy = /^\{([A-Za-z0-9_.-]+)\+\}$/.exec(part);
    if (greedy) {
      if (i !== parts.length - 1) throw new Error(`Greedy path variable must be last in "${key}"`);
      return { kind: 'greedy', name: greedy[1]! };
    }
    const param = /^\{([A-Za-z0-9_.-]+)\}$/.exec(part);
    if (param) return { kind: 'param', name: param[1]! };
    return { kind: 'static', value: part };
  });
  return { key, method: parsed.method, resource: parsed.resource, segments, target };
}

/** Rank per segment: static 3, param 2, greedy 1 (greedy also matches the rest). */
function matchSegments(segments: Segment[], parts: string[]): { score: number[]; params: Record<string, string> } | undefined {
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.every((p) => p === '')) return undefined;
      params[seg.name] = rest.map(safeDecode).join('/');
      score.push(1);
      return { score, params };
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (seg.kind === 'static') {
      if (safeDecode(part) !== seg.value) return undefined;
      score.push(3);
    } else {
      params[seg.name] = safeDecode(part);
      score.push(2);
    }
  }
  return parts.length === segments.length ? { score, params } : undefined;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export class RouteTable<T> {
  readonly routes: Route<T>[];

  constructor(entries: Iterable<[string, T]>) {
    this.routes = [...entries].map(([key, target]) => compileRoute(key, target));
  }

  match(method: string, path: string): RouteMatch<T> {
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    const parts = trimmed === '/' || trimmed === '' ? [] : trimmed.slice(1).split('/');
    let best: { route: Route<T>; params: Record<string, string>; score: number[] } | undefined;
    let resourceMatched = false;
    for (const route of this.routes) {
      const m = matchSegments(route.segments, parts);
      if (!m) continue;
      resourceMatched = true;
      if (route.method !== method && route.method !== 'ANY') continue;
      const score = [...m.score, route.method === 'ANY' ? 0 : 1];
      if (!best || compareScores(score, best.score) > 0) best = { route, params: m.params, score };
    }
    if (best) return { kind: 'match', route: best.route, pathParameters: best.params };
    return resourceMatched ? { kind: 'method-not-allowed' } : { kind: 'none' };
  }
}
