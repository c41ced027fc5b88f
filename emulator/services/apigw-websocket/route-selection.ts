/**
 * Route selection (websocket-api-develop-routes): `$request.body.<path>` or a template mixing static
 * text and `${request.body.<path>}` parts (`${request.body.service}/${request.body.action}` ->
 * `chat/join`). Paths are dot-separated keys into the message JSON; a missing value is `""`, other
 * values are stringified (objects as JSON). A message that is not JSON, or whose JSON is not an object,
 * has no route key and goes to `$default` (reference §4.3).
 */
export type Selector = (body: string) => string | undefined;

const SINGLE = /^\$request\.body\.(.+)$/;
const PART = /\$\{request\.body\.([^}]+)\}/g;

export function compileRouteSelection(expression: string): Selector {
  const single = SINGLE.exec(expression);
  if (single) {
    const path = single[1]!.split('.');
    return (body) => {
      const json = parseObject(body);
      return json === undefined ? undefined : stringify(lookup(json, path));
    };
  }
  return (body) => {
    const json = parseObject(body);
    if (json === undefined) return undefined;
    return expression.replace(PART, (_, path: string) => stringify(lookup(json, path.split('.'))));
  };
}

function parseObject(body: string): object | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function lookup(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
