/**
 * The part of `npm run build:server` that tsc does not do: the files the compiled programs read beside
 * their own code — each department's schema file (the departments found under subgraphs/, ./departments.ts),
 * at the same place under dist/subgraphs/ as under subgraphs/.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { departments, SUBGRAPHS_ROOT } from './departments';

const BUILT_SUBGRAPHS = join(__dirname, '..', 'dist', 'subgraphs');

function copySchemas(): void {
  for (const department of departments()) {
    const within = relative(SUBGRAPHS_ROOT, department.schemaFile);
    if (within.startsWith('..')) throw new Error(`${department.name}'s schemaFile ${department.schemaFile} is outside subgraphs/: keep it in the department's folder`);
    mkdirSync(dirname(join(BUILT_SUBGRAPHS, within)), { recursive: true });
    copyFileSync(department.schemaFile, join(BUILT_SUBGRAPHS, within));
  }
}

try {
  copySchemas();
} catch (error) {
  process.stderr.write(`build:server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
