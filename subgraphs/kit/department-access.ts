/**
 * Defence in depth (ARCHITECTURE.md step b): each department applies the same contracts itself, to the
 * caller named in the gateway token — a graphql-shield rule tree over its own schema, default deny, with
 * the federation fields allowed, and the entity keys and the platform's region and owner paths allowed to a
 * caller granted a field they serve (the gateway needs them to join and to check rows) — and masks the
 * fields a grant masks, so the raw value never leaves it.
 *
 * The rules depend on the caller, the field and the time, never on the row, so they are evaluated over
 * the operation (the same access gate the gateway runs, remembering its outcome per operation and
 * decision key), and each field then only looks its verdict up. graphql-shield's own middleware would make every field of every row a promise: a page of
 * 100 enterprises cost thousands of awaited rule calls.
 *
 * The row rules (region, case, operator) do depend on the row: the row gate (`row-gate.ts`) checks each row
 * a field of a row-ruled type returns, with the rules the verdict and the token's claims give.
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
import { loadPlatform } from '../../contracts/load-contracts';
import { loadEnforcedContracts } from '../../contracts/load-enforced-contracts';
import type { Platform } from '../../contracts/platform-schema';
import { maskField } from '../../contracts/masking';
import { operatorKeyCheck, type OperatorKeyCheck } from '../../contracts/operator-key';
import { formatProblem } from '../../contracts/problem';
import type { Caller } from '../../contracts/caller';
import { argumentCoordinate, operatorDenial, subjectsInArguments } from '../../contracts/subject-arguments';
import { catalogOf, pathCoordinates, type Catalog } from '../../contracts/supergraph-catalog';
import { createRowGate, type RowGate, type RowRules, type WithheldRows } from './row-gate';

/** `_service` is refused while validating (schema-disclosure-rule.ts); entities are how the gateway joins. */
const FEDERATION_FIELDS = new Set(['Query._entities']);

export interface DepartmentAccessOptions {
  /** The department's name: an extract of the contracts (department-extract.ts) must have been made for it. */
  department: string;
  contractsDir: string;
  platformFile: string;
}

/** What the department decided for one request, for its access log. */
export interface RequestAccess {
  /** Every field coordinate the gate judged, granted or denied. */
  fields: string[];
  denials: readonly Denial[];
  withheld: WithheldRows;
}

export interface ProtectedSchema {
  schema: GraphQLSchema;
  /** The decisions taken for a request (by its context), once its operation has been judged. */
  accessOf(ctx: object): RequestAccess | undefined;
  /**
   * The region prefixes every row must lie in: the token's and the contract's as the department's own copy
   * of the contracts says (a token that leaves them out narrows nothing less).
   */
  regionsOf(caller: Caller): string[];
  /**
   * How the gateway token's operator is checked: the department takes it for a key of the operator subject
   * only when its own schema's key scalar parses it (contracts/operator-key.ts), as the gateway does.
   */
  operatorKey: OperatorKeyCheck;
}

export function protectSchema(schema: GraphQLSchema, typeDefs: DocumentNode, options: DepartmentAccessOptions): ProtectedSchema {
  const { platform, problems: platformProblems } = loadPlatform(options.platformFile);
  const { contracts, problems } = loadEnforcedContracts(options.contractsDir, options.department);
  if (!platform || platformProblems.length + problems.length > 0) {
    const all = [...platformProblems, ...problems].map((p) => `  - ${formatProblem(p)}`).join('\n');
    throw new Error(`The data-sharing contracts cannot be loaded:\n${all}`);
  }
  const catalog = catalogOf(typeDefs, schema, platform.undeclaredSharingClass);
  const policy = new AccessPolicy(contracts, catalog, platform);

  const isKey = (coordinate: string) => catalog.fields.get(coordinate)?.isKey === true;
  const supporters = joinAndRowFieldSupporters(catalog, schema, platform);
  const tree = compileRuleTree(policy, schema, {
    alwaysAllow: (coordinate) => FEDERATION_FIELDS.has(coordinate),
    supportedBy: (coordinate) => supporters.get(coordinate),
  });

  // Keys are masked by the gateway after it has joined on them; every other masked field is masked here.
  const masked = new Set<string>();
  for (const contract of contracts) {
    for (const purpose of contract.purposes) {
      for (const grant of purpose.grants) if (grantMask(grant) && catalog.fields.has(grantCoordinate(grant)) && !isKey(grantCoordinate(grant))) masked.add(grantCoordinate(grant));
    }
  }
  // Built before the resolvers are wrapped: the row gate reads keys and regions through the department's own resolvers.
  const rowGate = createRowGate(platform, schema, isKey);
  const regionsOf = (caller: Caller) => [...new Set([...(caller.regions ?? []), ...policy.regionsOf(caller)])];
  // An argument naming a subject under an operator-bound grant names only the operator, as at the gateway.
  const namedSubjects: NamedSubjectCheck = (type, field) => {
    if (!field.args.some((a) => policy.subjects.byCoordinate.has(argumentCoordinate(type.name, field.name, a.name)) || isInputObjectType(getNamedType(a.type)))) return undefined;
    return (args, decisions, operator) => operatorDenial(subjectsInArguments(policy.subjects, type.name, field, args), decisions, platform.operatorSubject, operator);
  };
  const accessOf = guardResolvers(schema, createAccessGate(tree, schema, policy.subjects, {}, ruleContextKey(policy)), masked, rowGate, namedSubjects);
  return { schema, accessOf, regionsOf, operatorKey: operatorKeyCheck(platform, schema) };
}

/**
 * The fields the gateway reads without the client asking — keys to join on, and the paths to a row's
 * division codes and owner (platform.yaml `regionOf`, `ownerOf`) — each with the fields that need it: the
 * other fields of the key's type and the fields that return it, and the fields of the type the path starts
 * from. A caller granted none of those has no row here to join or check, so it gets neither.
 */
function joinAndRowFieldSupporters(catalog: Catalog, schema: GraphQLSchema, platform: Platform): Map<string, string[]> {
  // Who reads a type's rows: its own fields, and the fields (root fields too) that return it.
  const readers = new Map<string, string[]>();
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (!catalog.fields.has(coordinate)) continue;
      if (!roots.has(type.name)) append(readers, type.name, coordinate);
      append(readers, getNamedType(field.type).name, coordinate);
    }
  }
  const supporters = new Map<string, string[]>();
  const supportedByReadersOf = (coordinate: string, type: string) => {
    for (const reader of readers.get(type) ?? []) append(supporters, coordinate, reader);
  };
  for (const [type, keys] of catalog.keyFields) for (const key of keys) supportedByReadersOf(`${type}.${key}`, type);
  const rowRulePaths = [...Object.entries(platform.regionOf), ...Object.entries(platform.ownerOf)];
  for (const [type, paths] of rowRulePaths) {
    for (const coordinate of paths.flatMap((path) => pathCoordinates(catalog, type, path) ?? [])) supportedByReadersOf(coordinate, type);
  }
  return supporters;
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const values = map.get(key);
  if (!values) map.set(key, [value]);
  else if (!values.includes(value)) values.push(value);
}

/** For a field that may name subjects in its arguments: why the arguments it was given may not be read, or undefined. */
type NamedSubjectCheck = (
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
) => ((args: Record<string, unknown>, decisions: ReadonlyMap<string, AccessDecision>, operator: string | undefined) => string | undefined) | undefined;

/** What the gate decided about an operation, as each field looks it up: its denial, or the decision that allowed it. */
interface Verdict {
  denied: ReadonlyMap<string, Denial>;
  decisions: ReadonlyMap<string, AccessDecision>;
}

/** A request's verdict and row rules: the gate's answer while it runs, then them; and the rows withheld so far. */
interface RequestState {
  pending: Promise<Ruling>;
  ready?: Ruling;
  withheld: WithheldRows;
}
type Ruling = { verdict: Verdict; rules: RowRules | undefined; outcome: GateOutcome };

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
 * operation; every field then resolves only if its coordinate was allowed, the rows a field of a row-ruled
 * type returns pass the row gate, and the value of a field some grant masks is masked as the decision that
 * allowed it says.
 */
function guardResolvers(
  schema: GraphQLSchema,
  gate: AccessGate,
  maskedFields: ReadonlySet<string>,
  rowGate: RowGate,
  namedSubjects: NamedSubjectCheck,
): (ctx: object) => RequestAccess | undefined {
  // The gate remembers its outcome per operation and decision key; so is the verdict built from it.
  const verdicts = new WeakMap<GateOutcome, Verdict>();
  const verdictOf = (outcome: GateOutcome): Verdict => {
    let verdict = verdicts.get(outcome);
    // A refused argument naming a subject refuses the field it was given to.
    if (!verdict) verdicts.set(outcome, (verdict = { denied: new Map(outcome.denials.map((d) => [d.field ?? d.coordinate, d])), decisions: outcome.decisions }));
    return verdict;
  };
  const requests = new WeakMap<object, RequestState>();
  const pendingOf = (ctx: RuleContext & { caller: Caller }, info: GraphQLResolveInfo): RequestState => {
    let request = requests.get(ctx);
    if (!request) {
      const created: RequestState = {
        withheld: { errors: [] },
        pending: gate(info.operation, info.fragments, ctx, info.variableValues).then((outcome) => {
          const verdict = verdictOf(outcome);
          return (created.ready = { verdict, outcome, rules: rowGate.rulesFor(ctx.caller, verdict.decisions) });
        }),
      };
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
      const returnsRows = rowGate.returnsRows(field);
      const unplaceable = rowGate.unplaceable(type.name, field.name);
      const checkNamed = namedSubjects(type, field);
      const run = ({ verdict, rules }: Ruling, withheld: WithheldRows, parent: unknown, args: Record<string, unknown>, ctx: RuleContext & { caller: Caller }, info: GraphQLResolveInfo) => {
        const denial = verdict.denied.get(coordinate);
        if (denial) throw refusal(denial);
        if (unplaceable && rules && rules.regions.length > 0) throw refusal({ code: 'FORBIDDEN', reason: `${type.name} cannot be placed in a region here` });
        const notNamed = checkNamed?.(args, verdict.decisions, ctx.caller.operator);
        if (notNamed) throw refusal({ code: 'FORBIDDEN', reason: notNamed });
        let value = resolve(parent, args, ctx, info);
        if (returnsRows && rules) value = rowGate.gate(value, field.type, rules, withheld, args, ctx, info);
        if (!isMasked) return value;
        return value instanceof Promise ? value.then((v: unknown) => maskedValue(coordinate, v, verdict)) : maskedValue(coordinate, value, verdict);
      };
      field.resolve = (parent, args, ctx: RuleContext & { caller: Caller }, info) => {
        const request = pendingOf(ctx, info);
        return request.ready ? run(request.ready, request.withheld, parent, args, ctx, info) : request.pending.then((ruling) => run(ruling, request.withheld, parent, args, ctx, info));
      };
    }
  }
  return (ctx) => {
    const request = requests.get(ctx);
    if (!request?.ready) return undefined;
    const { outcome } = request.ready;
    return { fields: [...new Set([...outcome.decisions.keys(), ...outcome.denials.map((d) => d.coordinate)])], denials: outcome.denials, withheld: request.withheld };
  };
}
