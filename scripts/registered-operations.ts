/**
 * The operations apps send, to check a schema change against. The platform keeps no operation texts: a
 * contract registers its app's operations by SHA-256 only (`persistedOnly`, `operations:`), and the
 * gateway keeps automatic persisted queries in memory. So the texts come from the apps' teams as
 * `.graphql` files — under a folder named after the app (`<dir>/<app>/*.graphql`) or anywhere with a
 * first line `# app: <id>` — and, by default, from the example client this repository ships.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql';

export interface OperationText {
  app: string;
  /** The operations' names, or the file's name for an anonymous one. */
  name: string;
  /** Where it came from: a file, or `file#n` for the n-th document of a source file. */
  source: string;
  document: DocumentNode;
  /** SHA-256 of the exact text, as a contract registers it. */
  sha256: string;
}

/** The example clients of this repository and the app each one is (docs/front-end.md). */
export const EXAMPLE_CLIENTS: ReadonlyArray<{ app: string; dir: string }> = [{ app: 'oneservice-portal', dir: 'examples/portal-client/src' }];

const APP_HEADER = /^\s*#\s*app:\s*(\S+)/;

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function operationText(app: string, source: string, text: string): OperationText {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    const where = error instanceof GraphQLError && error.locations?.[0] ? `:${error.locations[0].line}:${error.locations[0].column}` : '';
    throw new Error(`${source}${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : []));
  return { app, name: names.length > 0 ? names.join(', ') : source.split(/[\\/]/).at(-1)!, source, document, sha256: createHash('sha256').update(text).digest('hex') };
}

/** The `.graphql` documents under a folder, each attributed to its app by its header or its folder. */
export function operationsInFolder(dir: string, root = process.cwd()): OperationText[] {
  let files: string[];
  try {
    files = filesUnder(dir, '.graphql');
  } catch {
    throw new Error(`${dir}: the operations folder cannot be read`);
  }
  return files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const folders = relative(dir, file).split(sep).slice(0, -1);
    const app = APP_HEADER.exec(text)?.[1] ?? folders[0];
    const shown = relative(root, file);
    if (!app) throw new Error(`${shown}: which app sends it? Put it in a folder named after the app (${dir}/<app>/), or begin it with "# app: <id>"`);
    return operationText(app, shown, text);
  });
}

/** The `graphql(\`…\`)` documents of the example clients (GraphQL Code Generator's client preset takes no interpolation). */
export function exampleOperations(root: string): OperationText[] {
  return EXAMPLE_CLIENTS.flatMap(({ app, dir }) => {
    let files: string[];
    try {
      files = filesUnder(join(root, dir), '.ts').filter((file) => !file.includes(`${sep}gql${sep}`));
    } catch {
      return [];
    }
    return files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bgraphql\(\s*`([^`]*)`\s*\)/g)].map((match, index) => operationText(app, `${relative(root, file)}#${index + 1}`, match[1]!)),
    );
  });
}
