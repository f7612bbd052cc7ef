/**
 * Contracts + sharing classes → a graphql-shield rule tree with `fallbackRule: deny`. One rule per field
 * coordinate, evaluated on the caller alone (`cache: 'contextual'`: it never reads the parent), so the
 * gateway can run it before planning and a department can run the same rules on its own schema.
 * Row rules (region, case, the operator's own data) need the data and run in the result gate.
 */
import { GraphQLError, isObjectType, type GraphQLSchema } from 'graphql';
import { allow, rule, type IRules } from 'graphql-shield';
import type { AccessCaller, AccessDecision, AccessDenial, AccessPolicy } from './access-policy';

/** A rule or a logic rule (allow, deny…): what a rule tree maps each field to. */
export type ShieldRule = Extract<IRules, { resolve: unknown }>;

export interface RuleContext {
  caller: AccessCaller;
  /** The moment validity dates are judged at (tests move it). */
  now?: Date;
  /** Filled by the rules: the decision for each coordinate (the access gate gives them in its outcome). */
  decisions?: Map<string, AccessDecision>;
}

export interface RuleTreeOptions {
  /** Fields allowed whatever the contract (a department's federation fields). */
  alwaysAllow?: (coordinate: string) => boolean;
  /**
   * Fields a contract need not grant by themselves (a department's keys and the paths to its rows'
   * regions and owners, which the gateway joins and checks rows on): allowed to a caller granted any of
   * the coordinates given, refused to any other.
   */
  supportedBy?: (coordinate: string) => readonly string[] | undefined;
}

/** A rule's refusal of a coordinate: its code, and the purposes that would grant it when a purpose would. */
function refusal(denial: AccessDenial, coordinate: string): GraphQLError {
  return new GraphQLError(denial.reason, { extensions: { code: denial.code, coordinate, ...(denial.purposes && { purposes: denial.purposes }) } });
}

function grantRule(policy: AccessPolicy, coordinate: string): ShieldRule {
  return rule(`grant:${coordinate}`, { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: RuleContext) => {
    const decision = policy.decide(ctx.caller, coordinate, ctx.now ?? new Date());
    ctx.decisions?.set(coordinate, decision);
    return decision.allowed ? true : refusal(decision, coordinate);
  });
}

function supportRule(policy: AccessPolicy, coordinate: string, supporters: readonly string[]): ShieldRule {
  return rule(`support:${coordinate}`, { cache: 'contextual' })((_parent: unknown, _args: unknown, ctx: RuleContext) => {
    const now = ctx.now ?? new Date();
    // A caller granted the field itself reads it as granted, mask included.
    const own = policy.decide(ctx.caller, coordinate, now);
    if (own.allowed) {
      ctx.decisions?.set(coordinate, own);
      return true;
    }
    const decisions = supporters.map((supporter) => policy.decide(ctx.caller, supporter, now));
    const opening = decisions.filter((decision): decision is Extract<AccessDecision, { allowed: true }> => decision.allowed);
    if (opening.length > 0) {
      // Read for the rows of those grants, it is bound as they are: to the operator's own data, to the case.
      ctx.decisions?.set(coordinate, {
        allowed: true,
        purpose: opening[0]!.purpose,
        operatorBound: opening.some((decision) => decision.operatorBound),
        caseBound: opening.some((decision) => decision.caseBound),
      });
      return true;
    }
    // A supporter that a purpose or a case would open says so: that is what the caller can act on.
    const actionable = decisions.find((decision): decision is Extract<AccessDecision, { allowed: false }> => !decision.allowed && decision.code !== 'FORBIDDEN');
    if (actionable) return refusal(actionable, coordinate);
    return new GraphQLError(`${coordinate} is read only with a field it serves, and none is granted to ${ctx.caller.app}`, { extensions: { code: 'FORBIDDEN', coordinate } });
  });
}

/**
 * All that the tree's rules read of a context (`AccessPolicy.decisionKey`): contexts with the same key get
 * the same verdicts, so the access gate can remember an operation's outcome under it.
 */
export function ruleContextKey(policy: AccessPolicy): (ctx: RuleContext) => string {
  return (ctx) => policy.decisionKey(ctx.caller, ctx.now ?? new Date());
}

/** The rule tree for a schema: the gateway's API schema, or one department's subgraph schema. */
export function compileRuleTree(policy: AccessPolicy, schema: GraphQLSchema, options: RuleTreeOptions = {}): IRules {
  const tree: Record<string, Record<string, ShieldRule>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const rules: Record<string, ShieldRule> = {};
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      const supporters = options.supportedBy?.(coordinate);
      if (options.alwaysAllow?.(coordinate)) rules[field] = allow;
      else if (supporters) rules[field] = supportRule(policy, coordinate, supporters);
      else if (policy.catalog.fields.has(coordinate)) rules[field] = grantRule(policy, coordinate);
    }
    if (Object.keys(rules).length > 0) tree[type.name] = rules;
  }
  // Arguments naming a subject, under their owner: Query['person(idNumber:)'], SubmitApplicationInput['applicant'].
  // Never allowed by `alwaysAllow` or `supportedBy`: a department's keys serve joins, naming a subject is a read.
  for (const coordinate of policy.subjects.byCoordinate.keys()) {
    const dot = coordinate.indexOf('.');
    (tree[coordinate.slice(0, dot)] ??= {})[coordinate.slice(dot + 1)] = grantRule(policy, coordinate);
  }
  return tree as IRules;
}
