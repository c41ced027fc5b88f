/**
 * Structural comparison of an event we build with one AWS published: every key at every level, and
 * the JSON type of each value. Differences come back as a sorted list of strings so a test can state
 * exactly which ones it accepts, each with its reason.
 */

type JsonType = 'null' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'undefined';

function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as JsonType;
}

export function shapeDiff(ours: unknown, sample: unknown, path = '$'): string[] {
  const a = jsonType(ours);
  const b = jsonType(sample);
  if (a !== b) return [`type ${path}: ours ${a}, sample ${b}`];
  if (a === 'array') {
    const x = ours as unknown[];
    const y = sample as unknown[];
    return x.length > 0 && y.length > 0 ? shapeDiff(x[0], y[0], `${path}[0]`) : [];
  }
  if (a !== 'object') return [];
  const x = ours as Record<string, unknown>;
  const y = sample as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(x)) if (!(key in y)) out.push(`extra ${path}.${key}`);
  for (const key of Object.keys(y)) if (!(key in x)) out.push(`missing ${path}.${key}`);
  for (const key of Object.keys(x)) if (key in y) out.push(...shapeDiff(x[key], y[key], `${path}.${key}`));
  return out.sort();
}

/** Dotted paths whose values must be equal in both (what the request determines). */
export function valueDiff(ours: unknown, sample: unknown, paths: readonly string[]): string[] {
  const at = (root: unknown, path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), root);
  return paths.filter((p) => JSON.stringify(at(ours, p)) !== JSON.stringify(at(sample, p))).map((p) => `value ${p}: ours ${JSON.stringify(at(ours, p))}, sample ${JSON.stringify(at(sample, p))}`);
}
