/**
 * The audit trail end to end: one record per request, permitted or refused; a chain that verifies; fail
 * closed when the store cannot be written, and back by itself; the trail served to auditors and to the
 * citizen; nothing raw in the records or the logs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { AuditStore } from '../audit/audit-store';
import { readHeadFile } from '../audit/head-file';
import { verifyChain } from '../audit/verify-chain';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, TEST_CHECKPOINT_EVERY, TEST_WORLD, startGraph, trailKeys, type TestGraph } from './support/graph';
import { waitUntil } from './support/wait-until';

const logs: string[] = [];
let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const enterprise = world.enterprises[5]!;
const subject = enterprise.legalRepresentative;
const auditFile = () => join(graph.dataDir, 'db', 'audit.sqlite');

beforeAll(async () => {
  graph = await startGraph({ logs });
});
afterAll(() => graph.stop());

async function trail() {
  const store = await AuditStore.open({ kind: 'sqlite', file: auditFile() });
  const keys = trailKeys(graph.keys);
  return { store, keys };
}

async function allRecords() {
  const { store } = await trail();
  try {
    return await store.recordsAfter(0, 100000);
  } finally {
    await store.close();
  }
}

test('every request leaves exactly one record, permitted or refused, and the chain verifies', async () => {
  const before = (await allRecords()).length;
  await graph.query('{ enterprises(first: 3) { nodes { name legalRepresentative { name } } } }');
  await graph.queryAs({ app: 'auditor' }, '{ enterprises { nodes { name } } }');
  await graph.query('{ enterprises { nodes { name } } }', { token: null });
  await graph.query('{ enterprises { nodes { nope } } }');
  await graph.query('{ person(idNumber: "110105194912310021") { name } }');
  const records = (await allRecords()).slice(before);
  expect(records.map((r) => r.decision)).toEqual(['PERMIT', 'DENY', 'UNAUTHENTICATED', 'INVALID', 'PERMIT']);
  expect(records[0]).toMatchObject({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, outcome: 'ok', fields: expect.arrayContaining(['Person.name', 'Query.enterprises']) });
  expect(records[0]!.subjects).toHaveLength(6); // three enterprises and their three representatives
  expect(records[1]).toMatchObject({ app: 'auditor', rule: expect.stringMatching(/^FORBIDDEN EnterpriseConnection\.nodes/), errorCodes: ['FORBIDDEN'] });
  expect(records[4]).toMatchObject({ outcome: 'error', errorCodes: ['BAD_USER_INPUT'] });
  const { store, keys } = await trail();
  expect(await verifyChain(store, keys)).toMatchObject({ ok: true });
  await store.close();
});

test('the audit service reports the chain intact after normal use, with the records since the last signed checkpoint', async () => {
  for (let i = 0; i < TEST_CHECKPOINT_EVERY; i++) await graph.query('{ serviceItems { code } }');
  const written = (await allRecords()).length;
  const signed = written - (written % TEST_CHECKPOINT_EVERY);
  const status = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditChainStatus { verified problem records checkpoints lastCheckpointSeq unsignedRecords } }');
  expect(status.body.data.auditChainStatus).toEqual({
    verified: true,
    problem: null,
    records: written,
    checkpoints: signed / TEST_CHECKPOINT_EVERY,
    lastCheckpointSeq: signed,
    unsignedRecords: written - signed,
  });
});

test('records hold subjects and operators only as keyed HMACs', async () => {
  await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: subject }, `{ person(idNumber: "${subject}") { name phone } }`);
  const files = [auditFile(), `${auditFile()}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1'));
  const text = files.join('\n') + (await allRecords()).map((r) => JSON.stringify(r)).join('\n');
  const person = world.persons.find((p) => p.idNumber === subject)!;
  expect(text).not.toContain(subject);
  expect(text).not.toContain(person.phone);
  expect(text).not.toContain(enterprise.creditCode);
});

test('when the trail cannot be written, no data is released; service resumes by itself', async () => {
  const blocker = new BetterSqlite3(auditFile());
  blocker.exec('BEGIN EXCLUSIVE');
  try {
    const refused = await graph.query('{ enterprises(first: 2) { nodes { name } } }');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ errors: [{ message: expect.stringMatching(/audit trail cannot be written/), extensions: { code: 'AUDIT_UNAVAILABLE' } }] });
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
  }
  const served = await graph.query('{ enterprises(first: 2) { nodes { name } } }');
  expect(served.status).toBe(200);
  expect(served.body.data.enterprises.nodes).toHaveLength(2);
});

describe('/readyz tells whether the audit store can be written', () => {
  const timed = async (path: string) => {
    const started = performance.now();
    const response = await fetch(new URL(path, graph.gateway.url));
    return { ms: performance.now() - started, status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const departmentsReady = () => Object.fromEntries(graph.subgraphs.map((s) => [s.name, 'ready']));

  test('a store locked by another process: /healthz answers at once throughout, /readyz blames the audit store and not the departments', async () => {
    await graph.query('{ serviceItems { code } }');
    // The gateway runs in this process: the loop's longest stall is what every request waited at worst.
    const stalls = monitorEventLoopDelay({ resolution: 10 });
    const blocker = new BetterSqlite3(auditFile());
    blocker.exec('BEGIN EXCLUSIVE');
    stalls.enable();
    try {
      let settled = false;
      const refused = Promise.all(Array.from({ length: 4 }, () => graph.query('{ serviceItems { code } }'))).finally(() => (settled = true));
      const readiness = timed('/readyz');
      const health: number[] = [];
      while (!settled) health.push((await timed('/healthz')).ms);
      expect((await refused).map((r) => r.status)).toEqual([503, 503, 503, 503]);
      expect(await readiness).toMatchObject({ status: 503, body: { status: 'unavailable', audit: 'unavailable', subgraphs: departmentsReady() } });
      stalls.disable();
      // SQLite's busy handler blocked the loop for its whole timeout (here 500 ms; /healthz once took 3.7 s).
      expect(stalls.max / 1e6).toBeLessThan(400);
      expect(health.length).toBeGreaterThan(3);
      expect(health.sort((x, y) => x - y)[Math.floor(health.length / 2)]).toBeLessThan(50);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(await timed('/readyz')).toMatchObject({ status: 200, body: { audit: 'ready' } });
  });

  test('a store that refuses writes (a trigger, as a full disk would) is unavailable, and ready again once it writes', async () => {
    const dba = new BetterSqlite3(auditFile());
    try {
      dba.exec(`CREATE TRIGGER "auditRecord_full" BEFORE INSERT ON "auditRecord" BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
      expect(await timed('/readyz')).toMatchObject({ status: 503, body: { audit: 'unavailable', subgraphs: departmentsReady() } });
      expect((await graph.query('{ serviceItems { code } }')).status).toBe(503);
    } finally {
      dba.exec('DROP TRIGGER IF EXISTS "auditRecord_full"');
      dba.close();
    }
    expect(await timed('/readyz')).toMatchObject({ status: 200, body: { audit: 'ready' } });
  });
});

test("a person's access log shows exactly who read their data and why; investigations are hidden from the person, never from auditors", async () => {
  // A person no other test touches: the representative of the last enterprise by credit code.
  const { creditCode, legalRepresentative: person } = [...world.enterprises].sort((a, b) => a.creditCode.localeCompare(b.creditCode)).at(-1)!;
  const investigation = await graph.queryAs({ app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, `{ enterprise(creditCode: "${creditCode}") { legalRepresentative { name } } }`);
  expect(investigation.body.errors).toBeUndefined();
  await graph.query(`{ person(idNumber: "${person}") { name birthDate } }`);

  const own = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: person }, `{ person(idNumber: "${person}") { accessLog { app appName purpose fields } } }`);
  expect(own.body.errors).toBeUndefined();
  expect(own.body.data.person.accessLog).toEqual([
    { app: EVERYTHING_APP, appName: 'GovGraph test suite', purpose: EVERYTHING_PURPOSE, fields: ['Person.birthDate', 'Person.name', 'Query.person', 'Query.person(idNumber:)'] },
  ]);

  const audited = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, `{ auditRecords(subject: "${person}") { totalCount nodes { app purpose decision } } }`);
  expect(audited.body.errors).toBeUndefined();
  // Newest first: the citizen reading their own log is itself a record about them.
  expect(audited.body.data.auditRecords).toEqual({
    totalCount: 3,
    nodes: [
      { app: 'oneservice-portal', purpose: 'SELF_SERVICE', decision: 'PERMIT' },
      { app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, decision: 'PERMIT' },
      { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', decision: 'PERMIT' },
    ],
  });
});

const auditCli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'audit.ts'), ...args], {
    env: { ...process.env, DATA_DIR: graph.dataDir, AUDIT_SQLITE_FILE: auditFile(), AUDIT_CHECKPOINT_EVERY: String(TEST_CHECKPOINT_EVERY) },
    encoding: 'utf8',
  });

test('npm run audit -- head prints a signed head; verify --expect-head then proves that nothing up to it was removed', async () => {
  for (let i = 0; i < 12; i++) await graph.query('{ serviceItems { code } }');
  const head = auditCli('head');
  expect(head.status).toBe(0);
  const signed = JSON.parse(head.stdout) as { seq: number; hash: string; time: string; signature: string };
  expect(Object.keys(signed)).toEqual(['seq', 'hash', 'time', 'signature']);
  const witness = join(graph.dataDir, 'witness.json');
  writeFileSync(witness, head.stdout);
  await graph.query('{ serviceItems { code } }');
  const held = auditCli('verify', '--expect-head', witness);
  expect(held.status).toBe(0);
  expect(held.stdout).toContain(`the expected head (record ${signed.seq}) is in the trail`);
  // The newest records removed together with every checkpoint that covered them, the head included.
  // (Not at a checkpoint's place: cut there, the trail would end on a signed head, and only the witness could tell.)
  const cut = signed.seq - 3 - ((signed.seq - 3) % TEST_CHECKPOINT_EVERY === 0 ? 1 : 0);
  const attacker = new BetterSqlite3(auditFile());
  try {
    const indexedTo = () => Number((attacker.prepare('SELECT "indexedTo" FROM "auditSubjectRunProgress"').get() as { indexedTo: number }).indexedTo);
    await waitUntil('the subject index to reach the signed head', () => indexedTo() >= signed.seq, 10_000);
    attacker.exec('DROP TRIGGER "auditRecord_no_delete"; DROP TRIGGER "auditCheckpoint_no_delete"');
    attacker.prepare('DELETE FROM "auditCheckpoint" WHERE "seq" > ?').run(cut);
    attacker.prepare('DELETE FROM "auditRecord" WHERE "seq" > ?').run(cut);
    // The subject index still remembers how far the trail reached (T5).
    const remembered = auditCli('verify');
    expect(remembered.status).toBe(1);
    expect(remembered.stderr).toContain(`the subject index claims records up to ${indexedTo()}, beyond the trail's last record ${cut}`);
    // An attacker who knows moves the index's mark back too: from here on, only a head kept elsewhere can tell.
    attacker.prepare('UPDATE "auditSubjectRunProgress" SET "indexedTo" = ? WHERE "indexedTo" > ?').run(cut, cut);
  } finally {
    attacker.close();
  }
  // The gateway that appended the records cut away refuses to chain onto the cut (it fails closed), will
  // not sign a head over it, and keeps the last record it appended before the cut in its head file: started
  // again, it refuses too.
  const onTheCut = await graph.query('{ serviceItems { code } }');
  expect([onTheCut.status, onTheCut.body.errors?.[0]?.extensions?.['code']]).toEqual([503, 'AUDIT_UNAVAILABLE']);
  expect(await graph.restartGateway()).toMatch(new RegExp(`^the audit trail's head was not signed: the audit trail ends at record ${cut}, before record \\d+ this process appended: its newest records were removed$`));
  const gatewayHead = join(graph.keys.dir, 'audit-head.json');
  expect(readHeadFile(gatewayHead)?.seq).toBeGreaterThan(cut);
  const afterRestart = await graph.query('{ serviceItems { code } }');
  expect([afterRestart.status, afterRestart.body.errors?.[0]?.extensions?.['code']]).toEqual([503, 'AUDIT_UNAVAILABLE']);
  expect(auditCli('verify', '--expect-head', gatewayHead).stderr).toContain(`NOT verified: the trail ends at record ${cut}, before the expected head`);
  // An operator who has compared the trail with the kept heads (and kept them aside) removes the gateway's:
  // started again, it writes on after the cut, which the witness's head still betrays.
  rmSync(gatewayHead);
  expect(await graph.restartGateway()).toMatch(/^the audit trail's head was not signed: /);
  const alone = auditCli('verify');
  expect(alone.status).toBe(0);
  expect(alone.stderr).toMatch(new RegExp(`warning: the last \\d+ records \\(to record ${cut}\\) come after the signed head`));
  const proven = auditCli('verify', '--expect-head', witness);
  expect(proven.status).toBe(1);
  expect(proven.stderr).toContain(`NOT verified: the trail ends at record ${cut}, before the expected head at record ${signed.seq}`);
  // The audit service (and the console) report the same: verified, with the records the signed head lags by.
  const { store, keys } = await trail();
  const verification = await verifyChain(store, keys);
  await store.close();
  const status = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditChainStatus { verified unsignedRecords lastCheckpointSeq } }');
  expect(verification).toMatchObject({ ok: true, lastSeq: cut });
  const reported = verification.ok && { verified: true, unsignedRecords: verification.unsignedRecords, lastCheckpointSeq: verification.lastCheckpoint?.seq ?? null };
  expect(status.body.data.auditChainStatus).toEqual(reported);
  writeFileSync(witness, '{"seq": 1}');
  expect(auditCli('verify', '--expect-head', witness).stderr).toMatch(/is not a signed head \(seq, hash, time, signature\)/);
});

test("npm run audit -- prune refuses a date within the retention period; verify takes the gateway's head file beside a witness's", async () => {
  const { store } = await trail();
  const records = async () => (await store.recordsAfter(0, 100_000)).length;
  try {
    const before = await records();
    const refused = auditCli('prune', '--before', new Date().toISOString());
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^nothing pruned: .* is within the retention period \(AUDIT_RETENTION_DAYS=180\): records since .* are kept\n$/);
    expect(await records()).toBe(before);
  } finally {
    await store.close();
  }
  // Enough requests for the gateway to sign a checkpoint of its own, which its head file keeps.
  for (let i = 0; i < TEST_CHECKPOINT_EVERY; i++) await graph.query('{ serviceItems { code } }');
  const witness = join(graph.dataDir, 'witness-beside-head-file.json');
  writeFileSync(witness, auditCli('head').stdout);
  const gatewayHead = join(graph.keys.dir, 'audit-head.json');
  const kept = JSON.parse(readFileSync(gatewayHead, 'utf8')) as { seq: number };
  const both = auditCli('verify', '--expect-head', witness, '--expect-head', gatewayHead);
  expect(both.status).toBe(0);
  expect(both.stdout).toContain(`the expected head (record ${kept.seq}) is in the trail`);
});

test('npm run audit -- verify names the first record that was tampered with', async () => {
  const good = auditCli('verify');
  expect(good.status).toBe(0);
  expect(good.stdout).toMatch(/audit trail verified: \d+ records/);
  const attacker = new BetterSqlite3(auditFile());
  try {
    attacker.exec('DROP TRIGGER "auditRecord_no_update"');
    attacker.prepare(`UPDATE "auditRecord" SET "app" = 'someone-else' WHERE "seq" = 2`).run();
  } finally {
    attacker.close();
  }
  const bad = auditCli('verify');
  expect(bad.status).toBe(1);
  expect(bad.stderr).toMatch(/NOT verified: record 2 was changed/);
});

test('reading the trail is itself audited', async () => {
  const before = (await allRecords()).length;
  await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditRecords(first: 1) { nodes { seq } } }');
  const last = (await allRecords()).slice(before);
  expect(last).toEqual([expect.objectContaining({ app: 'auditor', purpose: 'AUDIT_REVIEW', fields: expect.arrayContaining(['Query.auditRecords']) })]);
});

test('an invalid subject filter is BAD_USER_INPUT', async () => {
  const response = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditRecords(subject: "nobody") { totalCount } }');
  expect(response.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'subject' });
});

test('no log line of any service carries a raw ID number, phone number or name', async () => {
  await graph.query('{ person(idNumber: "110105194912310021") { name } }');
  await graph.stopSubgraph('civil-affairs');
  await graph.query(`{ person(idNumber: "${subject}") { name maritalStatus } }`);
  expect(logs.length).toBeGreaterThan(5);
  const text = logs.join('\n');
  const touched = world.persons.filter((p) => text.includes(p.idNumber) || text.includes(p.phone) || (p.name.length >= 3 && text.includes(p.name)));
  expect(touched).toEqual([]);
});

describe('what the console reads from the audit service', () => {
  const auditor = { app: 'auditor', purpose: 'AUDIT_REVIEW' };

  test('an app reads its own contract without a purpose; only the auditor reads the matrix', async () => {
    const own = await graph.queryAs({ app: 'city-ops-center' }, '{ callerContract { app region purposes { code } } }');
    expect(own.body.data.callerContract).toEqual({ app: 'city-ops-center', region: '4401', purposes: [{ code: 'CITY_OPERATIONS' }, { code: 'EVENT_ENTERPRISE_CONTACT' }] });
    const refused = await graph.queryAs({ app: 'city-ops-center', purpose: 'CITY_OPERATIONS' }, '{ accessMatrix { app } }');
    expect(refused.status).toBe(403);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  test('the matrix filters by app, department and sharing class', async () => {
    const rows = (await graph.queryAs(auditor, '{ accessMatrix(app: "market-supervision", department: "public-security", sharingClass: "CONDITIONAL") { app field departments sharingClass mask } }')).body.data.accessMatrix;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ app: 'market-supervision', sharingClass: 'CONDITIONAL', departments: expect.arrayContaining(['public-security']) });
    expect(rows).toContainEqual(expect.objectContaining({ field: 'Person.idNumber', mask: expect.stringContaining('ID'), departments: ['public-security'] }));
  });

  test('a key is the grant of the department that owns the entity, not of every department that extends it', async () => {
    const fieldsOf = async (department: string) =>
      new Set(((await graph.queryAs(auditor, `{ accessMatrix(department: "${department}") { field } }`)).body.data.accessMatrix as Array<{ field: string }>).map((row) => row.field));
    const [civilAffairs, publicSecurity, serviceHall, marketRegulation] = await Promise.all(['civil-affairs', 'public-security', 'service-hall', 'market-regulation'].map(fieldsOf));
    expect(civilAffairs).toContain('Person.maritalStatus');
    expect([civilAffairs.has('Person.idNumber'), serviceHall.has('Person.idNumber'), serviceHall.has('Enterprise.creditCode')]).toEqual([false, false, false]);
    expect([publicSecurity.has('Person.idNumber'), marketRegulation.has('Enterprise.creditCode')]).toEqual([true, true]);
  });

  test('the contract set in force is a revision; the chain status names the record changed above; statistics count denials by code', async () => {
    const revisions = (await graph.queryAs(auditor, '{ contractRevisions { id hash apps } }')).body.data.contractRevisions;
    expect(revisions).toHaveLength(1);
    expect(revisions[0].apps).toContain('auditor');
    expect((await graph.queryAs(auditor, `{ contractChanges(from: ${revisions[0].id}, to: ${revisions[0].id}) { kind } }`)).body.data.contractChanges).toEqual([]);

    await graph.queryAs({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' }, '{ enterprises { nodes { name } } }');
    const { auditChainStatus, auditStatistics } = (
      await graph.queryAs(auditor, '{ auditChainStatus { verified problem unsignedRecords } auditStatistics(app: "auditor") { denialsByReason { reason count } topPurposes { purpose count } accessesPerAppDay { app day count } } }')
    ).body.data;
    // The test of `npm run audit -- verify` above changed record 2's app: the service names it, as the CLI did.
    expect(auditChainStatus).toEqual({ verified: false, problem: 'record 2 was changed', unsignedRecords: 0 });
    expect(auditStatistics.denialsByReason).toContainEqual({ reason: 'FORBIDDEN', count: expect.any(Number) });
    expect(auditStatistics.topPurposes.map((p: { purpose: string }) => p.purpose)).toContain('GOVERNANCE_STATISTICS');
    expect(auditStatistics.accessesPerAppDay.every((d: { app: string; day: string }) => d.app === 'auditor' && /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);
  });

  test.each([
    ['{ accessMatrix(sharingClass: "SECRET") { app } }', 'sharingClass'],
    ['{ contractChanges(from: 1, to: 99) { kind } }', 'to'],
    ['{ auditStatistics(from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z") { from } }', 'from'],
    ['{ contractRevisions(first: 1000) { id } }', 'first'],
  ])('bad input is a clear BAD_USER_INPUT naming the argument: %s', async (query, argument) => {
    const response = await graph.queryAs(auditor, query);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(JSON.stringify(response.body)).not.toMatch(/SELECT|stack|127\.0\.0\.1/);
  });
});
