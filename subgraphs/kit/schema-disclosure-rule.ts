/**
 * A department never describes its schema to a caller (THREATS I3): the gateway plans over the committed
 * supergraph and never asks a department for `__schema`, `__type` or `_service`, so a department that
 * answered them would only serve whoever holds a gateway token — and tell them every field it has, granted
 * or not. Refused while validating, wherever the field sits (fragments, aliases, any depth).
 */
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

const SCHEMA_FIELDS = new Set(['__schema', '__type', '_service']);

export function NoSchemaDisclosureRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (!SCHEMA_FIELDS.has(node.name.value)) return;
      context.reportError(new GraphQLError(`This department does not describe its schema (${node.name.value}).`, { nodes: node }));
    },
  };
}
