/**
 * The part of `npm run build:server` that tsc does not do: the files the compiled programs read beside
 * their own code — each department's schema.graphql, next to its index.js under dist/.
 */
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

for (const department of readdirSync(join(ROOT, 'subgraphs'), { withFileTypes: true })) {
  const schema = join(ROOT, 'subgraphs', department.name, 'schema.graphql');
  if (department.isDirectory() && existsSync(schema)) copyFileSync(schema, join(ROOT, 'dist', 'subgraphs', department.name, 'schema.graphql'));
}
