/**
 * `npm run compose -- [--registry <file>] [--out <file>]`: writes the supergraph of this repository's
 * departments and the remote departments a registry lists, or lists every composition problem and exits 1.
 */
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseCommandLine, runCommandLine } from './command-line';
import { SUPERGRAPH_HEADER, composeSupergraph, referenceSubgraphs } from './compose-supergraph';
import { readDepartmentRegistry } from './department-registry';

const USAGE = `usage: npm run compose -- [--registry <file>] [--out <file>]

Composes this repository's departments (subgraphs/*/schema.graphql) and the remote departments a registry
lists into one supergraph, or lists every composition problem (exit 1).

  --registry <file>   a YAML file of remote departments, each by name, URL and schema file
                      (docs/departments.md, "Joining from your own repository")
  --out <file>        where to write the supergraph (default: supergraph.graphql in the repository)
  -h, --help          this text`;

function main(args: string[]): void {
  const { values } = parseCommandLine({ args, options: { registry: { type: 'string' }, out: { type: 'string' } } });
  const registry = values.registry === undefined ? undefined : resolve(values.registry);
  // A schema file that does not parse, or a registry's problems, end the run with their message (exit 1).
  const own = referenceSubgraphs();
  const remote = registry ? readDepartmentRegistry(registry, own.map((s) => s.name)) : [];
  const result = composeSupergraph([...own, ...remote]);
  if (!result.ok) {
    process.stderr.write(`Composition failed:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exitCode = 1;
    return;
  }
  const file = values.out === undefined ? resolve(__dirname, '..', 'supergraph.graphql') : resolve(values.out);
  const remoteLine = registry ? `# Remote departments from ${basename(registry)}: ${remote.map((s) => s.name).join(', ')}.\n` : '';
  writeFileSync(file, result.supergraph.replace(SUPERGRAPH_HEADER, SUPERGRAPH_HEADER + remoteLine));
  process.stdout.write(`wrote ${file}\n`);
}

runCommandLine(USAGE, main);
