/**
 * A department's executable subgraph schema: its schema file with the kit's header, its resolvers and the
 * kit's scalars. The service protects it with the contracts (server.ts); a department's own tests execute
 * it in process. Unprotected as it is — no gateway-token check, no contracts, no row rules — it must never
 * be served: a department serves itself with `startDepartment` or `runDepartment`.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Department, DepartmentStore } from './department';
import { loadSubgraphTypeDefs } from './federation';
import { scalarResolvers } from './scalars/scalar-resolvers';

export function departmentSchema<DB, S extends DepartmentStore, L>(
  department: Pick<Department<DB, S, L>, 'schemaFile' | 'resolvers'>,
  typeDefs: DocumentNode = loadSubgraphTypeDefs(department.schemaFile),
): GraphQLSchema {
  // The resolver map is typed with the department's context; graphql-js calls it with exactly that context.
  return buildSubgraphSchema([{ typeDefs, resolvers: { ...scalarResolvers, ...department.resolvers } as never }]);
}
