/**
 * `npm run contracts -- <command>` — the contracts for auditors and CI (the usage below says it all).
 * Exit codes: 0 done, 1 a problem found (or a failure while running), 2 a wrong command line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { printSchema } from 'graphql';
import { AccessPolicy } from './access-policy';
import { accessMatrix, matrixHtml, matrixMarkdown } from './access-matrix';
import { describedAppSchema } from './app-schema-notes';
import { caseOpenerProblems } from './case-openers';
import { checkContracts } from './check-contracts';
import { EXTRACT_FILE, extractForDepartment } from './department-extract';
import { diffContracts } from './diff-contracts';
import { loadContracts, loadPlatform, parseContracts } from './load-contracts';
import { parseCommandLine, runCommandLine, UsageError } from '../scripts/command-line';
import { formatProblem } from './problem';
import { NO_DECLARATIONS } from './subject-arguments';
import { buildCatalog } from './supergraph-catalog';

const USAGE = `usage: npm run contracts -- <command> [options]

commands:
  check                       validate every contract against the supergraph (exit 1 on any problem)
  report [--format md|html]   the access matrix, app × field, for people who do not read GraphQL
  diff <git-ref>              grants added, removed or widened since that revision
  schema --app <id>           the API schema that app sees today, as SDL, described for it
                              (the purposes that grant each field, its mask, the cache keys)
  extract --department <name> --out <folder>
                              what that department enforces, and nothing of any other's fields:
                              writes <folder>/${EXTRACT_FILE}, its CONTRACTS_DIR (docs/departments.md)

options:
  --dir <folder>              the contracts (default $CONTRACTS_DIR, as the gateway reads it, else contracts/apps)
  --platform <file>           the platform file (default $PLATFORM_FILE, else contracts/platform.yaml)
  --supergraph <file>         the supergraph (default $SUPERGRAPH_FILE, else supergraph.graphql)
  -h, --help                  this text

exit codes: 0 done, 1 a problem found or a failure, 2 a wrong command line`;

/** How many arguments each command takes after its name. */
const COMMANDS: Readonly<Record<string, number>> = { check: 0, report: 0, diff: 1, schema: 0, extract: 0 };

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The contracts folder as it was at a git revision. */
function contractsAt(ref: string, dir: string) {
  const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8' }).trim();
  const path = relative(top, dir);
  let names: string[];
  try {
    names = execFileSync('git', ['ls-tree', '--name-only', `${ref}:${path}`], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')
      .filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return { contracts: [], problems: [] };
  }
  return parseContracts(names.map((name) => ({ file: join(path, name), text: execFileSync('git', ['show', `${ref}:${path}/${name}`], { cwd: top, encoding: 'utf8' }) })));
}

// Piping into `head` closes stdout early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));

function readSupergraph(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read the supergraph at ${file}: run npm run compose, or name it with --supergraph.`);
  }
}

function main(args: string[]): void {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      // The gateway's own variables first: a check run where the gateway runs checks what it enforces.
      dir: { type: 'string', default: process.env['CONTRACTS_DIR'] ?? 'contracts/apps' },
      platform: { type: 'string', default: process.env['PLATFORM_FILE'] ?? 'contracts/platform.yaml' },
      supergraph: { type: 'string', default: process.env['SUPERGRAPH_FILE'] ?? 'supergraph.graphql' },
      format: { type: 'string', default: 'md' },
      app: { type: 'string' },
      department: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('a command is required');
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${command}`);
  const takes = COMMANDS[command]!;
  if (rest.length > takes) throw new UsageError(`unexpected argument ${rest[takes]!}`);
  if (command === 'diff' && rest.length === 0) throw new UsageError('diff needs a git revision to compare with, e.g. diff main');
  if (command === 'schema' && !values.app) throw new UsageError('schema needs --app <id>');
  if (command === 'extract' && (!values.department || !values.out)) throw new UsageError('extract needs --department <name> and --out <folder>');
  if (command === 'report' && values.format !== 'md' && values.format !== 'html') throw new UsageError('--format is md or html');
  const argument = rest[0];
  const dir = resolve(values.dir);
  const { platform, problems: platformProblems } = loadPlatform(resolve(values.platform));
  const catalog = buildCatalog(readSupergraph(resolve(values.supergraph)), platform?.undeclaredSharingClass ?? 'CONDITIONAL');
  const { contracts, problems } = loadContracts(dir);

  switch (command) {
    case 'check': {
      const all = [...platformProblems, ...problems, ...checkContracts(contracts, catalog, platform), ...caseOpenerProblems(contracts, platform)];
      if (all.length > 0) fail(`${all.length} problem(s):\n${all.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
      process.stdout.write(`${contracts.length} contracts checked against ${relative(process.cwd(), resolve(values.supergraph))}: no problems\n`);
      return;
    }
    case 'report': {
      const rows = accessMatrix(contracts.map((c) => c.contract), catalog, platform ?? NO_DECLARATIONS);
      process.stdout.write(values.format === 'html' ? matrixHtml(rows) : matrixMarkdown(rows));
      return;
    }
    case 'diff': {
      const before = contractsAt(argument!, dir);
      const changes = diffContracts(before.contracts.map((c) => c.contract), contracts.map((c) => c.contract));
      const lines = changes.map((c) => `${c.kind.padEnd(8)} ${c.app} ${c.purpose} ${c.coordinate}${c.detail ? ` (${c.detail})` : ''}`);
      process.stdout.write(`${lines.length > 0 ? lines.join('\n') : `no grants changed since ${argument}`}\n`);
      return;
    }
    case 'extract': {
      // Only checked contracts leave the platform.
      const all = [...platformProblems, ...problems, ...checkContracts(contracts, catalog, platform), ...caseOpenerProblems(contracts, platform)];
      if (all.length > 0) fail(`the contracts have ${all.length} problem(s); npm run contracts -- check lists them`);
      const extract = extractForDepartment(contracts.map((c) => c.contract), catalog, values.department!);
      const out = resolve(values.out!);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, EXTRACT_FILE), `${JSON.stringify(extract, null, 2)}\n`);
      const grants = extract.contracts.reduce((n, c) => n + c.purposes.reduce((m, p) => m + p.grants.length, 0), 0);
      process.stdout.write(`${relative(process.cwd(), join(out, EXTRACT_FILE))}: ${grants} grants of ${extract.department}'s fields to ${extract.contracts.length} apps\n`);
      return;
    }
    case 'schema': {
      const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog, platform ?? NO_DECLARATIONS);
      const schema = describedAppSchema(policy, catalog.apiSchema, values.app!, new Date());
      if (!schema) fail(`app ${values.app} has no contract in force: it can read nothing`);
      process.stdout.write(`${printSchema(schema)}\n`);
      return;
    }
  }
}

runCommandLine(USAGE, main);
