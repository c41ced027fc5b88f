import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Field-by-field comparison of an event we build with one AWS captured: the same keys at every level
 * and the same JSON types, except under paths listed with the reason they differ.
 */
export function shapeDifferences(ours: unknown, theirs: unknown, known: Record<string, string>, path = ''): string[] {
  if (path in known) return [];
  const a = kind(ours);
  const b = kind(theirs);
  if (a !== b) return [`${path || '(root)'}: ours is ${a}, AWS's is ${b}`];
  if (a !== 'object') return [];
  const o = ours as Record<string, unknown>;
  const t = theirs as Record<string, unknown>;
  const out: string[] = [];
  for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) {
    const sub = path ? `${path}.${key}` : key;
    if (sub in known) continue;
    if (!(key in o)) out.push(`${sub}: missing from ours`);
    else if (!(key in t)) out.push(`${sub}: not in AWS's sample`);
    else out.push(...shapeDifferences(o[key], t[key], known, sub));
  }
  return out;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

const ROOT = join(import.meta.dirname, '../../..');

export function awsFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'fixtures/events/aws-lambda-go', name), 'utf8'));
}

/**
 * Our golden for an event. `UPDATE_GOLDENS=1 npx vitest run test/services/apigw-http` rewrites them after
 * a deliberate change; review the diff like code.
 */
export function golden(name: string, actual: unknown): unknown {
  const file = join(ROOT, 'fixtures/events/apigw-http', name);
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}
