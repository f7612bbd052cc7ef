/**
 * `npm run start:department -- <name>`: one department alone, from the build, configured by its environment
 * (PORT, else the port it declares; DATA_DIR, DATABASE_URL, GATEWAY_JWKS_FILE …) — what a deployment runs
 * for each department. The name is one found under subgraphs/ (./departments.ts).
 */
import { runDepartment } from '../subgraphs/kit/run';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { departmentChoices, discoverDepartments, unknownDepartment } from './departments';

const USAGE = `usage: npm run start:department -- <name>

Runs the department of that name (its folder under subgraphs/) alone, from the build (npm run build:server
first after changing the sources), until Ctrl-C or SIGTERM. It listens on PORT, else on the port it declares
(defaultPort in its index), and reads the department variables of docs/configuration.md.`;

function main(args: string[]): void {
  const { positionals } = parseCommandLine({ args, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError(`a department name is required: ${departmentChoices()}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
  const name = positionals[0]!;
  const found = discoverDepartments().find(({ department }) => department.name === name);
  if (!found) throw new UsageError(unknownDepartment(name));
  runDepartment(found.department);
}

runCommandLine(USAGE, main);
