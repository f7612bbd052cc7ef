/**
 * `npm run audit -- access-log`: an auditor reads a department's own access log from the department's
 * database, read-only, and with --with-trail finds the department reads that never went through the
 * gateway (a token replayed or forged against the department directly).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AuditStore } from '../audit/audit-store';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { startGraph, TEST_CHECKPOINT_EVERY, type TestGraph } from './support/graph';

let graph: TestGraph;
let creditCode: string;

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query('{ enterprises(regionCode: "440100", first: 1) { nodes { creditCode } } }');
  creditCode = body.data.enterprises.nodes[0].creditCode;
});
afterAll(() => graph.stop());

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function auditCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'audit.ts'), ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const accessLog = async (...args: string[]) => {
  const result = await auditCli({ DATA_DIR: graph.dataDir }, 'access-log', ...args);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
};

/** A department called directly, with a token the gateway's own key signed for this request. */
async function direct(requestId: string) {
  const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 15 });
  const token = await sign({ app: 'market-supervision', purpose: 'MARKET_INSPECTION', requestId }, 'market-regulation');
  const response = await fetch(graph.subgraphs.find((s) => s.name === 'market-regulation')!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ enterprise(creditCode: "${creditCode}") { name } }` }),
  });
  expect(response.status).toBe(200);
}

/** The id the gateway gave the read made through it (the pruned-trail test looks it up again). */
let gatewayId: string;

test("--with-trail tells a department read the gateway's trail holds from one made directly with a gateway-signed token", async () => {
  const viaGateway = await graph.query(`{ enterprise(creditCode: "${creditCode}") { name } }`);
  expect(viaGateway.body.errors).toBeUndefined();
  gatewayId = viaGateway.headers.get('x-request-id')!;
  await direct('cli-direct-1');
  const lines = await accessLog('market-regulation', '--with-trail');
  expect(lines.find((l) => l['requestId'] === gatewayId)).toMatchObject({ decision: 'PERMIT', inTrail: true });
  expect(lines.find((l) => l['requestId'] === 'cli-direct-1')).toMatchObject({ app: 'market-supervision', decision: 'PERMIT', inTrail: false, fields: expect.arrayContaining(['Enterprise.name']) });
  const seqs = lines.map((l) => l['seq'] as number);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  // Without --with-trail the lines are the department's alone.
  expect((await accessLog('market-regulation', '--request-id', 'cli-direct-1')).map((l) => [l['requestId'], 'inTrail' in l])).toEqual([['cli-direct-1', false]]);
});

test('the filters select by decision, request id and time', async () => {
  await direct('cli-direct-2');
  const refused = await fetch(graph.subgraphs.find((s) => s.name === 'market-regulation')!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'cli-forged-1', authorization: 'Bearer not-a-token' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(refused.status).toBe(401);
  const unauthenticated = await accessLog('market-regulation', '--decision', 'UNAUTHENTICATED');
  expect(unauthenticated.length).toBeGreaterThan(0);
  expect(unauthenticated.every((l) => l['decision'] === 'UNAUTHENTICATED')).toBe(true);
  expect(unauthenticated.map((l) => l['requestId'])).toContain('cli-forged-1');
  const [line] = await accessLog('market-regulation', '--request-id', 'cli-direct-2');
  expect(await accessLog('market-regulation', '--request-id', 'cli-direct-2', '--from', line!['time'] as string, '--to', line!['time'] as string)).toEqual([line]);
  const after = new Date(Date.parse(line!['time'] as string) + 1).toISOString();
  expect((await auditCli({ DATA_DIR: graph.dataDir }, 'access-log', 'market-regulation', '--request-id', 'cli-direct-2', '--from', after)).stdout).toBe('');
});

describe('bad input gets a clear error and changes nothing', () => {
  const empty = mkdtempSync(join(tmpdir(), 'govgraph-access-log-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  test('an unknown department is named, with the known ones', async () => {
    const result = await auditCli({ DATA_DIR: graph.dataDir }, 'access-log', 'tax-bureau');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('unknown department "tax-bureau": one of public-security, market-regulation, civil-affairs, service-hall, city-operations, audit, licence-library\n');
  });

  test('an unknown decision is refused', async () => {
    const result = await auditCli({ DATA_DIR: graph.dataDir }, 'access-log', 'market-regulation', '--decision', 'ALLOW');
    expect(result).toMatchObject({ code: 1, stdout: '', stderr: '--decision must be one of PERMIT, WITHHELD, DENY, ERROR, UNAUTHENTICATED\n' });
  });

  test('a department without a database, or a trail that is not there, is reported, and no database is created', async () => {
    const missing = await auditCli({ DATA_DIR: empty }, 'access-log', 'civil-affairs');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('civil-affairs has no database at');
    const noTrail = await auditCli({ DATA_DIR: graph.dataDir, AUDIT_SQLITE_FILE: join(empty, 'audit.sqlite') }, 'access-log', 'civil-affairs', '--with-trail');
    expect(noTrail.code).toBe(1);
    expect(noTrail.stderr).toContain('there is no audit trail at');
    expect(existsSync(join(empty, 'db'))).toBe(false);
    expect(existsSync(join(empty, 'audit.sqlite'))).toBe(false);
  });
});

test('lines older than what a pruned trail keeps are flagged: their inTrail false proves nothing', async () => {
  for (let i = 0; i < TEST_CHECKPOINT_EVERY; i++) await graph.query('{ serviceItems { code } }');
  // Pruned through the store: the CLI keeps the retention period (180 days), and this trail is minutes old.
  const trail = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite'), busyTimeoutMs: 5000 });
  try {
    expect((await trail.prune(new Date(Date.now() + 60_000).toISOString())).removed).toBeGreaterThan(0);
  } finally {
    await trail.close();
  }
  const result = await auditCli({ DATA_DIR: graph.dataDir }, 'access-log', 'market-regulation', '--with-trail', '--request-id', gatewayId);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ requestId: gatewayId, inTrail: false });
  expect(result.stderr).toBe('warning: 1 lines are older than the oldest record the pruned trail keeps: their inTrail false proves nothing\n');
});
