/**
 * `npm run check-subgraph -- <name> [--schema file] [--operations dir] [--allow-breaking] [--json]`:
 * before a department ships a schema change, what it does to the graph and which apps it breaks
 * (subgraph-check.ts). Exit codes: 0 it may ship, 1 it does not compose or breaks something, 2 a wrong
 * command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { formatProblem } from '../contracts/problem';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { PROJECT_ROOT } from './program';
import { formatCompositionProblem } from './explain-composition-error';
import { EXAMPLE_CLIENTS, exampleOperations, operationsInFolder, type OperationText } from './registered-operations';
import { scriptEnvironment } from './script-environment';
import { checkPassed, checkSubgraph, type SubgraphCheck } from './subgraph-check';

const USAGE = `usage: npm run check-subgraph -- <department> [--schema <file>] [--operations <dir>] [--allow-breaking] [--json]

Composes the department's schema with the other departments and compares the graph with the committed
supergraph.graphql: every change, breaking, dangerous or safe, and what it breaks for each app — contract
grants, the app's own schema, the app's operations.

  <department>         the department's name, as in subgraphs/<name>/
  --schema <file>      its new schema (without the kit's header); default subgraphs/<name>/schema.graphql
                       as it is now. A name not in the graph yet with --schema checks a new department.
  --operations <dir>   the apps' operations: .graphql files under <dir>/<app>/, or starting with
                       "# app: <id>"; may be repeated. Default: the example client's (${EXAMPLE_CLIENTS.map((c) => c.dir).join(', ')})
  --allow-breaking     exit 0 on a breaking change (a composition error still fails)
  --json               the result as JSON, for CI
  -h, --help           this text

exit codes: 0 it may ship, 1 it does not compose or it breaks something, 2 a wrong command line`;


function readOperations(dirs: readonly string[]): { operations: OperationText[]; from: string } {
  if (dirs.length === 0) return { operations: exampleOperations(PROJECT_ROOT), from: EXAMPLE_CLIENTS.map((c) => c.dir).join(', ') };
  return { operations: dirs.flatMap((dir) => operationsInFolder(resolve(dir))), from: dirs.join(', ') };
}

function readSupergraph(): string {
  const file = resolve(PROJECT_ROOT, 'supergraph.graphql');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read ${file}: run npm run compose on the main branch first.`);
  }
}

function text(check: SubgraphCheck, passed: boolean, operations: { count: number; from: string }): string {
  const lines = [`check-subgraph ${check.department}${check.newDepartment ? ' (a new department)' : ''} against supergraph.graphql`, ''];
  if (!check.composition.ok) {
    lines.push('Composition FAILED:', ...check.composition.problems.map((p) => `  - ${formatCompositionProblem(p)}`), '', 'Fix the schema and run the check again.');
    return lines.join('\n');
  }
  const { breaking, dangerous, safe } = check.changes;
  lines.push(`Composition: ok`, `Changes to the graph: ${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe`);
  for (const change of [...breaking, ...dangerous, ...safe]) lines.push(`  ${change.level.padEnd(9)} ${change.coordinate.padEnd(36)} ${change.message}`);
  lines.push('', `Operations checked: ${operations.count} (from ${operations.from})`);
  if (check.apps.length === 0) lines.push('', 'No app is broken by the change.');
  for (const app of check.apps) {
    lines.push('', `Breaks ${app.app}:`);
    for (const g of app.grants) lines.push(`  grant      ${g.purpose} ${g.coordinate}: ${g.problem}`);
    for (const s of app.schema) lines.push(`  schema     ${s.coordinate}: ${s.message}`);
    for (const o of app.operations) lines.push(`  operation  ${o.name}${o.registeredAs !== undefined ? ` (registered as ${o.registeredAs})` : ''} in ${o.source}: ${o.errors.join(' ')}`);
  }
  if (check.notChecked.length > 0) lines.push('', 'Not checked:', ...check.notChecked.map((n) => `  - ${n}`));
  lines.push(
    '',
    !check.breaking
      ? 'Result: no breaking change — it may ship.'
      : passed
        ? 'Result: BREAKING, allowed by --allow-breaking: tell the owners of the apps above before it ships.'
        : 'Result: BREAKING — agree the change with the owners of the apps above (or keep the old field beside the new one, deprecated), then run again with --allow-breaking.',
  );
  return lines.join('\n');
}

async function main(args: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      schema: { type: 'string' },
      operations: { type: 'string', multiple: true, default: [] },
      'allow-breaking': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [department, extra] = positionals;
  if (department === undefined) throw new UsageError('the department to check is required, e.g. npm run check-subgraph -- civil-affairs');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  if (values.schema !== undefined && !existsSync(values.schema)) throw new UsageError(`--schema ${values.schema}: no such file`);

  const env = scriptEnvironment();
  const { contracts, problems } = loadContracts(resolve(env.contractsDir));
  const { platform, problems: platformProblems } = loadPlatform(resolve(env.platformFile));
  const unreadable = [...problems, ...platformProblems];
  if (unreadable.length > 0 || !platform) throw new Error(`The contracts do not load — fix them first (npm run contracts -- check):\n${unreadable.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  const { operations, from } = readOperations(values.operations);

  const check = await checkSubgraph({
    department,
    ...(values.schema !== undefined && { schemaFile: resolve(values.schema) }),
    supergraph: readSupergraph(),
    contracts: contracts.map((c) => c.contract),
    declarations: platform,
    undeclaredSharingClass: platform.undeclaredSharingClass,
    operations,
    now: new Date(),
  });
  const passed = checkPassed(check, values['allow-breaking']);
  const operationsFrom = { count: operations.length, from };
  process.stdout.write(`${values.json ? JSON.stringify({ ...check, passed, operations: operationsFrom }, null, 2) : text(check, passed, operationsFrom)}\n`);
  if (!passed) process.exitCode = 1;
}

runCommandLine(USAGE, main);
