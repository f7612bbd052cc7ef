/**
 * A subgraphs/ folder of one's own, for tests of discovery and of what is generated from it: this checkout's
 * departments and kit linked into it, beside departments the test writes as a team would.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS_ROOT } from '../../scripts/departments';

/** The checkout's department folders: each with an index.ts. */
export const CHECKOUT_FOLDERS = readdirSync(SUBGRAPHS_ROOT).filter((folder) => folder !== 'kit' && existsSync(join(SUBGRAPHS_ROOT, folder, 'index.ts')));

/** Links the checkout's departments and the kit into `root` (made if missing); returns it. */
export function linkCheckoutSubgraphs(root: string): string {
  mkdirSync(root, { recursive: true });
  for (const folder of [...CHECKOUT_FOLDERS, 'kit']) symlinkSync(join(SUBGRAPHS_ROOT, folder), join(root, folder), 'dir');
  return root;
}

/** A department folder as its team would write it: an index exporting `department`, beside a schema. */
export function addDepartment(root: string, folder: string, index: string, file = 'index.ts'): void {
  mkdirSync(join(root, folder));
  writeFileSync(join(root, folder, 'schema.graphql'), 'type Query { contributions: Int @sharing(class: PUBLIC) }\n');
  writeFileSync(join(root, folder, file), index);
}

/** The index of a small but valid department of this name and port. */
export const departmentIndex = (name: string, port: number) => `import { join } from 'node:path';
export const department = {
  name: '${name}',
  title: '人社 human resources and social security',
  defaultPort: ${port},
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers: { Query: { contributions: () => 0 } },
  createStore: () => ({ migrate: async () => {}, isEmpty: async () => true, drop: async () => {}, ping: async () => {} }),
  createLoaders: () => ({}),
  seed: async () => {},
};
`;
