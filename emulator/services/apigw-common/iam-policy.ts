/**
 * The subset of IAM policy evaluation API Gateway applies to a Lambda authorizer's `policyDocument`:
 * `Effect` Allow/Deny, `Action`/`NotAction` and `Resource`/`NotResource` with `*` and `?` wildcards.
 * An explicit Deny wins over any Allow; no matching Allow is an implicit deny.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 *
 * Not evaluated: `Condition` blocks (ignored, so a conditional statement applies unconditionally).
 * Matching is done without regular expressions so policies parsed from an authorizer response cost no
 * compilation on the request path.
 */

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
}

export interface PolicyDocument {
  statements: PolicyStatement[];
}

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Returns undefined when the document is not a usable policy (API Gateway answers 500 then). */
export function parsePolicyDocument(raw: unknown): PolicyDocument | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const rawStatements = (raw as Record<string, unknown>).Statement;
  const list = Array.isArray(rawStatements) ? rawStatements : rawStatements && typeof rawStatements === 'object' ? [rawStatements] : undefined;
  if (!list) return undefined;
  const statements: PolicyStatement[] = [];
  for (const s of list) {
    if (!s || typeof s !== 'object') return undefined;
    const st = s as Record<string, unknown>;
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return undefined;
    const statement: PolicyStatement = { effect: st.Effect };
    if ('Action' in st) statement.actions = stringList(st.Action);
    if ('NotAction' in st) statement.notActions = stringList(st.NotAction);
    if ('Resource' in st) statement.resources = stringList(st.Resource);
    if ('NotResource' in st) statement.notResources = stringList(st.NotResource);
    if (!statement.actions === !statement.notActions) return undefined;
    if (!statement.resources === !statement.notResources) return undefined;
    statements.push(statement);
  }
  return { statements };
}

export function evaluatePolicy(policy: PolicyDocument, action: string, resourceArn: string): PolicyDecision {
  let allowed = false;
  for (const s of policy.statements) {
    const actionHit = s.actions ? s.actions.some((a) => globMatch(a.toLowerCase(), action.toLowerCase())) : !s.notActions!.some((a) => globMatch(a.toLowerCase(), action.toLowerCase()));
    if (!actionHit) continue;
    const resourceHit = s.resources ? s.resources.some((r) => arnMatch(r, resourceArn)) : !s.notResources!.some((r) => arnMatch(r, resourceArn));
    if (!resourceHit) continue;
    if (s.effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** `*` matches any run of characters (also none), `?` exactly one. Case-sensitive. */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === '?' || (c !== undefined && c !== '*' && c === text[t])) {
      p++;
      t++;
    } else if (c === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Splits `arn:partition:service:region:account:resource` (the resource part may hold more colons). */
function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', start);
    if (colon === -1) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/**
 * IAM matches ARNs segment by segment, so a wildcard in the region never swallows the account, and a
 * pattern without all six segments matches no ARN (only a bare `*` matches everything).
 */
export function arnMatch(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!a) return globMatch(pattern, arn);
  if (!p) return false;
  for (let i = 0; i < 6; i++) if (!globMatch(p[i]!, a[i]!)) return false;
  return true;
}
