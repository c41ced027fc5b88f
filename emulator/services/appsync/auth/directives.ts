import { isInterfaceType, isObjectType, Kind, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';
import type { Principal } from './identity.ts';
import type { AuthModeType } from './options.ts';

/** The directive that lets each mode reach a type or field (reference §1.8). */
const DIRECTIVE_OF: Record<AuthModeType, string> = {
  API_KEY: 'aws_api_key',
  AWS_IAM: 'aws_iam',
  OPENID_CONNECT: 'aws_oidc',
  AWS_LAMBDA: 'aws_lambda',
  AMAZON_COGNITO_USER_POOLS: 'aws_cognito_user_pools',
};

/** A type's or field's auth directives: the modes they name, and Cognito's group list when it has one. */
interface Rule {
  modes: Set<AuthModeType>;
  /** undefined: any signed-in Cognito user; otherwise one of these groups. */
  cognitoGroups: string[] | undefined;
}

/**
 * Which configured modes may reach each `Type.field`, from the schema's directives, as
 * security-authz.html defines multi-auth: a field's auth directives replace its type's; a type's apply
 * to each of its fields; with neither, only the default mode may reach the field. Directives naming a
 * mode the API does not have are ignored (our choice: AppSync refuses such a schema at deploy time,
 * which the emulator does not repeat). `@aws_auth(cognito_groups)`, the legacy directive, counts only
 * when Cognito is the API's sole mode, as documented.
 */
export class DirectiveRules {
  private readonly cache = new Map<string, Rule>();
  private readonly configured: Set<AuthModeType>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly modes: AuthModeType[],
  ) {
    this.configured = new Set(modes);
  }

  /** Whether `principal` may read `Type.field`: its mode's directive, its Cognito groups, and a Lambda authorizer's deniedFields. */
  allows(principal: Principal, typeName: string, fieldName: string): boolean {
    if (principal.deniedFields.has(`${typeName}.${fieldName}`)) return false;
    const rule = this.rule(typeName, fieldName);
    if (!rule.modes.has(principal.mode)) return false;
    if (principal.mode !== 'AMAZON_COGNITO_USER_POOLS' || rule.cognitoGroups === undefined) return true;
    return rule.cognitoGroups.some((g) => principal.groups.includes(g));
  }

  private rule(typeName: string, fieldName: string): Rule {
    const key = `${typeName}.${fieldName}`;
    let rule = this.cache.get(key);
    if (!rule) this.cache.set(key, (rule = this.build(typeName, fieldName)));
    return rule;
  }

  private build(typeName: string, fieldName: string): Rule {
    const type = this.schema.getType(typeName);
    const nodes = isObjectType(type) || isInterfaceType(type) ? [type.astNode, ...type.extensionASTNodes] : [];
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
    return this.ruleOf(field?.astNode?.directives ?? []) ?? this.ruleOf(nodes.flatMap((n) => n?.directives ?? [])) ?? { modes: new Set([this.modes[0]!]), cognitoGroups: undefined };
  }

  /** The rule these directives make, or undefined when none of them is an auth directive for a configured mode. */
  private ruleOf(directives: readonly ConstDirectiveNode[]): Rule | undefined {
    const modes = new Set<AuthModeType>();
    let cognitoGroups: string[] | undefined;
    const soleCognito = this.modes.length === 1 && this.modes[0] === 'AMAZON_COGNITO_USER_POOLS';
    for (const directive of directives) {
      const name = directive.name.value;
      const mode = (Object.keys(DIRECTIVE_OF) as AuthModeType[]).find((m) => DIRECTIVE_OF[m] === name) ?? (name === 'aws_auth' && soleCognito ? 'AMAZON_COGNITO_USER_POOLS' : undefined);
      if (!mode || !this.configured.has(mode)) continue;
      modes.add(mode);
      if (mode === 'AMAZON_COGNITO_USER_POOLS') {
        const groups = directive.arguments?.find((a) => a.name.value === 'cognito_groups')?.value;
        if (groups?.kind === Kind.LIST) cognitoGroups = [...(cognitoGroups ?? []), ...groups.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []))];
      }
    }
    return modes.size > 0 ? { modes, cognitoGroups } : undefined;
  }
}
