import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { verifyChain } from './verify-chain';

let dir: string;
let store: AuditStore;
let keys: ChainKeys;

const hmac = (n: number) => n.toString(16).padStart(64, '0');
/** Record i is about citizen 1 when i is a multiple of 3, and always about a citizen of its own. */
const subjectsOf = (i: number) => (i % 3 === 0 ? [hmac(1), hmac(1000 + i)] : [hmac(1000 + i)]);
const entry = (i: number): AuditEntry => ({
  time: `2026-06-${String(1 + Math.floor(i / 50)).padStart(2, '0')}T08:00:00.000Z`, requestId: `r${i}`, app: 'one-stop-service', operator: 'desk-1', region: null,
  purpose: 'SERVICE_APPLICATION', caseId: null, operationName: null, operationHash: 'h', fields: ['Person.name'], subjects: subjectsOf(i),
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

async function appendRecords(from: number, to: number): Promise<void> {
  const entries: AuditEntry[] = [];
  for (let i = from; i <= to; i++) entries.push(entry(i));
  await store.appendAll(entries, keys);
}

async function indexAll(batch: number): Promise<void> {
  while ((await store.indexSubjects(batch)) > 0);
}

/** What whoever holds the database would do first. */
const dropRunProtection = async () => {
  await sql.raw('DROP TRIGGER "auditSubjectRun_no_update"').execute(store.db);
  await sql.raw('DROP TRIGGER "auditSubjectRun_no_delete"').execute(store.db);
};
const runsOf = async (subject: string) =>
  (await store.db.selectFrom('auditSubjectRun').select(['fromSeq', 'toSeq']).where('subject', '=', subject).orderBy('fromSeq').execute()).map((r) => [Number(r.fromSeq), Number(r.toSeq)]);
const seqsAbout = async (subject: string) => (await store.find({ subject }, undefined, 2000)).map((r) => r.seq);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-index-verify-'));
  keys = { chainKey: Buffer.alloc(32, 5), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 100 };
  store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  // More than a page of records (verify reads 1000 at a time), indexed in batches of 400: citizen 1 has a run per batch.
  await appendRecords(1, 1210);
  await indexAll(400);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an indexed trail verifies, across pages, with records after the index not yet indexed', async () => {
  expect(await runsOf(hmac(1))).toEqual([[3, 399], [402, 798], [801, 1200], [1203, 1209]]);
  await appendRecords(1211, 1230);
  expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 1230, lastSeq: 1230 });
});

test.each([
  ['a run of a citizen in the first page', hmac(1), 402, 402],
  ['the run of a citizen met once', hmac(1000 + 7), 7, 7],
  ['a run that starts in one page and ends in the next', hmac(1), 801, 801],
  ['a run wholly in the second page', hmac(1), 1203, 1203],
  ['the run of the last record indexed', hmac(1000 + 1210), 1210, 1210],
])('deleting %s is named at its first record', async (_case, subject, fromSeq, named) => {
  await dropRunProtection();
  await store.db.deleteFrom('auditSubjectRun').where('subject', '=', subject).where('fromSeq', '=', fromSeq).execute();
  expect(await seqsAbout(subject)).not.toContain(named);
  expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: named, problem: expect.stringMatching(/no longer found by the subject index/) });
});

test('a run cut short, or moved to another subject, is named at the first record it no longer leads to', async () => {
  await dropRunProtection();
  await store.db.updateTable('auditSubjectRun').set({ toSeq: 900 }).where('subject', '=', hmac(1)).where('fromSeq', '=', 801).execute();
  expect(await verifyChain(store, keys)).toMatchObject({ ok: false, seq: 903 });
  await store.db.updateTable('auditSubjectRun').set({ toSeq: 1200 }).where('subject', '=', hmac(1)).where('fromSeq', '=', 801).execute();
  await store.db.updateTable('auditSubjectRun').set({ subject: hmac(2) }).where('subject', '=', hmac(1)).where('fromSeq', '=', 3).execute();
  expect(await verifyChain(store, keys)).toMatchObject({ ok: false, seq: 3 });
});

test('a progress mark moved past the head is refused; moved back, the records are searched directly and verify', async () => {
  await store.db.updateTable('auditSubjectRunProgress').set({ indexedTo: 1215 }).where('id', '=', 1).execute();
  expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 1211, problem: expect.stringMatching(/claims records up to 1215, beyond the trail's last record 1210/) });
  await appendRecords(1211, 1215);
  expect(await verifyChain(store, keys)).toMatchObject({ ok: false, seq: 1211 });
  await store.db.updateTable('auditSubjectRunProgress').set({ indexedTo: 0 }).where('id', '=', 1).execute();
  expect(await verifyChain(store, keys)).toMatchObject({ ok: true, lastSeq: 1215 });
  expect(await seqsAbout(hmac(1))).toHaveLength(405);
});

test('a pruned trail keeps the run that straddles its anchor, and losing it is named', async () => {
  const { anchor } = await store.prune('2026-06-12T00:00:00.000Z');
  expect(anchor!.seq).toBe(500);
  expect(await runsOf(hmac(1))).toEqual([[402, 798], [801, 1200], [1203, 1209]]);
  // Verified a year on: the prune lies outside the retention period.
  const afterRetention = { now: Date.parse('2027-06-12T00:00:00.000Z') };
  expect(await verifyChain(store, keys, afterRetention)).toMatchObject({ ok: true, records: 710 });
  await dropRunProtection();
  await store.db.deleteFrom('auditSubjectRun').where('subject', '=', hmac(1)).where('fromSeq', '=', 402).execute();
  expect(await verifyChain(store, keys, afterRetention)).toEqual({ ok: false, seq: 501, problem: expect.stringMatching(/no longer found by the subject index/) });
});
