/**
 * Every GraphQL example of the README runs as shown on a fresh `npm start`: each `curl` to
 * http://127.0.0.1:4000/graphql in a ```sh block (tests/support/readme-examples.ts reads them as a terminal
 * would, with the TOKEN set before it) is sent, in the README's order, to the real gateway and departments
 * seeded with the same synthetic world as `npm start` (DEFAULT_WORLD_SIZE), with its token minted as `npm
 * run token` would mint it from the same arguments. Each must answer data, non-empty, and no error. And
 * `npm run sample`, which the README offers for finding subjects, prints a token and a command that work.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadContracts } from '../contracts/load-contracts';
import { mintAppToken } from '../scripts/mint-app-token';
import { DEFAULT_WORLD_SIZE } from '../subgraphs/kit/synthetic/world';
import { startGraph, type TestGraph } from './support/graph';
import { documentCommands, fencedBlocks, literal, shellWords, type CurlExample, type Definition, type Word } from './support/readme-examples';

const ROOT = resolve(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const NPM_START_URL = 'http://127.0.0.1:4000/graphql';
const { examples, commands } = documentCommands(README, 'README.md');

/** The apps a development token is signed for: every demo contract not internal to the platform. */
const DEMO_APPS = loadContracts(join(ROOT, 'contracts', 'apps'))
  .contracts.filter((c) => !c.contract.internal)
  .map((c) => c.contract.app)
  .sort();

/** `npm run [-s] <script> -- <args>`: the script and its arguments. */
function npmScript(words: readonly string[]): { script: string; args: string[] } | undefined {
  if (words[0] !== 'npm' || words[1] !== 'run') return undefined;
  const rest = words.slice(2).filter((w) => w !== '-s' && w !== '--silent');
  const [script, separator, ...args] = rest;
  if (!script || (separator !== undefined && separator !== '--')) return undefined;
  return { script, args };
}

/** The arguments of `npm run token`, read with its own options (scripts/token.ts). */
function tokenArguments(words: readonly string[], where: string) {
  const command = npmScript(words);
  if (command?.script !== 'token') throw new Error(`${where}: a variable is set from \`${words.join(' ')}\`; the test runs only npm run token`);
  const { values } = parseArgs({ args: command.args, strict: true, options: { app: { type: 'string' }, operator: { type: 'string' }, region: { type: 'string' }, ttl: { type: 'string' } } });
  if (!values.app) throw new Error(`${where}: npm run token without --app`);
  return { app: values.app, ...(values.operator && { operator: values.operator }), ...(values.region && { region: values.region }), ...(values.ttl && { ttl: values.ttl }) };
}

const header = (example: CurlExample, name: string) => example.headers.find((h) => h.name === name)?.value;

/** Who an example asks as: the app of its token, its operator, its purpose and case. */
function callerOf(example: CurlExample) {
  const where = `README.md line ${example.line}`;
  const authorization = header(example, 'authorization');
  const variable = authorization?.find((p): p is { variable: string } => 'variable' in p)?.variable;
  const definition = variable === undefined ? undefined : example.variables.get(variable);
  if (definition?.kind !== 'command') throw new Error(`${where}: the example's token must come from a variable set by npm run token`);
  const purpose = header(example, 'x-purpose');
  const caseId = header(example, 'x-case-id');
  return {
    ...tokenArguments(definition.words, where),
    ...(purpose && { purpose: literal(purpose, where) }),
    ...(caseId && { caseId: literal(caseId, where) }),
  };
}

function label(example: CurlExample): string {
  const caller = callerOf(example);
  const parts = [`app ${caller.app}`, ...(caller.operator ? [`operator ${caller.operator}`] : []), `X-Purpose ${caller.purpose ?? '(none)'}`, ...(caller.caseId ? [`X-Case-Id ${caller.caseId}`] : [])];
  return `README.md line ${example.line}: ${parts.join(', ')}`;
}

/** A word's value: variables as a terminal reading the README would have them (tokens minted for this graph). */
async function expand(graph: TestGraph, word: Word, variables: ReadonlyMap<string, Definition>, where: string): Promise<string> {
  const values = await Promise.all(
    word.map(async (part) => {
      if ('text' in part) return part.text;
      const definition = variables.get(part.variable);
      if (!definition) throw new Error(`${where}: $${part.variable} is not set by then`);
      if (definition.kind === 'literal') return expand(graph, definition.word, variables, where);
      return mintAppToken(graph.keys.appIssuerPrivate, tokenArguments(definition.words, where));
    }),
  );
  return values.join('');
}

/** Sends an example as curl would, to the given gateway instead of its URL's. */
async function send(graph: TestGraph, example: CurlExample, gatewayUrl: string) {
  const where = `line ${example.line}`;
  const headers: Record<string, string> = {};
  for (const h of example.headers) headers[h.name] = await expand(graph, h.value, example.variables, where);
  const url = new URL(gatewayUrl);
  for (const p of example.params) url.searchParams.append(p.name, await expand(graph, p.value, example.variables, where));
  const body = example.body && (await expand(graph, example.body, example.variables, where));
  // curl -d sends application/x-www-form-urlencoded unless told otherwise.
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(url, { method: example.method, headers, ...(body !== undefined && { body }) });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown[] } };
}

/** The top-level fields of an answer that came back empty: null, an empty list, a connection without nodes. */
function emptyFields(data: Record<string, unknown> | null | undefined): string[] {
  if (!data || Object.keys(data).length === 0) return ['(no data)'];
  return Object.entries(data)
    .filter(([, value]) => {
      if (value === null || value === undefined) return true;
      if (Array.isArray(value)) return value.length === 0;
      const nodes = (value as { nodes?: unknown }).nodes;
      return Array.isArray(nodes) && nodes.length === 0;
    })
    .map(([field]) => field);
}

let graph: TestGraph;

beforeAll(async () => {
  // The world npm start seeds (subgraphs/kit/run.ts), so the README's ID numbers and cases are there.
  graph = await startGraph({ size: DEFAULT_WORLD_SIZE });
}, 120_000);

afterAll(async () => {
  await graph?.stop();
});

describe('the README', () => {
  test('has runnable examples, at least one for every demo app a development token is signed for', () => {
    expect(examples.length).toBeGreaterThanOrEqual(DEMO_APPS.length);
    expect([...new Set(examples.map((e) => callerOf(e).app))].sort()).toEqual(DEMO_APPS);
  });

  test('writes every GraphQL example as a command that runs, none as a bare graphql block', () => {
    expect(fencedBlocks(README).filter((b) => b.language === 'graphql' || b.language === 'gql')).toEqual([]);
  });

  test('names in every example the app (its token) and the purpose it reads under', () => {
    expect(examples.filter((e) => callerOf(e).purpose === undefined).map((e) => `line ${e.line}`)).toEqual([]);
  });

  test('sends every example to the gateway npm start runs', () => {
    for (const example of examples) expect(`line ${example.line}: ${example.url}`).toBe(`line ${example.line}: ${NPM_START_URL}`);
  });
});

describe('every README example answers data and no error, in the README order', () => {
  test.each(examples.map((example) => [label(example), example] as const))('%s', async (_, example) => {
    const answer = await send(graph, example, graph.gateway.url);
    expect({ status: answer.status, errors: answer.json.errors }).toEqual({ status: 200, errors: undefined });
    expect(emptyFields(answer.json.data)).toEqual([]);
  });
});

describe('npm run sample', () => {
  const run = promisify(execFile);
  /** Runs scripts/sample.ts as npm run sample does, with the test graph's keys and address. */
  const sample = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'sample.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: graph.dataDir, HOST: '127.0.0.1', GATEWAY_PORT: new URL(graph.gateway.url).port },
    });
  /** The command a sample prints, read like a README example: its TOKEN line and its curl. */
  const printedExample = (stdout: string): CurlExample => {
    const shell = stdout.slice(stdout.indexOf('\nTOKEN=') + 1);
    const { examples: printed } = documentCommands(`\`\`\`sh\n${shell}\`\`\`\n`, 'the sample');
    expect(printed).toHaveLength(1);
    return printed[0]!;
  };

  test('the README shows how to run it', () => {
    const shown = commands.filter((c) => /^npm run (-s )?sample\b/.test(c.text)).map((c) => shellWords(c.text, `README.md line ${c.line}`).map((w) => literal(w, 'README.md')));
    expect(shown.length).toBeGreaterThan(0);
    for (const words of shown) expect(DEMO_APPS).toContain(parseArgs({ args: npmScript(words)!.args, strict: false, options: { app: { type: 'string' } } }).values.app);
  });

  test.each(DEMO_APPS)('prints for %s a token and a command that answer data as printed', async (app) => {
    const { stdout } = await sample(['--app', app]);
    const example = printedExample(stdout);
    expect(example.url).toBe(graph.gateway.url);
    const answer = await send(graph, example, graph.gateway.url);
    expect({ status: answer.status, errors: answer.json.errors }).toEqual({ status: 200, errors: undefined });
    expect(emptyFields(answer.json.data)).toEqual([]);
  }, 30_000);

  test('gives the portal a citizen, and a token acting for that citizen whose own data it reads', async () => {
    const { stdout } = await sample(['--app', 'oneservice-portal']);
    const citizen = /^ {2}citizen +(\d{17}[\dX]) /m.exec(stdout)?.[1];
    expect(citizen).toBeDefined();
    const token = /^TOKEN=(\S+)$/m.exec(stdout)![1]!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; operator?: string };
    expect({ sub: claims.sub, operator: claims.operator }).toEqual({ sub: 'oneservice-portal', operator: citizen });
    const answer = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen! }, `{ person(idNumber: "${citizen}") { idNumber enterprises { creditCode } applications { id } } }`);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.person.idNumber).toBe(citizen);
    expect(answer.body.data.person.enterprises.length).toBeGreaterThan(0);
    expect(answer.body.data.person.applications.length).toBeGreaterThan(0);
  }, 30_000);

  test('prints for the portal what the README shows, but for the token', async () => {
    const { stdout } = await sample(['--app', 'oneservice-portal']);
    const shown = fencedBlocks(README).find((b) => b.language === 'text' && b.lines[0]?.text.startsWith('oneservice-portal — '));
    const tokenless = (text: string) => text.replace(/^TOKEN=\S+$/m, 'TOKEN=…').replaceAll(graph.gateway.url, NPM_START_URL).trimEnd();
    expect(tokenless(stdout)).toBe(tokenless(shown!.lines.map((l) => l.text).join('\n')));
  }, 30_000);

  test('refuses an app without a contract, listing the apps it serves', async () => {
    const failure = await sample(['--app', 'no-such-app']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('no-such-app has no contract');
    expect(failure?.stderr).toContain(`Apps: ${DEMO_APPS.join(', ')}.`);
  }, 30_000);

  test('refuses an app internal to the platform: the gateway accepts no development token for it', async () => {
    const failure = await sample(['--app', 'service-hall']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('service-hall is internal to the platform');
  }, 30_000);
});
