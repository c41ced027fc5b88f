import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** What a recording is filed and matched under. */
export interface RequestIdentity {
  /** AWS's operation name, or `Other` for a path this table does not know (it is still forwarded). */
  operation: string;
  /** The decoded model id, or `<guardrail>:<version>` for ApplyGuardrail; '' when the path names none. */
  modelId: string;
}

const MODEL_OPERATIONS: Readonly<Record<string, string>> = {
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  'count-tokens': 'CountTokens',
};

/** Names the operation from the path (reference 4.1) without rejecting anything: upstream decides. */
export function identify(path: string): RequestIdentity {
  const model = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(path);
  if (model) return { operation: MODEL_OPERATIONS[model[2]!] ?? 'Other', modelId: safeDecode(model[1]!) };
  const guardrail = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/.exec(path);
  if (guardrail) return { operation: 'ApplyGuardrail', modelId: `${safeDecode(guardrail[1]!)}:${safeDecode(guardrail[2]!)}` };
  return { operation: 'Other', modelId: '' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The request's parts that decide Bedrock's answer; of the headers only `x-amzn-bedrock-*` count. */
export interface CanonicalRequest {
  method: string;
  /** As sent (percent-encoded); decoded here so `%3A` and `:` file the same. */
  path: string;
  headers: Record<string, string>;
  body: BodyValue;
}

/** JSON bodies are compared as values (key order and spacing ignored); anything else by its bytes. */
export type BodyValue = { json: unknown } | { base64: string };

export function bodyValue(bytes: Buffer): BodyValue {
  if (bytes.length === 0) return { base64: '' };
  try {
    return { json: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { base64: bytes.toString('base64') };
  }
}

/**
 * sha256 of method, decoded path, bedrock headers and canonical body. The `x-amzn-bedrock-*` headers
 * count because guardrail and latency settings on InvokeModel travel there and change the answer.
 */
export function requestKey(request: CanonicalRequest): string {
  const decodedPath = request.path.split('/').map(safeDecode).join('/');
  const names = Object.keys(request.headers).filter((name) => name.toLowerCase().startsWith('x-amzn-bedrock-')).sort();
  const headers = names.map((name) => [name.toLowerCase(), request.headers[name]]);
  return createHash('sha256').update(canonicalJson([request.method.toUpperCase(), decodedPath, headers, request.body])).digest('hex');
}

/** JSON with object keys sorted at every depth, so equal values serialise to equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `<dir>/<Operation>/<model-slug>-<12 hex>.json`: readable in a file list, unique per request. */
export function recordingFile(dir: string, identity: RequestIdentity, key: string): string {
  const slug = identity.modelId.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'no-model';
  return join(dir, identity.operation, `${slug}-${key.slice(0, 12)}.json`);
}

/** How far apart two bodies are: differing leaves, and the first one's JSON path for the message. */
export function bodyDifference(a: BodyValue, b: BodyValue): { count: number; first?: string } {
  const out: { count: number; first?: string } = { count: 0 };
  walk('json' in a ? a.json : a, 'json' in b ? b.json : b, '$', out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, out: { count: number; first?: string }): void {
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    if (canonicalJson(a) !== canonicalJson(b)) {
      out.count++;
      out.first ??= path;
    }
    return;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  if (!Array.isArray(a)) keys.sort();
  for (const k of keys) walk(ra[k], rb[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out);
}
