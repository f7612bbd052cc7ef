/**
 * The same departments over PostgreSQL: every department gets its own fresh database on the local server,
 * and the graph answers as it does over SQLite — same kysely queries, same batching.
 * The server is the machine's local PostgreSQL (.ci/run starts it); GOVGRAPH_TEST_POSTGRES_URL overrides.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditStore } from '../audit/audit-store';
import { verifyChain } from '../audit/verify-chain';
import { departments } from '../scripts/departments';
import { isIdNumber } from '../subgraphs/kit/identifiers';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, startGraph, trailKeys, type TestGraph } from './support/graph';

const ADMIN_URL = process.env['GOVGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const databaseName = (department: string) => `govgraph_test_${department.replaceAll('-', '_')}_${suffix}`;
const databaseUrl = (department: string) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName(department)}`;
  return url.href;
};

let admin: Client;
let graph: TestGraph;

beforeAll(async () => {
  admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (${error.message}); start it as .ci/run does`);
  });
  for (const department of departments()) await admin.query(`CREATE DATABASE ${databaseName(department.name)}`);
  graph = await startGraph({ databaseFor: (department) => ({ kind: 'postgres', url: databaseUrl(department) }) });
});

afterAll(async () => {
  await graph?.stop();
  for (const department of departments()) await admin.query(`DROP DATABASE IF EXISTS ${databaseName(department.name)}`);
  await admin.end();
});

test('a cross-department query works over PostgreSQL', async () => {
  const { body } = await graph.query(`{
    enterprises(first: 20, regionCode: "440000") {
      totalCount
      nodes { creditCode regionCode registeredCapital legalRepresentative { idNumber name marriages { spouse { name } } applications { id } } }
    }
  }`);
  expect(body.errors).toBeUndefined();
  expect(body.data.enterprises.totalCount).toBeGreaterThan(0);
  for (const node of body.data.enterprises.nodes) {
    expect(node.regionCode.startsWith('44')).toBe(true);
    expect(typeof node.registeredCapital).toBe('number');
    expect(isIdNumber(node.legalRepresentative.idNumber)).toBe(true);
  }
});

test('statements stay flat over PostgreSQL too', async () => {
  const statements = async (first: number) => {
    const before = await graph.subgraphCounter('govgraph_db_statements_total');
    await graph.query(`{ enterprises(first: ${first}) { nodes { licences { number } legalRepresentative { marriages { spouse { name } } } } } }`);
    return (await graph.subgraphCounter('govgraph_db_statements_total')) - before;
  };
  expect(await statements(100)).toBe(await statements(10));
});

test('two gateways appending to one PostgreSQL trail at once keep one chain that verifies', async () => {
  // The audit department's database: the replicas write the trail it serves.
  const url = new URL(databaseUrl('audit'));
  try {
    const config = { location: { kind: 'postgres' as const, url: url.href }, hmacKeyFile: graph.keys.auditHmacKey, chainKeyFile: graph.keys.auditChainKey, checkpointKeyFile: graph.keys.auditCheckpointKey, checkpointEvery: 7, headFile: join(graph.keys.dir, 'postgres-audit-head.json') };
    const first = await graph.startGateway({ audit: config });
    const second = await graph.startGateway({ audit: config });
    // /readyz probes the PostgreSQL trail with a write taken back.
    expect(await (await fetch(new URL('/readyz', first.url))).json()).toMatchObject({ audit: 'ready' });
    const requests = Array.from({ length: 40 }, (_, i) =>
      graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url: (i % 2 ? first : second).url }, '{ enterprises(first: 2) { nodes { name } } }'),
    );
    const responses = await Promise.all(requests);
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const store = await AuditStore.open({ kind: 'postgres', url: url.href });
    try {
      expect(await verifyChain(store, { ...trailKeys(graph.keys), checkpointEvery: 7 })).toMatchObject({ ok: true, records: 40, checkpoints: 5 });
      // The gateways build the subject index behind the appends; two indexers at once still index each subject once.
      const other = await AuditStore.open({ kind: 'postgres', url: url.href });
      try {
        await Promise.all([store.indexSubjects(7), other.indexSubjects(7), store.indexSubjects(), other.indexSubjects()]);
      } finally {
        await other.close();
      }
      const records = await store.recordsAfter(0, 100);
      const runs = await store.db.selectFrom('auditSubjectRun').select(['subject', 'fromSeq', 'toSeq']).execute();
      // Every subject of every record lies in exactly one of that subject's runs.
      const covering = (seq: number, subject: string) => runs.filter((run) => run.subject === subject && Number(run.fromSeq) <= seq && seq <= Number(run.toSeq)).length;
      expect(records.flatMap((r) => r.subjects.map((s) => covering(r.seq, s)))).toEqual(records.flatMap((r) => r.subjects.map(() => 1)));
      const subject = records[0]!.subjects[0]!;
      expect(await store.count({ subject })).toBe(records.filter((r) => r.subjects.includes(subject)).length);
      // Stopped, each replica signs the head: the last record is covered.
      await graph.stopExtraGateways();
      expect(await verifyChain(store, { ...trailKeys(graph.keys), checkpointEvery: 7 })).toMatchObject({ ok: true, lastSeq: 40, unsignedRecords: 0 });
    } finally {
      await store.close();
    }
  } finally {
    await graph.stopExtraGateways();
  }
});
