/**
 * Introspection answered from the calling app's own schema (THREATS G11, I1). Whether an operation asks
 * for `__schema` or `__type` is decided over the whole operation — through named and inline fragments,
 * under aliases, at any depth — so no spelling of it reaches the supergraph's executor. Such an operation
 * is validated against the app's own schema and executed there, never against the supergraph.
 */
import {
  GraphQLError,
  Kind,
  execute,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { ERROR_CATALOGUE } from './errors';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

export interface IntrospectionShape {
  /** `__schema` or `__type` somewhere in the operation or a fragment it spreads. */
  introspective: boolean;
  /** A root field other than introspection and `__typename`, however it is reached. */
  readsData: boolean;
}

export function introspectionShape(operation: OperationDefinitionNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): IntrospectionShape {
  const shape: IntrospectionShape = { introspective: false, readsData: false };
  const spread = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, atRoot: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (INTROSPECTION_FIELDS.has(name)) shape.introspective = true;
        else if (atRoot && name !== '__typename') shape.readsData = true;
        if (selection.selectionSet) walk(selection.selectionSet, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, atRoot);
      } else {
        // A fragment is walked once per level kind: where it sits decides only whether its fields are root fields.
        const key = `${selection.name.value}:${atRoot}`;
        const fragment = fragments[selection.name.value];
        if (!fragment || spread.has(key)) continue;
        spread.add(key);
        walk(fragment.selectionSet, atRoot);
      }
    }
  };
  walk(operation.selectionSet, true);
  return shape;
}

/** The operation run against the app's own schema, after validating the document against it. */
export async function introspectOwnSchema(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
  variableValues: Record<string, unknown>,
): Promise<{ result: ExecutionResult; valid: boolean }> {
  const problems = validate(schema, document, specifiedRules);
  if (problems.length > 0) {
    const status = ERROR_CATALOGUE.GRAPHQL_VALIDATION_FAILED.status;
    const errors = problems.map((p) => new GraphQLError(p.message, { nodes: p.nodes ?? null, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status } } }));
    return { result: { errors }, valid: false };
  }
  return { result: await execute({ schema, document, operationName, variableValues }), valid: true };
}
