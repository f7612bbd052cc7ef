/**
 * A validation rule that checks identifier literals (`person(idNumber: "…")`) where they are written,
 * so the error names the argument — "Argument "idNumber" of "person" …" — and the operation is refused
 * before any resolver or SQL runs. Values sent as variables are checked by the scalar's parseValue,
 * whose error names the variable.
 */
import { GraphQLError, getNamedType, isScalarType, type ASTVisitor, type ValidationContext } from 'graphql';
import { identifierProblemOf } from './identifier-scalar';

export function IdentifierLiteralsRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      const type = getNamedType(context.getInputType());
      const check = type && isScalarType(type) ? identifierProblemOf(type) : undefined;
      const problem = check?.problem(node.value);
      if (!check || !problem) return;
      const argument = context.getArgument();
      const field = context.getFieldDef();
      const where = argument ? `Argument "${argument.name}"${field ? ` of "${field.name}"` : ''}` : 'A value';
      context.reportError(
        new GraphQLError(`${where} is not a valid ${check.label}: it ${problem}.`, {
          nodes: node,
          extensions: { code: 'BAD_USER_INPUT', ...(argument && { argument: argument.name }) },
        }),
      );
    },
  };
}
