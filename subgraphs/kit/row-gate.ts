/**
 * The department's row gate: the row rules the gateway's result gate applies — the caller's region, the
 * case's subjects, the operator's own data — applied again by the department to every object of a
 * row-ruled type it returns (root fields, nested edges, `_entities`, mutation results), from the claims
 * of the gateway token alone. A gateway token replayed against a department directly therefore buys no
 * row the gateway would have withheld (THREATS R1–R3).
 *
 * It works per type, not per resolver: every field whose type is (or may be) a row-ruled type is wrapped
 * once at start-up, and reads the row's key and region through the type's own resolvers. A row withheld
 * and a row that does not exist look the same: `FORBIDDEN` at the row's path with the same message.
 */
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  responsePathAsArray,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLFormattedError,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { AccessDecision } from '../../contracts/access-policy';
import { withinRegions, type Caller } from '../../contracts/caller';
import { caseBinds, type Platform } from '../../contracts/platform-schema';
import { ROW_WITHHELD } from '../../contracts/row-withheld';

type Resolver = GraphQLFieldResolver<unknown, unknown>;
type Row = Record<string, unknown>;

/** What the department knows of one row-ruled type of its schema. */
interface RuledType {
  /** Reads the subject key (or the case key) of a row, through the type's own resolver. */
  key?: Resolver;
  /** Whether platform.yaml gives the type a region. */
  regionBound: boolean;
  /** The region paths this department can follow itself: each a chain of the fields' own resolvers. */
  regionPaths: Resolver[][];
  /**
   * For a row that belongs to persons without being one (platform.yaml `ownerOf`): the chains to its
   * owners' keys that this department can follow. A path it cannot follow makes no one an owner; with
   * none left, no such row is the operator's own.
   */
  owners?: Resolver[][];
}

/** The row rules in force for one request. */
export interface RowRules {
  regions: readonly string[];
  /** The operator a row of the operator type must be ('' when the token names none: no row passes). */
  operator?: { type: string; id: string };
  /** Under a case-bound grant: the case and its subjects as the token carries them (none: no bound row passes). */
  case?: { type: string; id: string; binds: ReadonlySet<string>; subjects: ReadonlySet<string> };
}

/** Rows withheld from one request: their errors, for the response and the department's access log. */
export interface WithheldRows {
  errors: GraphQLFormattedError[];
}

export interface RowGate {
  /** The rules for a caller (its regions complete) and the decisions of its operation; undefined when no row rule applies. */
  rulesFor(caller: Caller, decisions: ReadonlyMap<string, AccessDecision>): RowRules | undefined;
  /** Whether `Type.field` returns rows this gate must check. */
  returnsRows(field: GraphQLField<unknown, unknown>): boolean;
  /**
   * Whether `Type.field` is a field of the department's own on a region-bound type whose region it cannot
   * follow (it extends the type): refused to region-bound callers, since the row cannot be placed.
   */
  unplaceable(typeName: string, fieldName: string): boolean;
  /**
   * The resolved value with every row the rules withhold replaced by an error or removed (lists of non-null
   * rows). `args` names the type of an absent entity (`_entities`' representations).
   */
  gate(value: unknown, returnType: GraphQLOutputType, rules: RowRules, withheld: WithheldRows, args: Record<string, unknown>, ctx: unknown, info: GraphQLResolveInfo): unknown;
}

/**
 * The same words as the gateway's result gate, naming every rule that applies to the type rather than
 * the one the row failed: a withheld row and an absent one get the same message.
 */
function withheldError(typeName: string, rules: RowRules, regionBound: boolean, owned: boolean): GraphQLError {
  const reasons = [
    ...(regionBound && rules.regions.length > 0 ? ["lies outside the app's region"] : []),
    ...(rules.case?.binds.has(typeName) ? [`is not part of case ${rules.case.id}`] : []),
    ...(rules.operator && (rules.operator.type === typeName || owned) ? ["is not the operator's own data"] : []),
  ];
  return new GraphQLError(`Forbidden: this ${typeName} ${reasons.length > 0 ? reasons.join(' or ') : 'cannot be checked here'}.`, { extensions: { code: 'FORBIDDEN', [ROW_WITHHELD]: true } });
}

const isPromise = (value: unknown): value is Promise<unknown> => value instanceof Promise;

/** A resolver chain followed from a row: the value at its end, or undefined where it breaks off. */
function follow(row: unknown, chain: readonly Resolver[], ctx: unknown, info: GraphQLResolveInfo): unknown {
  let value: unknown = row;
  for (let i = 0; i < chain.length; i++) {
    if (value === null || value === undefined) return undefined;
    if (isPromise(value)) return value.then((v) => follow(v, chain.slice(i), ctx, info));
    value = chain[i]!(value, {}, ctx, info);
  }
  return value;
}

/**
 * Builds the gate from platform.yaml over the department's schema, reading its resolvers as they are now
 * (before any wrapping). `isKey` tells the entity keys (`Person.idNumber`): a department that only extends
 * a type still answers them, since they are how the gateway joins.
 */
export function createRowGate(platform: Platform, schema: GraphQLSchema, isKey: (coordinate: string) => boolean): RowGate {
  // A field without a resolver is the row's own property (graphql-js's default resolver would read the name from `info`).
  const reader = (field: GraphQLField<unknown, unknown>): Resolver => field.resolve ?? ((row) => (row as Row)[field.name]);
  const resolverOf = (typeName: string, fieldName: string): Resolver | undefined => {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    return field ? reader(field) : undefined;
  };
  const chainOf = (typeName: string, path: string): Resolver[] | undefined => {
    const chain: Resolver[] = [];
    let owner: GraphQLNamedType | undefined = schema.getType(typeName);
    for (const segment of path.split('.')) {
      const field = isObjectType(owner) ? owner.getFields()[segment] : undefined;
      if (!field) return undefined;
      chain.push(reader(field));
      owner = getNamedType(field.type);
    }
    return chain;
  };

  const caseTypes = caseBinds(platform);
  const names = new Set([...Object.keys(platform.regionOf), ...Object.keys(platform.subjectKeys), ...Object.keys(platform.ownerOf), ...caseTypes, ...(platform.cases ? [platform.cases.type] : [])]);
  const ruled = new Map<string, RuledType>();
  for (const name of names) {
    if (!isObjectType(schema.getType(name))) continue;
    const keyField = platform.subjectKeys[name] ?? (platform.cases?.type === name ? platform.cases.key : undefined);
    const key = keyField === undefined ? undefined : resolverOf(name, keyField);
    const paths = platform.regionOf[name] ?? [];
    const regionPaths = paths.map((p) => chainOf(name, p)).filter((c): c is Resolver[] => c !== undefined);
    const ownerPaths = platform.ownerOf[name];
    const owners = ownerPaths?.map((p) => chainOf(name, p)).filter((c): c is Resolver[] => c !== undefined);
    ruled.set(name, { ...(key && { key }), regionBound: paths.length > 0, regionPaths, ...(owners && { owners }) });
  }
  // The fields a department adds to a region-bound type it cannot place: every field but the type's keys.
  const unplaceableTypes = new Set([...ruled].filter(([, t]) => t.regionBound && t.regionPaths.length === 0).map(([name]) => name));

  const refusalFor = (typeName: string, rules: RowRules) => withheldError(typeName, rules, ruled.get(typeName)?.regionBound === true, ruled.get(typeName)?.owners !== undefined);

  const ruledIn = (type: GraphQLNamedType): boolean =>
    ruled.has(type.name) || (isAbstractType(type) && schema.getPossibleTypes(type).some((t) => ruled.has(t.name)));

  const applies = (typeName: string, rules: RowRules): boolean =>
    (rules.regions.length > 0 && ruled.get(typeName)?.regionBound === true) ||
    (rules.operator !== undefined && (rules.operator.type === typeName || ruled.get(typeName)?.owners !== undefined)) ||
    rules.case?.binds.has(typeName) === true;

  /** Whether the rules let this row through; a promise when a resolver on the way is asynchronous. */
  const allows = (row: unknown, typeName: string, rules: RowRules, ctx: unknown, info: GraphQLResolveInfo): boolean | Promise<boolean> => {
    const type = ruled.get(typeName)!;
    const keyed = rules.operator?.type === typeName || rules.case?.binds.has(typeName) === true;
    const key = keyed ? (type.key ? type.key(row, {}, ctx, info) : undefined) : undefined;
    const regions = rules.regions.length > 0 && type.regionPaths.length > 0 ? type.regionPaths.map((chain) => follow(row, chain, ctx, info)) : [];
    const owned = rules.operator !== undefined && type.owners !== undefined;
    const owners = owned ? type.owners!.map((chain) => follow(row, chain, ctx, info)) : [];
    const decide = (key: unknown, regions: readonly unknown[], owners: readonly unknown[]): boolean => {
      if (regions.length > 0 && !regions.some((r) => typeof r === 'string' && withinRegions(r, rules.regions))) return false;
      if (rules.operator?.type === typeName && (rules.operator.id === '' || key !== rules.operator.id)) return false;
      // Several owners (a licence: its holder and its representative): the row is the operator's own if any of them is.
      if (owned && (rules.operator!.id === '' || !owners.includes(rules.operator!.id))) return false;
      const bound = rules.case;
      if (bound?.binds.has(typeName) && !(typeof key === 'string' && (bound.subjects.has(key) || (typeName === bound.type && key === bound.id)))) return false;
      return true;
    };
    if (isPromise(key) || owners.some(isPromise) || regions.some(isPromise)) {
      return Promise.all([key, Promise.all(owners), ...regions]).then(([k, o, ...r]) => decide(k, r, o as unknown[]));
    }
    return decide(key, regions, owners);
  };

  /** The concrete type of a row under an abstract type: its __typename (entities carry one) or the type's own resolver. */
  const typeOf = (row: unknown, type: GraphQLNamedType, ctx: unknown, info: GraphQLResolveInfo): string | undefined => {
    if (!isAbstractType(type)) return type.name;
    const named = (row as Row)['__typename'];
    if (typeof named === 'string') return named;
    const resolved = (type as GraphQLAbstractType).resolveType?.(row, ctx, info, type as GraphQLAbstractType);
    return typeof resolved === 'string' ? resolved : undefined;
  };

  /**
   * One row: itself, or an error when withheld. A row looked up by its key at the root (`absentType` given)
   * that does not exist is answered like a withheld one, so withholding tells nothing of existence. An
   * entity the department did not look up (no `__resolveReference`: the row is the caller's own
   * representation) cannot be placed in a region by values the caller wrote.
   */
  const gateRow = (row: unknown, type: GraphQLNamedType, rules: RowRules, absentType: string | undefined, representation: unknown, ctx: unknown, info: GraphQLResolveInfo): unknown => {
    if (isPromise(row)) return row.then((r) => gateRow(r, type, rules, absentType, representation, ctx, info));
    if (row === null || row === undefined) return absentType !== undefined && ruled.has(absentType) && applies(absentType, rules) ? refusalFor(absentType, rules) : row;
    if (row instanceof Error) return row;
    const typeName = typeOf(row, type, ctx, info);
    if (typeName === undefined) return ruledIn(type) ? refusalFor(type.name, rules) : row;
    if (!ruled.has(typeName) || !applies(typeName, rules)) return row;
    if (row === representation && rules.regions.length > 0 && ruled.get(typeName)!.regionPaths.length > 0) return refusalFor(typeName, rules);
    const allowed = allows(row, typeName, rules, ctx, info);
    if (isPromise(allowed)) return allowed.then((ok) => (ok ? row : refusalFor(typeName, rules)));
    return allowed ? row : refusalFor(typeName, rules);
  };

  return {
    rulesFor(caller, decisions) {
      const regions = caller.regions ?? [];
      let operatorBound = false;
      let caseBound = false;
      for (const decision of decisions.values()) {
        if (!decision.allowed) continue;
        operatorBound ||= decision.operatorBound;
        caseBound ||= decision.caseBound;
      }
      const operatorType = operatorBound ? platform.operatorSubject : undefined;
      const cases = caseBound ? platform.cases : undefined;
      if (regions.length === 0 && !operatorType && !cases) return undefined;
      return {
        regions,
        ...(operatorType && { operator: { type: operatorType, id: caller.operator ?? '' } }),
        ...(cases && { case: { type: cases.type, id: caller.caseId ?? '', binds: caseTypes, subjects: new Set(caller.caseSubjects ?? []) } }),
      };
    },
    returnsRows: (field) => ruledIn(getNamedType(field.type)),
    unplaceable: (typeName, fieldName) => unplaceableTypes.has(typeName) && !isKey(`${typeName}.${fieldName}`) && !fieldName.startsWith('__'),
    gate(value, returnType, rules, withheld, args, ctx, info) {
      const nullable = getNullableType(returnType);
      const type = getNamedType(returnType);
      const root = info.path.prev === undefined;
      if (!isListType(nullable)) {
        const gated = gateRow(value, type, rules, root && !isAbstractType(type) ? type.name : undefined, undefined, ctx, info);
        const settle = (v: unknown) => {
          if (v instanceof GraphQLError) throw v;
          return v;
        };
        return isPromise(gated) ? gated.then(settle) : settle(gated);
      }
      if (isPromise(value)) return value.then((list) => this.gate(list, returnType, rules, withheld, args, ctx, info));
      if (!Array.isArray(value)) return value;
      // Lists of lists of rows: no schema here has one, so they are refused whole rather than half-checked.
      if (isListType(getNullableType(nullable.ofType))) throw refusalFor(type.name, rules);
      // Nullable rows become null with the error at their index; non-null rows are left out of the list, like the gateway does.
      const itemsNullable = getNullableType(nullable.ofType) === nullable.ofType;
      const representations = Array.isArray(args['representations']) ? (args['representations'] as unknown[]) : undefined;
      const absentTypeAt = (index: number): string | undefined => {
        if (!root || !itemsNullable) return undefined;
        if (!isAbstractType(type)) return type.name;
        const named = (representations?.[index] as Row | undefined)?.['__typename'];
        return typeof named === 'string' ? named : undefined;
      };
      const items = value.map((item, index) => gateRow(item, type, rules, absentTypeAt(index), root ? representations?.[index] : undefined, ctx, info));
      const finish = (gated: unknown[]) => {
        if (itemsNullable) return gated;
        const kept: unknown[] = [];
        gated.forEach((item, index) => {
          if (!(item instanceof GraphQLError)) return void kept.push(item);
          withheld.errors.push({ message: item.message, path: [...responsePathAsArray(info.path), index], extensions: { code: 'FORBIDDEN', [ROW_WITHHELD]: true } });
        });
        return kept;
      };
      return items.some(isPromise) ? Promise.all(items).then(finish) : finish(items);
    },
  };
}
