/**
 * `@skip` / `@include` decided once, at the gateway, before anything else sees the operation: the
 * selections they switch off with this request's variables are removed from the document, and the
 * directives are removed from the selections they keep. The access gate, the row rules, the planner, the
 * departments and the result gate are then all handed that one document, with no condition left in it,
 * so none of them can read a field the others thought switched off, nor skip one another reads.
 *
 * The conditions are decided as graphql-js's executor decides them (`getDirectiveValues` over the
 * variables coerced by `getVariableValues`, defaults applied): `@skip(if: true)` or `@include(if: false)`
 * switches a field, fragment spread or inline fragment off. A condition graphql-js would fail on (an
 * explicit `null` for a variable with a default) refuses the request rather than guessing.
 *
 * The result for a document is remembered per operation and per value of the variables its conditions
 * read, so each combination is one document object — and the access gate, which remembers its outcome
 * per operation object, remembers it per combination too: an outcome decided with a part off is never
 * the outcome of a request that switched it on.
 */
import { createHash } from 'node:crypto';
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getVariableValues,
  print,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

export interface SwitchedDocument {
  /** The operation and the fragments it still spreads: switched-off selections removed, no `@skip`/`@include` left. */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The document's own plan-cache key (SHA-256 of its text): a plan is never shared with another combination. */
  queryHash: string;
  /** Every root selection is switched off: there is nothing to check, plan or run. */
  empty: boolean;
}

/** No condition in the document (it is used as it is), the document as the conditions leave it, or why they cannot be decided. */
export type Switched = undefined | SwitchedDocument | { problem: string };

/** Combinations remembered per document; past it the document's entries start again. */
const MAX_COMBINATIONS_PER_DOCUMENT = 64;

const CONDITIONS = new Set(['skip', 'include']);
const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

interface DocumentConditions {
  /** Variables read by some `@skip`/`@include` of the document, in a fixed order. */
  variables: readonly string[];
  byKey: Map<string, Exclude<Switched, undefined>>;
}

const isCondition = (directive: DirectiveNode) => CONDITIONS.has(directive.name.value);

/** The conditions of a document, or undefined when it has none. */
function conditionsOf(document: DocumentNode): DocumentConditions | undefined {
  let found = false;
  const variables = new Set<string>();
  visit(document, {
    Directive(node) {
      if (!isCondition(node)) return false;
      found = true;
      visit(node, { Variable: (variable) => void variables.add(variable.name.value) });
      return false;
    },
  });
  return found ? { variables: [...variables].sort(), byKey: new Map() } : undefined;
}

/** Whether graphql-js's executor would run the selection (`shouldIncludeNode`); throws what it would throw. */
function included(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  if (!selection.directives?.some(isCondition)) return true;
  if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.['if'] !== false;
}

/** The operation and the fragments it reaches, with the switched-off selections removed. */
function switchOff(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): { operation: OperationDefinitionNode; fragments: FragmentDefinitionNode[] } {
  const definitions = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) definitions.set(definition.name.value, definition);
  // A fragment's conditions read only variables, so it is the same wherever it is spread: kept once, by name (undefined while being built, or when left empty).
  const kept = new Map<string, FragmentDefinitionNode | undefined>();

  const fragment = (name: string): FragmentDefinitionNode | undefined => {
    if (kept.has(name)) return kept.get(name);
    const definition = definitions.get(name);
    if (!definition) return undefined;
    kept.set(name, undefined);
    const selectionSet = selections(definition.selectionSet);
    const result = selectionSet.selections.length > 0 ? { ...definition, selectionSet } : undefined;
    kept.set(name, result);
    return result;
  };

  const selections = (set: SelectionSetNode): SelectionSetNode => {
    const out: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (!included(selection, variables)) continue;
      const directives = selection.directives?.filter((d) => !isCondition(d));
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet) {
          out.push({ ...selection, directives });
          continue;
        }
        const child = selections(selection.selectionSet);
        // A field whose every sub-selection is off still reads its row: `__typename` keeps it valid and under the row rules.
        out.push({ ...selection, directives, selectionSet: child.selections.length > 0 ? child : { ...child, selections: [TYPENAME] } });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const child = selections(selection.selectionSet);
        if (child.selections.length > 0) out.push({ ...selection, directives, selectionSet: child });
      } else if (fragment(selection.name.value)) {
        out.push({ ...selection, directives });
      }
    }
    return { ...set, selections: out };
  };

  const selectionSet = selections(operation.selectionSet);
  return { operation: { ...operation, selectionSet }, fragments: [...kept.values()].filter((f): f is FragmentDefinitionNode => f !== undefined) };
}

/** Decides the document's `@skip`/`@include` with a request's variables (as sent: they are coerced here). */
export function createSkipInclude(schema: GraphQLSchema) {
  const documents = new WeakMap<DocumentNode, DocumentConditions | null>();
  return function applySkipInclude(document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): Switched {
    let conditions = documents.get(document);
    if (conditions === undefined) documents.set(document, (conditions = conditionsOf(document) ?? null));
    if (!conditions) return undefined;
    const read = new Set(conditions.variables);
    const definitions = (operation.variableDefinitions ?? []).filter((d) => read.has(d.variable.name.value));
    const coerced = getVariableValues(schema, definitions, variables);
    if (coerced.errors) return { problem: coerced.errors.map((e) => e.message).join(' ') };
    const values = coerced.coerced;
    const key = [operation.name?.value ?? '', ...conditions.variables.map((name) => (name in values ? JSON.stringify(values[name]) : '-'))].join('\u0000');
    let switched = conditions.byKey.get(key);
    if (!switched) {
      switched = decide(document, operation, values);
      if (conditions.byKey.size >= MAX_COMBINATIONS_PER_DOCUMENT) conditions.byKey.clear();
      conditions.byKey.set(key, switched);
    }
    return switched;
  };
}

function decide(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): Exclude<Switched, undefined> {
  let result;
  try {
    result = switchOff(document, operation, variables);
  } catch (error) {
    if (error instanceof GraphQLError) return { problem: error.message };
    throw error;
  }
  const switched: DocumentNode = { kind: Kind.DOCUMENT, definitions: [result.operation, ...result.fragments] };
  return {
    document: switched,
    operation: result.operation,
    queryHash: createHash('sha256').update(print(switched)).digest('hex'),
    empty: result.operation.selectionSet.selections.length === 0,
  };
}

export type SkipInclude = ReturnType<typeof createSkipInclude>;
