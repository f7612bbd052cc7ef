/**
 * Defence in depth (ARCHITECTURE.md step b): each department applies the same contracts itself, to the
 * caller named in the gateway token — a graphql-shield rule tree over its own schema, default deny, with
 * the federation fields, entity keys and the platform's region paths allowed (the gateway needs them to
 * join and to check rows) — and masks the fields a grant masks, so the raw value never leaves it.
 *
 * The rules depend on the caller, the field and the time, never on the row, so they are evaluated over
 * the operation (the same access gate the gateway runs, remembering its outcome per operation and
 * decision key), and each field then only looks its verdict up. graphql-shield's own middleware would make every field of every row a promise: a page of
 * 100 enterprises cost thousands of awaited rule calls.
 */
import {
  GraphQLError,
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { createAccessGate, type AccessGate, type Denial, type GateOutcome } from '../../contracts/access-gate';
import { AccessPolicy, type AccessDecision } from '../../contracts/access-policy';
import { compileRuleTree, ruleContextKey, type RuleContext } from '../../contracts/compile-rule-tree';
import { grantCoordinate, grantMask } from '../../contracts/contract-schema';
import { loadContracts, loadPlatform } from '../../contracts/load-contracts';
import { maskField } from '../../contracts/masking';
import { formatProblem } from '../../contracts/problem';
import type { Caller } from '../../contracts/caller';
import { argumentCoordinate, operatorDenial, subjectsInArguments } from '../../contracts/subject-arguments';
import { catalogOf } from '../../contracts/supergraph-catalog';

const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities', '_Service.sdl']);

export interface DepartmentAccessOptions {
  contractsDir: string;
  platformFile: string;
}

export function protectSchema(schema: GraphQLSchema, typeDefs: DocumentNode, options: DepartmentAccessOptions): GraphQLSchema {
  const { platform, problems: platformProblems } = loadPlatform(options.platformFile);
  const { contracts, problems } = loadContracts(options.contractsDir);
  if (!platform || platformProblems.length + problems.length > 0) {
    const all = [...platformProblems, ...problems].map((p) => `  - ${formatProblem(p)}`).join('\n');
    throw new Error(`The data-sharing contracts cannot be loaded:\n${all}`);
  }
  const catalog = catalogOf(typeDefs, schema, platform.undeclaredSharingClass);
  const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog, platform.subjectKeys);

  const regionPaths = new Set<string>();
  for (const [type, paths] of Object.entries(platform.regionOf)) {
    for (const path of paths) {
      let owner = type;
      for (const segment of path.split('.')) {
        regionPaths.add(`${owner}.${segment}`);
        const ownerType = catalog.apiSchema.getType(owner);
        const next = isObjectType(ownerType) ? ownerType.getFields()[segment] : undefined;
        owner = next ? getNamedType(next.type).name : '';
      }
    }
  }
  const isKey = (coordinate: string) => catalog.fields.get(coordinate)?.isKey === true;
  const tree = compileRuleTree(policy, schema, {
    alwaysAllow: (coordinate) => FEDERATION_FIELDS.has(coordinate) || isKey(coordinate) || regionPaths.has(coordinate),
  });

  // Keys are masked by the gateway after it has joined on them; every other masked field is masked here.
  const masked = new Set<string>();
  for (const { contract } of contracts) {
    for (const purpose of contract.purposes) {
      for (const grant of purpose.grants) if (grantMask(grant) && catalog.fields.has(grantCoordinate(grant)) && !isKey(grantCoordinate(grant))) masked.add(grantCoordinate(grant));
    }
  }
  // An argument naming a subject under an operator-bound grant names only the operator, as at the gateway.
  const namedSubjects: NamedSubjectCheck = (type, field) => {
    if (!field.args.some((a) => policy.subjects.byCoordinate.has(argumentCoordinate(type.name, field.name, a.name)) || isInputObjectType(getNamedType(a.type)))) return undefined;
    return (args, decisions, operator) => operatorDenial(subjectsInArguments(policy.subjects, type.name, field, args), decisions, platform.operatorSubject, operator);
  };
  guardResolvers(schema, createAccessGate(tree, schema, policy.subjects, {}, ruleContextKey(policy)), masked, namedSubjects);
  return schema;
}

/** For a field that may name subjects in its arguments: why the arguments it was given may not be read, or undefined. */
type NamedSubjectCheck = (
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
) => ((args: Record<string, unknown>, decisions: ReadonlyMap<string, AccessDecision>, operator: string | undefined) => string | undefined) | undefined;

/** A department's context: the rules' context, with the operator its gateway token names. */
type DepartmentRuleContext = RuleContext & { caller: Pick<Caller, 'operator'> };

/** What the gate decided about an operation, as each field looks it up: its denial, or the decision that allowed it. */
interface Verdict {
  denied: ReadonlyMap<string, Denial>;
  decisions: ReadonlyMap<string, AccessDecision>;
}

/** A request's verdict: the gate's answer while it runs, then the verdict itself. */
type PendingVerdict = { pending: Promise<Verdict>; ready?: Verdict };

/** The value of a masked field, masked as the decision that allowed it says; without one, refused (default deny). */
function maskedValue(coordinate: string, value: unknown, verdict: Verdict): unknown {
  const decision = verdict.decisions.get(coordinate);
  if (!decision?.allowed) throw refusal({ code: 'FORBIDDEN', reason: `${coordinate} was not decided` });
  return decision.mask ? maskField(decision.mask, value) : value;
}

function refusal(denial: Pick<Denial, 'code' | 'reason'>): GraphQLError {
  if (denial.code === 'FORBIDDEN') return new GraphQLError('Forbidden: this field is not granted.', { extensions: { code: 'FORBIDDEN' } });
  return new GraphQLError(denial.reason, { extensions: { code: denial.code } });
}

/**
 * Wraps every field's resolver in place: the first field of a request runs the gate over the whole
 * operation; every field then resolves only if its coordinate was allowed, and the value of a field some
 * grant masks is masked as the decision that allowed it says.
 */
function guardResolvers(schema: GraphQLSchema, gate: AccessGate, maskedFields: ReadonlySet<string>, namedSubjects: NamedSubjectCheck): void {
  // The gate remembers its outcome per operation and decision key; so is the verdict built from it.
  const verdicts = new WeakMap<GateOutcome, Verdict>();
  const verdictOf = (outcome: GateOutcome): Verdict => {
    let verdict = verdicts.get(outcome);
    // A refused argument naming a subject refuses the field it was given to.
    if (!verdict) verdicts.set(outcome, (verdict = { denied: new Map(outcome.denials.map((d) => [d.field ?? d.coordinate, d])), decisions: outcome.decisions }));
    return verdict;
  };
  const requests = new WeakMap<object, PendingVerdict>();
  const pendingOf = (ctx: RuleContext, info: GraphQLResolveInfo): PendingVerdict => {
    let request = requests.get(ctx);
    if (!request) {
      const created: PendingVerdict = { pending: gate(info.operation, info.fragments, ctx).then((outcome) => (created.ready = verdictOf(outcome))) };
      requests.set(ctx, (request = created));
    }
    return request;
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const resolve: GraphQLFieldResolver<unknown, RuleContext> = field.resolve ?? defaultFieldResolver;
      const isMasked = maskedFields.has(coordinate);
      const checkNamed = namedSubjects(type, field);
      const run = (verdict: Verdict, parent: unknown, args: Record<string, unknown>, ctx: DepartmentRuleContext, info: GraphQLResolveInfo) => {
        const denial = verdict.denied.get(coordinate);
        if (denial) throw refusal(denial);
        const notNamed = checkNamed?.(args, verdict.decisions, ctx.caller.operator);
        if (notNamed) throw refusal({ code: 'FORBIDDEN', reason: notNamed });
        const value = resolve(parent, args, ctx, info);
        if (!isMasked) return value;
        return value instanceof Promise ? value.then((v: unknown) => maskedValue(coordinate, v, verdict)) : maskedValue(coordinate, value, verdict);
      };
      field.resolve = (parent, args, ctx: DepartmentRuleContext, info) => {
        const request = pendingOf(ctx, info);
        return request.ready ? run(request.ready, parent, args, ctx, info) : request.pending.then((verdict) => run(verdict, parent, args, ctx, info));
      };
    }
  }
}
