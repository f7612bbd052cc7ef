/**
 * Row rules: what the result gate must check on the data itself — the app's region, the case a
 * case-bound purpose is limited to, the operator's own data — and the masks to apply. Planned from the
 * access gate's decisions, so an operation that touches none of them pays nothing for the result gate.
 */
import { BREAK, Kind, TypeInfo, isAbstractType, isObjectType, visit, visitWithTypeInfo, type DocumentNode, type FieldNode, type GraphQLSchema, type InlineFragmentNode, type SelectionNode } from 'graphql';
import type { AccessDecision } from '../contracts/access-policy';
import type { Caller } from '../contracts/caller';
import type { MaskProfile } from '../contracts/masking';
import { caseBinds, type Platform } from '../contracts/platform-schema';
import { operatorDenial, type NamedSubject } from '../contracts/subject-arguments';

/** The response names of the fields the gateway injects begin with this; a client may not use them. */
const RESERVED_PREFIX = '__govgraph';
export const REGION_ALIAS = '__govgraph_region';
export const KEY_ALIAS = '__govgraph_key';
/** The owners' keys of a row that belongs to operator subjects (platform.yaml `ownerOf`): `_0`, `_1`, … one per path. */
export const OWNER_ALIAS = '__govgraph_owner';

const ownerAliases: string[] = [];
/** The response name of a row's owner path at this index; made once per index, since it is looked up on every row. */
export function ownerAlias(index: number): string {
  return (ownerAliases[index] ??= `${OWNER_ALIAS}_${index}`);
}

export interface CaseInfo {
  id: string;
  /** Subject keys (ID numbers, credit codes) the case concerns. */
  subjects: ReadonlySet<string>;
}

export interface RowRules {
  /** Whether the result gate must run (a region, case, operator or mask applies); else keys are only collected for the audit. */
  gate: boolean;
  /** Types whose rows are data subjects: their keys are recorded (as HMACs) in the audit trail. */
  subjectTypes: ReadonlySet<string>;
  regions: readonly string[];
  /** Region-bound types the operation reads, with the paths to their division codes. */
  regionPaths: ReadonlyMap<string, readonly string[]>;
  /** Types whose key the gate must see (subjects, the case type), with their key field. */
  keyFields: ReadonlyMap<string, string>;
  /** Types whose rows belong to operator subjects, with the paths to their keys: each owner is a subject of the row. */
  ownerPaths: ReadonlyMap<string, readonly string[]>;
  case?: { info: CaseInfo; type: string; binds: ReadonlySet<string> };
  operator?: { type: string; id: string };
  masks: ReadonlyMap<string, MaskProfile>;
}

/**
 * The first alias of the client's document that the gateway reserves, if any: a client that named a field
 * `__govgraph_owner` or `__govgraph_key` would hand the result gate a value of its choosing.
 */
export function reservedAlias(document: DocumentNode): string | undefined {
  // Apollo Server hands every request with the same text the same parsed document.
  let found = reservedAliases.get(document);
  if (found === undefined) {
    found = '';
    visit(document, {
      Field(node) {
        if (!node.alias?.value.startsWith(RESERVED_PREFIX)) return undefined;
        found = node.alias.value;
        return BREAK;
      },
    });
    reservedAliases.set(document, found);
  }
  return found || undefined;
}

const reservedAliases = new WeakMap<DocumentNode, string>();

/** Whether the operation needs a case looked up: some field was granted under a case-bound purpose. */
export function needsCase(decisions: ReadonlyMap<string, AccessDecision>): boolean {
  for (const decision of decisions.values()) if (decision.allowed && decision.caseBound) return true;
  return false;
}

/**
 * The purpose of an operator-bound grant the operation uses when the token names no operator, else
 * undefined: such a grant opens only the operator's own data, so without one it opens no one's.
 */
export function operatorMissing(decisions: ReadonlyMap<string, AccessDecision>, caller: Caller): string | undefined {
  if (caller.operator) return undefined;
  for (const decision of decisions.values()) if (decision.allowed && decision.operatorBound) return decision.purpose;
  return undefined;
}

/**
 * Why a subject an argument names may not be read, or undefined when it may. An argument granted under
 * an operator-bound purpose may name only the operator; under a case-bound one, only the case's
 * subjects. Decided on the argument's value before anything runs, so the answer is the same whether or
 * not the subject exists.
 */
export function namedSubjectDenial(
  platform: Platform,
  caller: Caller,
  decisions: ReadonlyMap<string, AccessDecision>,
  named: readonly NamedSubject[],
  caseInfo: CaseInfo | undefined,
): string | undefined {
  const notOperator = operatorDenial(named, decisions, platform.operatorSubject, caller.operator);
  if (notOperator) return notOperator;
  const binds = caseBinds(platform);
  for (const { coordinate, subject, key } of named) {
    const decision = decisions.get(coordinate);
    if (decision?.allowed && decision.caseBound && caseInfo && binds.has(subject) && !caseInfo.subjects.has(key)) return `the ${subject} that ${coordinate} names is not part of case ${caseInfo.id}`;
  }
  return undefined;
}

export function planRowRules(
  platform: Platform,
  caller: Caller,
  regions: readonly string[],
  decisions: ReadonlyMap<string, AccessDecision>,
  typesRead: ReadonlySet<string>,
  caseInfo: CaseInfo | undefined,
): RowRules | undefined {
  const masks = new Map<string, MaskProfile>();
  let operatorBound = false;
  for (const [coordinate, decision] of decisions) {
    if (!decision.allowed) continue;
    if (decision.mask) masks.set(coordinate, decision.mask);
    if (decision.operatorBound) operatorBound = true;
  }
  const regionPaths = new Map<string, readonly string[]>();
  if (regions.length > 0) for (const type of typesRead) if (platform.regionOf[type]) regionPaths.set(type, platform.regionOf[type]);
  // Subjects' keys are always fetched: the audit trail records whose data was released.
  const keyFields = new Map<string, string>();
  for (const [type, key] of Object.entries(platform.subjectKeys)) if (typesRead.has(type)) keyFields.set(type, key);
  const operatorType = operatorBound ? platform.operatorSubject : undefined;
  if (caseInfo && platform.cases && typesRead.has(platform.cases.type)) keyFields.set(platform.cases.type, platform.cases.key);
  const ownerPaths = new Map<string, readonly string[]>();
  for (const [type, paths] of Object.entries(platform.ownerOf)) if (typesRead.has(type)) ownerPaths.set(type, paths);
  if (masks.size === 0 && regionPaths.size === 0 && keyFields.size === 0 && ownerPaths.size === 0) return undefined;
  return {
    gate: masks.size > 0 || regionPaths.size > 0 || caseInfo !== undefined || operatorType !== undefined,
    subjectTypes: new Set(Object.keys(platform.subjectKeys)),
    regions,
    regionPaths,
    keyFields,
    ownerPaths,
    masks,
    ...(caseInfo &&
      platform.cases && {
        case: { info: caseInfo, type: platform.cases.type, binds: caseBinds(platform) },
      }),
    // An operator-bound grant with no operator in the token opens no one's data.
    ...(operatorType && { operator: { type: operatorType, id: caller.operator ?? '' } }),
  };
}

/** The owners' keys of a row read with its injected owner paths: one per path that leads to a key. */
export function ownersOfRow(row: Record<string, unknown>, paths: readonly string[]): string[] {
  const owners: string[] = [];
  paths.forEach((path, index) => {
    let value: unknown = row[ownerAlias(index)];
    for (const segment of path.split('.').slice(1)) value = (value as Record<string, unknown> | null | undefined)?.[segment];
    if (typeof value === 'string') owners.push(value);
  });
  return owners;
}

/**
 * When no row rule applies, the injected keys and owners are read for the audit and removed from the response
 * (cheaper than re-executing the document). A key is set to undefined rather than deleted — JSON leaves
 * it out just the same, and a deleted property would turn every row into a slow dictionary object for
 * the serialisation that follows.
 */
export function collectAndStripKeys(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectAndStripKeys(item, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const row = value as Record<string, unknown>;
  const key = row[KEY_ALIAS];
  if (key !== undefined) {
    if (typeof key === 'string') into.add(key);
    row[KEY_ALIAS] = undefined;
  }
  // A row of an owned type carries every owner path, each answered (null at worst): the first absent one ends them.
  for (let index = 0; ; index++) {
    const alias = ownerAlias(index);
    const owner = row[alias];
    if (owner === undefined) break;
    collectStrings(owner, into);
    row[alias] = undefined;
  }
  for (const name in row) {
    const child = row[name];
    if (child !== null && typeof child === 'object') collectAndStripKeys(child, into);
  }
}

/** Every string under an injected owner path: the owner's key, however deep the path. */
function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (value !== null && typeof value === 'object') for (const child of Object.values(value)) collectStrings(child, into);
}

function field(name: string, alias?: string, selections?: FieldNode[]): FieldNode {
  return {
    kind: Kind.FIELD,
    name: { kind: Kind.NAME, value: name },
    ...(alias !== undefined && { alias: { kind: Kind.NAME, value: alias } }),
    ...(selections && { selectionSet: { kind: Kind.SELECTION_SET, selections } }),
  };
}

function inlineFragment(type: string, selections: FieldNode[]): InlineFragmentNode {
  return {
    kind: Kind.INLINE_FRAGMENT,
    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: type } },
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
}

/** `household.regionCode` as `__govgraph_region: household { regionCode }`. */
function pathSelection(alias: string, path: string): FieldNode {
  const [head, ...rest] = path.split('.');
  const nested = (segments: string[]): FieldNode[] | undefined =>
    segments.length === 0 ? undefined : [field(segments[0]!, undefined, nested(segments.slice(1)))];
  return field(head!, alias, nested(rest));
}

/** The fields the result gate reads of a row of this object type: its key, its owners, its division codes. */
function rowFields(type: string, rules: RowRules): FieldNode[] {
  const fields: FieldNode[] = [];
  const key = rules.keyFields.get(type);
  if (key) fields.push(field(key, KEY_ALIAS));
  (rules.ownerPaths.get(type) ?? []).forEach((path, i) => fields.push(pathSelection(ownerAlias(i), path)));
  (rules.regionPaths.get(type) ?? []).forEach((path, i) => fields.push(pathSelection(`${REGION_ALIAS}_${i}`, path)));
  return fields;
}

/**
 * Adds what the result gate reads to every selection set of a checked type — the key, the division
 * code — with the same fields for each checked type an abstract type may hold (`... on Depot { district }`):
 * a row the client reaches through an interface or union without a fragment on its type
 * (`find { __typename }`) is still one of its type's rows, judged by its rules. When the gate runs it
 * also needs `__typename` under abstract types, and the client never sees any of them: the gate
 * re-executes the client's own document. When it does not, the answer is the one executed, and
 * `collectAndStripKeys` takes out only the aliased fields: so `__typename` is added only for the gate.
 */
export function injectRowFields(document: DocumentNode, schema: GraphQLSchema, rules: RowRules): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet: {
        leave(node) {
          const type = typeInfo.getParentType();
          if (!type) return undefined;
          const extra: SelectionNode[] = [];
          if (isObjectType(type)) extra.push(...rowFields(type.name, rules));
          if (isAbstractType(type)) {
            if (rules.gate) extra.push(field('__typename'));
            for (const possible of schema.getPossibleTypes(type)) {
              const fields = rowFields(possible.name, rules);
              if (fields.length > 0) extra.push(inlineFragment(possible.name, fields));
            }
          }
          return extra.length === 0 ? undefined : { ...node, selections: [...node.selections, ...extra] };
        },
      },
    }),
  );
}
