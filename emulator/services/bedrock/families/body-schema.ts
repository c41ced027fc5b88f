import { ValidationException } from '../errors.ts';

/**
 * The InvokeModel body checks Bedrock runs before a model sees the request, worded as Bedrock words
 * them [O]: every violation as `#<pointer>: <message>` (JSON-pointer paths, everit-json-schema's
 * phrasing), concatenated with no separator, inside the malformed-input sentence, e.g.
 *
 *   Malformed input request: #: required key [max_tokens] not found#: extraneous key [foo] is not permitted, please reformat your input and try again.
 *
 * Seen in GitHub issues for Claude, Llama, Nova and Cohere bodies (langchain-ai/langchain#23352,
 * ogx-ai/ogx#1102, promptfoo/promptfoo#921, rollwagen/bods#51). Required keys come first, then
 * extraneous keys in body order, then wrong types, as in those captures.
 */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface ObjectSpec {
  /** In the order Bedrock reports missing keys. */
  required?: readonly string[];
  /** Every permitted key and the type(s) it may take. */
  properties: Readonly<Record<string, JsonType | readonly JsonType[]>>;
}

export type Body = Record<string, unknown>;

/** Violations of one object against its spec; `pointer` is `#` for the body, `#/a/0` below it. */
export function objectViolations(value: Body, spec: ObjectSpec, pointer = '#'): string[] {
  const out: string[] = [];
  for (const key of spec.required ?? []) if (!(key in value)) out.push(`${pointer}: required key [${key}] not found`);
  for (const key of Object.keys(value)) if (!Object.hasOwn(spec.properties, key)) out.push(`${pointer}: extraneous key [${key}] is not permitted`);
  for (const [key, allowed] of Object.entries(spec.properties)) {
    if (!(key in value)) continue;
    const violation = typeViolation(value[key], allowed, `${pointer}/${key}`);
    if (violation) out.push(violation);
  }
  return out;
}

/** `#/max_tokens: expected type: Integer, found: String`, or undefined when the type fits. */
export function typeViolation(value: unknown, allowed: JsonType | readonly JsonType[], pointer: string): string | undefined {
  const types = typeof allowed === 'string' ? [allowed] : allowed;
  if (types.some((type) => fits(value, type))) return undefined;
  // everit names Java classes: JSONObject, JSONArray, String, Integer, Number, Boolean.
  return `${pointer}: expected type: ${types.map(javaName).join(' or ')}, found: ${javaName(jsonType(value))}`;
}

function fits(value: unknown, type: JsonType): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return jsonType(value) === type || (type === 'number' && jsonType(value) === 'integer');
}

function jsonType(value: unknown): JsonType | 'null' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

const JAVA_NAMES: Record<JsonType | 'null', string> = {
  string: 'String',
  integer: 'Integer',
  number: 'Number',
  boolean: 'Boolean',
  array: 'JSONArray',
  object: 'JSONObject',
  null: 'Null',
};

function javaName(type: JsonType | 'null'): string {
  return JAVA_NAMES[type];
}

/** The ValidationException for a list of violations (at least one). */
export function malformed(violations: readonly string[]): ValidationException {
  return new ValidationException(`Malformed input request: ${violations.join('')}, please reformat your input and try again.`);
}

/** Throws the ValidationException when there is any violation. */
export function assertValid(violations: readonly string[]): void {
  if (violations.length > 0) throw malformed(violations);
}

/** The body must be a JSON object; anything else gets the plain malformed-input message. */
export function asObject(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationException();
  return body as Body;
}

export function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
