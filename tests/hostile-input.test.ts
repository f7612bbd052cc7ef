/**
 * The hostile-input suite (THREATS.md): each row's bad input and its outcome — a clear coded error,
 * nothing changed, nothing leaked, no department asked.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { Lexer, Source, TokenKind, getNamedType, isNonNullType, isScalarType } from 'graphql';
import { SignJWT } from 'jose';
import pino from 'pino';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { AuditStore } from '../audit/audit-store';
import { verifyChain } from '../audit/verify-chain';
import { DEFAULT_LIMITS } from '../gateway/limits';
import { startGateway } from '../gateway/server';
import { mintAppToken } from '../scripts/mint-app-token';
import { startFaultServer } from './support/fault-server';
import { PERSISTED_APP, PERSISTED_OPERATION, freePort, gatewayConfigFor, startGraph, trailKeys, type GraphQLResponse, type TestGraph } from './support/graph';
import { waitUntil } from './support/wait-until';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});

// Case-sensitive: ECONNREFUSED is a leak, EnterpriseConnection is not.
const LEAKS = /stacktrace|at \/|\.ts:\d|127\.0\.0\.1|localhost|SELECT |[Ss]qlite|SQLITE|ECONN[A-Z]/;

async function expectRefusedBeforeWork(response: Promise<GraphQLResponse>, code: string, message: RegExp) {
  const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
  const { status, body } = await response;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code } });
  expect(JSON.stringify(body)).not.toMatch(LEAKS);
  expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
}

/** The test gateway's operation limits: each is tried at its value (served) and one past it (refused). */
const LIMITS = DEFAULT_LIMITS;

/** The gateway's answer to an operation at a limit: served in full, nothing refused. */
async function expectServed(response: Promise<GraphQLResponse>) {
  const { status, body } = await response;
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  expect(body.data).toEqual(expect.any(Object));
}

/** An operation exactly `depth` levels deep: enterprises, their nodes, then legal representatives and their enterprises in turn, down to a name. */
function ofDepth(depth: number): string {
  let selection = 'name';
  for (let level = depth - 1; level >= 3; level--) selection = `${level % 2 === 1 ? 'legalRepresentative' : 'enterprises'} { ${selection} }`;
  return `{ enterprises(first: 1) { nodes { ${selection} } } }`;
}

/**
 * An operation of exactly `count` tokens, under every other limit: the catalogue's fields one inline
 * fragment at a time (`{ serviceItems { … } }` is 5 tokens, `... on ServiceItem { code }` 6). The fields
 * are spread over fragments because graphql-js gives up validating a field repeated too often at one level.
 */
function ofTokens(count: number): string {
  const fields = ['code', 'name', 'department', 'modes', 'legalBasis', 'requiredData', '__typename'];
  const fragments = Math.floor((count - 5) / 6);
  const spread = Array.from({ length: fragments }, (_, i) => `... on ServiceItem { ${fields[i % fields.length]} }`);
  return `{ serviceItems { ${[...spread, ...fields.slice(0, count - 5 - 6 * fragments)].join(' ')} } }`;
}

/** Tokens as graphql-js's lexer reads them (the gateway counts the same way): checks the operations above. */
function tokensIn(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/**
 * An operation of exactly `units` cost units as graphql-armor weighs them (an object 2, a scalar 1, a child
 * 1.5 times its own cost, a list times its `first`), from 5000 up: 100 enterprises with 20 names each,
 * (2 + 1.5 × (2 + 1.5 × 20)) × 100 = 5000, and a root `__typename` (1) for each unit more.
 */
function ofCost(units: number): string {
  return `{ enterprises(first: 100) { nodes { ${'name '.repeat(20)}} } ${'__typename '.repeat(units - 5000)}}`;
}

test('G1 depth: an operation at the depth limit runs; one level deeper is refused before execution', async () => {
  await expectServed(graph.query(ofDepth(LIMITS.maxDepth)));
  await expectRefusedBeforeWork(graph.query(ofDepth(LIMITS.maxDepth + 1)), 'LIMIT_EXCEEDED', new RegExp(`^The operation is too deep: at most ${LIMITS.maxDepth} levels\\.$`));
});

test('G3 cost: an operation at the cost limit runs; one unit more is refused before execution', async () => {
  expect(LIMITS.maxCost).toBe(5000);
  await expectServed(graph.query(ofCost(LIMITS.maxCost)));
  await expectRefusedBeforeWork(graph.query(ofCost(LIMITS.maxCost + 1)), 'LIMIT_EXCEEDED', /^The operation is too costly: at most 5000 cost units\.$/);
});

test('G4 alias batching: as many aliases as allowed run; one more is refused', async () => {
  const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: serviceItems { code }`).join(' ')} }`;
  await expectServed(graph.query(aliased(LIMITS.maxAliases)));
  await expectRefusedBeforeWork(graph.query(aliased(LIMITS.maxAliases + 1)), 'LIMIT_EXCEEDED', new RegExp(`^The operation uses too many aliases: at most ${LIMITS.maxAliases}\\.$`));
});

test('G5 array batching is off', async () => {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token()}`, 'x-purpose': 'TEST' },
    body: JSON.stringify([{ query: '{ serviceItems { name } }' }, { query: '{ serviceItems { name } }' }]),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
});

test('G9 tokens: an operation at the token limit runs; one token more is refused by the parser guard', async () => {
  expect(tokensIn(ofTokens(LIMITS.maxTokens))).toBe(LIMITS.maxTokens);
  expect(tokensIn(ofTokens(LIMITS.maxTokens + 1))).toBe(LIMITS.maxTokens + 1);
  await expectServed(graph.query(ofTokens(LIMITS.maxTokens)));
  await expectRefusedBeforeWork(graph.query(ofTokens(LIMITS.maxTokens + 1)), 'LIMIT_EXCEEDED', new RegExp(`^The operation is too large: at most ${LIMITS.maxTokens} tokens\\.$`));
});

test('G9 directives: as many directives as allowed run; one more is refused', async () => {
  const directed = (count: number) => `{ serviceItems { ${'code @include(if: true) '.repeat(count)}} }`;
  await expectServed(graph.query(directed(LIMITS.maxDirectives)));
  await expectRefusedBeforeWork(graph.query(directed(LIMITS.maxDirectives + 1)), 'LIMIT_EXCEEDED', new RegExp(`^The operation uses too many directives: at most ${LIMITS.maxDirectives}\\.$`));
});

test('G10 fragment cycles are refused by validation', () =>
  expectRefusedBeforeWork(
    graph.query('fragment A on Enterprise { name ...B } fragment B on Enterprise { creditCode ...A } { enterprises { nodes { ...A } } }'),
    'GRAPHQL_VALIDATION_FAILED',
    /Cannot spread fragment/,
  ));

test('G12 no field suggestions', async () => {
  const { body } = await graph.query('{ enterprises { nodes { nam } } }');
  expect(body.errors![0]!.message).not.toMatch(/Did you mean/);
});

test('G13 no IDE: GET /graphql for a browser shows no page', async () => {
  const response = await fetch(graph.gateway.url, { headers: { accept: 'text/html', authorization: `Bearer ${await graph.token()}` } });
  expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
});

test('G21 CSRF: GET never runs a mutation; a simple-content-type POST without a preflight header is refused', async () => {
  const token = await graph.token();
  const get = await fetch(`${graph.gateway.url}?query=${encodeURIComponent('mutation { closeEvent(eventId: "E1") { id } }')}`, {
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' },
  });
  expect(get.status).toBe(405);
  const simple = await fetch(graph.gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` }, body: '{"query":"{ serviceItems { name } }"}' });
  expect(simple.status).toBe(400);
});

test('responses are never cached, sniffed or framed: GraphQL and the other routes, at the gateway and at a department', async () => {
  const department = graph.subgraphs[0]!.url;
  const answers = [
    (await graph.query('{ serviceItems { name } }')).headers,
    (await fetch(new URL('/healthz', graph.gateway.url))).headers,
    (await fetch(department, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).headers,
    (await fetch(new URL('/healthz', department))).headers,
  ];
  for (const headers of answers) {
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('DENY');
  }
});

describe('a body at the size limit is read; one byte more is refused', () => {
  /** The test gateway reads at most this many bytes of a body (gatewayConfigFor). */
  const MAX_BODY_BYTES = 1_000_000;
  /** A JSON body of exactly `bytes` bytes: an operation and a variable it does not use, as padding. */
  const bodyOf = (bytes: number) => {
    const head = '{"query":"{ serviceItems { code } }","variables":{"padding":"';
    const tail = '"}}';
    return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
  };
  /** POSTs the body with its length declared, or in chunks with none, as a stream would arrive. */
  const post = async (body: string, length: 'declared' | 'chunked') => {
    const token = await graph.token();
    return new Promise<{ status: number; body: GraphQLResponse['body'] }>((resolve, reject) => {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'TEST', ...(length === 'chunked' ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(Buffer.byteLength(body)) }) };
      const request = httpRequest(graph.gateway.url, { method: 'POST', headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      });
      request.on('error', reject);
      request.end(body);
    });
  };

  test.each(['declared', 'chunked'] as const)('its length %s', async (length) => {
    expect(Buffer.byteLength(bodyOf(MAX_BODY_BYTES))).toBe(MAX_BODY_BYTES);
    const atLimit = await post(bodyOf(MAX_BODY_BYTES), length);
    expect(atLimit.body.errors).toBeUndefined();
    expect(atLimit.status).toBe(200);
    const over = await post(bodyOf(MAX_BODY_BYTES + 1), length);
    expect(over.status).toBe(413);
    expect(over.body.errors).toEqual([{ message: `The request body is too large: at most ${MAX_BODY_BYTES} bytes.`, extensions: { code: 'LIMIT_EXCEEDED' } }]);
  });
});

test('an oversized body sent without a length is refused once it passes the limit, with the answer still delivered', async () => {
  const token = await graph.token();
  const status = await new Promise<number>((resolve) => {
    const request = httpRequest(graph.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    // The gateway stops reading and closes the connection after its answer; the rest of the upload fails.
    request.on('error', () => undefined);
    request.write('{"query":"{ serviceItems { name } }","variables":{"padding":"');
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 3_000_000) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      request.end('"}}');
    };
    pump();
  });
  expect(status).toBe(413);
});

test('a compressed body is read within the same limit; an unknown encoding or a JSON body that is no operation is a clear 4xx', async () => {
  const post = async (body: Buffer | string, headers: Record<string, string> = {}) => {
    const response = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token()}`, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
  };
  const zipped = await post(gzipSync(JSON.stringify({ query: '{ serviceItems { name } }' })), { 'content-encoding': 'gzip' });
  expect(zipped.status).toBe(200);
  expect(zipped.body.data).toMatchObject({ serviceItems: expect.any(Array) });
  // Small on the wire, over the limit once inflated.
  const bomb = await post(gzipSync(JSON.stringify({ query: '{ serviceItems { name } }', variables: { padding: ' '.repeat(3_000_000) } })), { 'content-encoding': 'gzip' });
  expect(bomb.status).toBe(413);
  expect(bomb.body.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED' });
  const broken = await post('{"query":"{ serviceItems { name } }"}', { 'content-encoding': 'gzip' });
  expect(broken.status).toBe(400);
  expect(broken.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST' });
  const unknown = await post('{"query":"{ serviceItems { name } }"}', { 'content-encoding': 'compress' });
  expect(unknown.status).toBe(415);
  expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_REQUEST' });
  for (const [text, message] of [['{"query":', /not valid JSON/], ['"{ serviceItems { name } }"', /must be a JSON object/], ['42', /must be a JSON object/], ['null', /must be a JSON object/]] as const) {
    const refused = await post(text);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_REQUEST' } });
  }
});

test('G14 a department’s SQL error is masked: an error id, no SQL, no table, no address', async () => {
  const market = join(graph.dataDir, 'db', 'market-regulation.sqlite');
  const attacker = new BetterSqlite3(market);
  attacker.exec('ALTER TABLE "penalty" RENAME TO "penalty_gone"');
  attacker.close();
  try {
    const { body } = await graph.query('{ enterprises(first: 2) { nodes { name penalties { amount } } } }');
    expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(/Internal error \(error id [0-9a-f-]{36}\)/), extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) } });
    expect(JSON.stringify(body)).not.toMatch(/penalty|no such table|SQLITE|select/i);
  } finally {
    const repair = new BetterSqlite3(market);
    repair.exec('ALTER TABLE "penalty_gone" RENAME TO "penalty"');
    repair.close();
  }
});

test('G17 a read-only app cannot call a mutation', async () => {
  const response = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, 'mutation { closeEvent(eventId: "E20260630000001") { id } }');
  expect(response.status).toBe(403);
  expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Mutation.closeEvent' });
});

test('G22 the federation fields are not part of the public graph', () =>
  expectRefusedBeforeWork(graph.query('{ _service { sdl } }'), 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "_service"/));

test('F5 missing signing keys stop start-up with a message naming the file', async () => {
  const config = gatewayConfigFor(graph.keys, {}, graph.contractsDir);
  await expect(startGateway({ ...config, signingKeyFile: '/nonexistent/gateway.private.jwk.json' }, { processMetrics: false, logger: pino({ level: 'silent' }) })).rejects.toThrow(
    /Cannot read the gateway signing key at \/nonexistent\/gateway\.private\.jwk\.json/,
  );
});

test('F6 an invalid contract stops start-up, listing every problem with file, app and field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-contracts-'));
  cpSync(join(__dirname, 'fixtures', 'bad-contracts'), dir, { recursive: true });
  const config = gatewayConfigFor(graph.keys, {}, dir);
  const failure = startGateway(config, { processMetrics: false, logger: pino({ level: 'silent' }) });
  await expect(failure).rejects.toThrow(/have 14 problem\(s\)/);
  await expect(failure).rejects.toThrow(/faulty-grants\.yaml: faulty-grants: Enterprise\.riskRating: its department marks it NONE/);
  await expect(failure).rejects.toThrow(/broken\.yaml: not readable YAML/);
});

test('F7 a small clock skew is tolerated, a large one is not', async () => {
  const slightly = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'test-everything', ttl: -2 });
  expect((await graph.query('{ serviceItems { code } }', { token: slightly, headers: { 'x-purpose': 'TEST' } })).status).toBe(200);
  const far = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'test-everything', ttl: -30 });
  expect((await graph.query('{ serviceItems { code } }', { token: far })).status).toBe(401);
});

test('G4/G6 per-object counters: persons looked up as often as platform.yaml allows in one operation run; one more is refused', async () => {
  const lookups = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `p${i}: person(idNumber: "11010519491231002X") { name }`).join(' ')} }`;
  await expectServed(graph.query(lookups(5)));
  await expectRefusedBeforeWork(graph.query(lookups(6)), 'LIMIT_EXCEEDED', /^Query\.person may be asked at most 5 times in one operation \(asked 6\)\.$/);
});

test('G5 when batching is turned on, a batch of the allowed size runs with every operation checked on its own; one more operation is refused', async () => {
  const batching = await graph.startGateway({ maxBatch: 3 });
  const post = async (operations: object[]) => {
    const response = await fetch(batching.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token()}`, 'x-purpose': 'TEST' },
      body: JSON.stringify(operations),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const atLimit = await post([{ query: '{ serviceItems { code } }' }, { query: '{ enterprises(first: 1) { nodes { riskRating } } }' }, { query: '{ serviceItems { name } }' }]);
  expect(atLimit.body).toHaveLength(3);
  expect(atLimit.body[0].data.serviceItems.length).toBeGreaterThan(0);
  expect(atLimit.body[1].errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', coordinate: 'Enterprise.riskRating' });
  expect(atLimit.body[2].data.serviceItems.length).toBeGreaterThan(0);
  const tooMany = await post(Array.from({ length: 4 }, () => ({ query: '{ serviceItems { code } }' })));
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.errors[0]).toMatchObject({ message: expect.stringMatching(/at most 3 operations/), extensions: { code: 'LIMIT_EXCEEDED' } });
});

test('G19 an argument that looks like an address is only data: the gateway fetches nothing it names', async () => {
  const { body } = await graph.query('{ serviceItem(code: "http://169.254.169.254/latest/meta-data/") { name } }');
  expect(body).toEqual({ data: { serviceItem: null } });
});

test('F8 a gateway killed mid-request leaves no partial record, and the chain still verifies', async () => {
  const faulty = await startFaultServer('blackhole');
  const auditFile = join(graph.dataDir, 'db', 'audit-killed.sqlite');
  const port = await freePort();
  const urls = graph.subgraphs.map((s) => `${s.name}=${s.name === 'civil-affairs' ? faulty.url : s.url}`).join(',');
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'gateway', 'index.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: graph.dataDir,
      CONTRACTS_DIR: graph.contractsDir,
      SUBGRAPH_URLS: urls,
      AUDIT_SQLITE_FILE: auditFile,
      SUBGRAPH_TIMEOUT_MS: '30000',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
  const exited = () => (child.exitCode !== null || child.signalCode !== null ? `the gateway exited (${child.exitCode ?? child.signalCode})` : undefined);
  try {
    const url = `http://127.0.0.1:${port}/graphql`;
    // It compiles through tsx as it starts: slow on a loaded machine, but never this slow.
    await waitUntil(`the gateway on port ${port} to answer /healthz`, () => fetch(new URL('/healthz', url)).then((r) => r.ok, () => false), 30_000, exited);
    const token = await graph.token();
    const ask = (query: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'TEST' }, body: JSON.stringify({ query }) });
    expect((await ask('{ serviceItems { code } }')).status).toBe(200);
    let settled: string | undefined;
    const inFlight = ask('{ enterprises(first: 1) { nodes { legalRepresentative { maritalStatus } } } }').then(
      (response) => void (settled = `the request was answered (${response.status})`),
      () => void (settled = 'the request failed'),
    );
    await waitUntil('the gateway to call the department that never answers', () => faulty.requests() > 0, 10_000, () => settled ?? exited());
    child.kill('SIGKILL');
    await inFlight;
  } finally {
    child.kill('SIGKILL');
    await faulty.stop();
  }
  const store = await AuditStore.open({ kind: 'sqlite', file: auditFile });
  try {
    const records = await store.recordsAfter(0, 100);
    expect(records.map((r) => r.fields.includes('Query.serviceItems'))).toEqual([true]);
    expect(await verifyChain(store, trailKeys(graph.keys))).toMatchObject({ ok: true, records: 1 });
  } finally {
    await store.close();
  }
});

test('algorithm confusion: an HS256 token keyed with the public key is refused', async () => {
  const jwks = JSON.parse(readFileSync(graph.keys.appIssuerJwks, 'utf8')) as { keys: object[] };
  const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('govgraph-dev-idp').setAudience('govgraph').setSubject('test-everything').setIssuedAt().setExpirationTime('1h').sign(secret);
  const { status, body } = await graph.query('{ serviceItems { code } }', { token });
  expect(status).toBe(401);
  expect(body.errors![0]!.extensions).toEqual({ code: 'UNAUTHENTICATED' });
});

describe('injection strings in every string argument of the graph', () => {
  const INJECTIONS = ["' OR 1=1--", '{"$ne":null}', '; id', 'x\r\nSet-Cookie: a=1', '<script>alert(1)</script>', '../../etc/passwd', '\u0000'];
  const apiSchema = buildCatalog(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8')).apiSchema;
  const cases: Array<[string, string, string]> = [];
  for (const field of Object.values(apiSchema.getQueryType()!.getFields())) {
    for (const argument of field.args) {
      const type = getNamedType(argument.type);
      if (!isScalarType(type) || ['Int', 'Float', 'Boolean'].includes(type.name)) continue;
      const required = field.args.filter((a) => isNonNullType(a.type) && a !== argument);
      if (required.some((a) => getNamedType(a.type).name !== 'String' && getNamedType(a.type).name !== 'ID')) continue;
      cases.push([`${field.name}(${argument.name})`, field.name, argument.name]);
    }
  }

  test.each(cases)('%s', async (_name, field, argumentName) => {
    const definition = apiSchema.getQueryType()!.getFields()[field]!;
    for (const payload of INJECTIONS) {
      const args = definition.args
        .filter((a) => a.name === argumentName || isNonNullType(a.type))
        .map((a) => `${a.name}: $${a.name}`)
        .join(', ');
      const variables = Object.fromEntries(definition.args.filter((a) => a.name === argumentName || isNonNullType(a.type)).map((a) => [a.name, payload]));
      const declarations = definition.args.filter((a) => a.name in variables).map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const { status, body } = await graph.query(`query(${declarations}) { ${field}(${args}) { __typename } }`, { variables });
      expect(status).toBeLessThan(500);
      expect((body.errors ?? []).map((e) => e.extensions?.['code'])).not.toContain('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(body)).not.toMatch(LEAKS);
    }
  });
});

afterAll(async () => {
  // Nothing the hostile requests did broke the trail: it verifies, with no gap.
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    expect(await verifyChain(store, trailKeys(graph.keys))).toMatchObject({ ok: true });
  } finally {
    await store.close();
  }
});

afterAll(() => graph.stop());

test('G24 an app that registers its operations may send only those, and under no purpose its contract does not name', async () => {
  expect((await graph.queryAs({ app: PERSISTED_APP }, PERSISTED_OPERATION)).status).toBe(200);
  const other = await graph.queryAs({ app: PERSISTED_APP }, '{ serviceItems { code name } }');
  expect(other.status).toBe(403);
  expect(other.body.errors![0]).toMatchObject({ message: expect.stringMatching(/only its registered operations/), extensions: { code: 'FORBIDDEN' } });
  const wrongPurpose = await graph.queryAs({ app: PERSISTED_APP, purpose: 'SOMETHING_ELSE' }, PERSISTED_OPERATION);
  // Its contract names one purpose: any other is refused before the registered operations are looked at.
  expect(wrongPurpose.status).toBe(400);
  expect(wrongPurpose.body.errors).toEqual([{ message: expect.stringMatching(/purposes are BROWSE\.$/), extensions: { code: 'BAD_USER_INPUT', purposes: ['BROWSE'] } }]);
});
