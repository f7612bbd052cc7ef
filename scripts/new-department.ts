/**
 * `npm run new-department -- <name> [--title …] [--port …] [--grant-to <app>] [--root <folder>]`
 * Writes a working department into subgraphs/<name>/ for the department to edit (generate-department.ts).
 */
import { relative, resolve } from 'node:path';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { generateDepartment } from './generate-department';

const USAGE = `usage: npm run new-department -- <name> [--title <text>] [--port <number>] [--grant-to <app>]

Writes a working department into subgraphs/<name>/: a schema that adds one object with one list to Person,
a store with one table, its loader, resolvers, a seed over the synthetic world, index.ts and a test.
The department then renames and edits them (docs/departments.md, "Starting a new department").

  <name>              the folder and subgraph name, in kebab-case: human-resources
  --title <text>      the department's own name, e.g. "人社 human resources" (default: the name in words)
  --port <number>     its default port (default: the first above every port declared in subgraphs/)
  --grant-to <app>    also add to that app's contract a purpose granting the new fields, its description
                      and legal basis marked REPLACE for the department to write (default: no grant)
  --root <folder>     where subgraphs/ and contracts/ are (default: this repository)
  -h, --help          this text

exit codes: 0 written, 1 refused (nothing written), 2 a wrong command line`;

function main(args: string[]): void {
  const { values, positionals } = parseCommandLine({
    args,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      port: { type: 'string' },
      'grant-to': { type: 'string' },
      root: { type: 'string', default: resolve(__dirname, '..') },
    },
  });
  const [name, extra] = positionals;
  if (name === undefined) throw new UsageError('the department name is required, e.g. npm run new-department -- human-resources');
  if (extra !== undefined) throw new UsageError(`unexpected argument ${extra}`);
  if (values.port !== undefined && !/^\d+$/.test(values.port)) throw new UsageError('--port is a whole number from 1024 to 65535');
  const root = resolve(values.root);
  const generated = generateDepartment({
    root,
    name,
    ...(values.title !== undefined && { title: values.title }),
    ...(values.port !== undefined && { port: Number(values.port) }),
    ...(values['grant-to'] !== undefined && { grantTo: values['grant-to'] }),
  });
  const shown = (file: string) => relative(process.cwd(), file) || '.';
  const lines = [`wrote ${shown(generated.folder)}/ (${generated.files.join(', ')}), default port ${generated.port}`];
  if (generated.grant) {
    lines.push(`granted to ${values['grant-to']} under purpose ${generated.grant.purpose} in ${shown(generated.grant.file)}: write its description and legal basis (marked REPLACE)`);
  } else {
    lines.push('no app may read the new fields until a contract grants them (contracts/README.md); --grant-to <app> writes such a grant');
  }
  lines.push('next: npm run compose, npm run contracts -- check, npm run manifests (its Kubernetes manifests), npx jest ' + shown(generated.folder));
  process.stdout.write(`${lines.join('\n')}\n`);
}

runCommandLine(USAGE, main);
