/**
 * The access gate: every field of an operation — through fragments, inline fragments and aliases — is
 * checked against the app's compiled graphql-shield rules (default deny) before anything runs. Only rules
 * that need no data run here. The gateway runs it before planning (step 3 of ARCHITECTURE.md: a department
 * is never asked for a field it denies, and what it decides is kept for the result gate); each department
 * runs it again over its own schema before resolving (step b).
 *
 * `@skip` / `@include` are not read here: a selection they carry is judged like any other. The gateway
 * hands the gate the operation with the parts the request's variables switch off already removed
 * (skip-include.ts) — one operation object per combination of values, so an outcome remembered for one
 * combination is never another's.
 *
 * An input object given through a variable is judged by the fields its value sends, as the same value
 * written in the text would be: the outcome is remembered per the subject fields the variables send.
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { IRules } from 'graphql-shield';
import type { AccessDecision } from './access-policy';
import type { RuleContext, ShieldRule } from './compile-rule-tree';
import { argumentCoordinate, subjectFieldsSent, usesInValue, type SentSubjectFields, type SubjectArguments, type SubjectSource, type SubjectUses } from './subject-arguments';

export interface Denial {
  coordinate: string;
  /** For an argument naming a subject: the field it was given to, which is refused with it. */
  field?: string;
  path: string;
  code: 'FORBIDDEN' | 'PURPOSE_REQUIRED' | 'CASE_REQUIRED';
  reason: string;
  /** PURPOSE_REQUIRED: the purposes of the app's contract that would grant it (the client states one in X-Purpose). */
  purposes?: readonly string[];
}

/** What the gate decided about an operation; shared by every request it is remembered for, so never changed. */
export interface GateOutcome {
  denials: Denial[];
  /** Coordinates asked for more often than one operation may. */
  overused: Array<{ coordinate: string; count: number; limit: number }>;
  /** Object types whose fields the operation reads (row rules apply to these). */
  typesRead: ReadonlySet<string>;
  /** The rules' decision for each coordinate they judged (for the result gate, masks and the audit record). */
  decisions: ReadonlyMap<string, AccessDecision>;
  /** Where the operation takes the keys of the subjects its arguments name (read per request with its variables). */
  subjectSources: readonly SubjectSource[];
}

/** Decision keys remembered per operation (apps × purposes × with or without a case, for one day × what its variables send). */
const MAX_KEYS_PER_OPERATION = 256;

/** graphql-shield's normalised options, as its field middleware would pass them to a rule. */
const SHIELD_OPTIONS = {
  debug: false,
  allowExternalErrors: false,
  fallbackRule: undefined,
  hashFunction: () => '',
} as never;

/** The purposes a rule's PURPOSE_REQUIRED names, when it names them as a list of codes. */
function purposesOf(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p === 'string') ? (value as string[]) : undefined;
}

type RuleMap = Record<string, Record<string, ShieldRule> | undefined>;

/**
 * `variables`: the request's; an input object variable then uses the subject fields its value sends, as
 * if written in the text. Without them, every subject field its type can hold.
 */
type Check = (operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, ctx: RuleContext, variables?: Readonly<Record<string, unknown>>) => Promise<GateOutcome>;
type CheckSent = (operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, ctx: RuleContext, sent?: SentSubjectFields) => Promise<GateOutcome>;

/** The part of the cache key the variables decide: the subject fields each input object variable sends. */
function sentKey(sent: SentSubjectFields | undefined): string {
  if (!sent) return '';
  return [...sent].map(([variable, fields]) => `${variable}=${[...new Set(fields.map((f) => f.coordinate))].sort().join(',')}`).join(';');
}

/**
 * The gate over a rule tree. With `decisionKey` — all that the rules read of the context, such as
 * `AccessPolicy.decisionKey` for the contracts' rule tree — an operation's outcome is remembered per key
 * and per the subject fields its variables send: Apollo Server hands the same parsed operation to every
 * request with the same text, so the gate walks it once per caller kind instead of once per request.
 */
export function createAccessGate(
  tree: IRules,
  schema: GraphQLSchema,
  subjects: SubjectArguments,
  perOperation: Readonly<Record<string, number>> = {},
  decisionKey?: (ctx: RuleContext) => string,
): Check {
  const check = checkAfresh(tree as RuleMap, schema, subjects, perOperation);
  const sentOf = (operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>> | undefined) => variables && subjectFieldsSent(subjects, schema, operation, variables);
  if (!decisionKey) return (operation, fragments, ctx, variables) => check(operation, fragments, ctx, sentOf(operation, variables));
  const remembered = new WeakMap<OperationDefinitionNode, Map<string, Promise<GateOutcome>>>();
  return (operation, fragments, ctx, variables) => {
    let byKey = remembered.get(operation);
    if (!byKey) remembered.set(operation, (byKey = new Map()));
    const sent = sentOf(operation, variables);
    const key = `${decisionKey(ctx)}\u0000${sentKey(sent)}`;
    let outcome = byKey.get(key);
    if (!outcome) {
      outcome = check(operation, fragments, ctx, sent);
      if (byKey.size >= MAX_KEYS_PER_OPERATION) byKey.clear();
      byKey.set(key, outcome);
      outcome.catch(() => byKey.delete(key));
    }
    return outcome;
  };
}

function checkAfresh(rules: RuleMap, schema: GraphQLSchema, subjects: SubjectArguments, perOperation: Readonly<Record<string, number>>): CheckSent {
  return async function check(operation, fragments, ctx, sent) {
    const decisions = new Map<string, AccessDecision>();
    const shieldContext = Object.assign(Object.create(ctx) as RuleContext, { _shield: { cache: {} }, decisions });
    const pending: Array<Promise<void>> = [];
    const denials: Denial[] = [];
    const typesRead = new Set<string>();
    const counts = new Map<string, number>();
    const subjectSources: SubjectSource[] = [];

    /** Runs the rule of a coordinate (`owner.name`); `field` is set for an argument, whose denial refuses its field. */
    const checkRule = (owner: string, name: string, path: string, field?: string) => {
      const coordinate = `${owner}.${name}`;
      const refuse = (code: Denial['code'], reason: string, purposes?: readonly string[]) =>
        denials.push({ coordinate, path, code, reason, ...(field !== undefined && { field }), ...(purposes && { purposes }) });
      const fieldRule = rules[owner]?.[name];
      if (!fieldRule) {
        refuse('FORBIDDEN', `${coordinate} is not granted to ${ctx.caller.app}`);
        return;
      }
      pending.push(
        fieldRule.resolve({}, {}, shieldContext, undefined as never, SHIELD_OPTIONS).then((result) => {
          if (result === true) return;
          const error = result instanceof GraphQLError ? result : undefined;
          const code = error?.extensions['code'];
          const reason = error?.message ?? `${coordinate} is not granted to ${ctx.caller.app}`;
          if (code === 'PURPOSE_REQUIRED') refuse(code, reason, purposesOf(error?.extensions['purposes']));
          else refuse(code === 'CASE_REQUIRED' ? code : 'FORBIDDEN', reason);
        }),
      );
    };

    const checkField = (type: GraphQLObjectType, field: string, path: string) => {
      const coordinate = `${type.name}.${field}`;
      typesRead.add(type.name);
      if (perOperation[coordinate] !== undefined) counts.set(coordinate, (counts.get(coordinate) ?? 0) + 1);
      checkRule(type.name, field, path);
    };

    /** An argument naming a subject — given in the text or through a variable, however deep in an input object — is a read of it. */
    const checkArguments = (type: GraphQLObjectType, selection: FieldNode, path: string) => {
      const definition = type.getFields()[selection.name.value]!;
      const found: SubjectUses = { uses: [], sources: [] };
      for (const argument of selection.arguments ?? []) {
        const argumentDefinition = definition.args.find((a) => a.name === argument.name.value);
        if (argumentDefinition) usesInValue(subjects, argumentCoordinate(type.name, definition.name, argumentDefinition.name), argumentDefinition.type, argument.value, found, sent);
      }
      const field = `${type.name}.${definition.name}`;
      for (const use of new Set(found.uses)) {
        const dot = use.coordinate.indexOf('.');
        checkRule(use.coordinate.slice(0, dot), use.coordinate.slice(dot + 1), path, field);
      }
      subjectSources.push(...found.sources);
    };

    const visited = new Set<string>();
    const walk = (parent: GraphQLCompositeType, selectionSet: SelectionSetNode, path: string) => {
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          const objectTypes = isAbstractType(parent) ? schema.getPossibleTypes(parent) : [parent as GraphQLObjectType];
          if (name.startsWith('__')) {
            // `__typename` alone still reads the row (that it exists, its type): its row rules apply.
            if (name === '__typename') for (const objectType of objectTypes) typesRead.add(objectType.name);
            continue;
          }
          const fieldPath = path ? `${path}.${selection.alias?.value ?? name}` : (selection.alias?.value ?? name);
          let childType: GraphQLCompositeType | undefined;
          for (const objectType of objectTypes) {
            const definition = objectType.getFields()[name];
            if (!definition) continue;
            checkField(objectType, name, fieldPath);
            checkArguments(objectType, selection, fieldPath);
            const named = getNamedType(definition.type);
            if (!isObjectType(named) && !isAbstractType(named)) continue;
            childType = named;
          }
          if (selection.selectionSet && childType) walk(childType, selection.selectionSet, fieldPath);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const typed = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
          if (typed) walk(typed, selection.selectionSet, path);
        } else {
          const fragment = fragments[selection.name.value];
          const key = `${selection.name.value}@${path}`;
          if (!fragment || visited.has(key)) continue;
          visited.add(key);
          const typed = schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
          if (typed) walk(typed, fragment.selectionSet, path);
        }
      }
    };

    const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
    if (root) walk(root, operation.selectionSet, '');
    await Promise.all(pending);
    const overused = [...counts]
      .filter(([coordinate, count]) => count > perOperation[coordinate]!)
      .map(([coordinate, count]) => ({ coordinate, count, limit: perOperation[coordinate]! }));
    return { denials, overused, typesRead, decisions, subjectSources };
  };
}

export type AccessGate = ReturnType<typeof createAccessGate>;
