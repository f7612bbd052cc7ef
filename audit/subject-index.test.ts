import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys, type CheckpointKeys } from './checkpoint-signer';

let dir: string;
let store: AuditStore;
let keys: CheckpointKeys;

const hmac = (n: number) => n.toString(16).padStart(64, '0');
const entry = (i: number, subjects: string[]): AuditEntry => ({
  time: `2026-06-01T08:00:${String(i % 60).padStart(2, '0')}.000Z`, requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
  purpose: 'MARKET_INSPECTION', caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects,
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});
const chain = (checkpointEvery: number): ChainKeys => ({ chainKey: Buffer.alloc(32, 1), checkpointKeys: keys, checkpointEvery });
const seqsAbout = async (subject: string) => (await store.find({ subject }, undefined, 100)).map((r) => r.seq);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-index-'));
  keys = readCheckpointKeys(join(dir, 'checkpoint.pem'), true);
  store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a subject is found before, while and after its records are indexed, once each', async () => {
  for (let i = 1; i <= 5; i++) await store.append(entry(i, [hmac(1), hmac(100 + i)]), chain(100));
  expect(await seqsAbout(hmac(1))).toEqual([5, 4, 3, 2, 1]);
  expect(await store.indexSubjects(3)).toBe(3);
  expect(await seqsAbout(hmac(1))).toEqual([5, 4, 3, 2, 1]);
  expect(await store.count({ subject: hmac(1) })).toBe(5);
  expect(await store.indexSubjects()).toBe(2);
  expect(await store.indexSubjects()).toBe(0);
  expect(await seqsAbout(hmac(1))).toEqual([5, 4, 3, 2, 1]);
  expect(await seqsAbout(hmac(103))).toEqual([3]);
  // One run per subject and batch: hmac(1) twice (records 1–3, 4–5), each other subject once.
  const runs = await store.db.selectFrom('auditSubjectRun').select(['subject', 'fromSeq', 'toSeq']).where('subject', '=', hmac(1)).orderBy('fromSeq').execute();
  expect(runs.map((r) => [Number(r.fromSeq), Number(r.toSeq)])).toEqual([[1, 3], [4, 5]]);
  expect(await store.db.selectFrom('auditSubjectRun').select('subject').execute()).toHaveLength(7);
});

test('a run does not stretch over a long gap, and records inside a run about others are not returned', async () => {
  // hmac(1) in records 1, 3 and 100; hmac(2) in every other record.
  for (let i = 1; i <= 100; i++) await store.append(entry(i, i === 1 || i === 3 || i === 100 ? [hmac(1)] : [hmac(2)]), chain(1000));
  await store.indexSubjects();
  const runs = await store.db.selectFrom('auditSubjectRun').select(['fromSeq', 'toSeq']).where('subject', '=', hmac(1)).orderBy('fromSeq').execute();
  expect(runs.map((r) => [Number(r.fromSeq), Number(r.toSeq)])).toEqual([[1, 3], [100, 100]]);
  expect(await seqsAbout(hmac(1))).toEqual([100, 3, 1]);
  expect(await store.count({ subject: hmac(1) })).toBe(3);
  expect(await store.count({ subject: hmac(2) })).toBe(97);
});

test('the access log of several subjects names the subject of each record', async () => {
  await store.append(entry(1, [hmac(1), hmac(2)]), chain(100));
  await store.indexSubjects();
  await store.append(entry(2, [hmac(2)]), chain(100));
  const about = await store.recordsAbout([hmac(1), hmac(2)], 10);
  expect(about.map((r) => [r.seq, r.subject]).sort()).toEqual([[1, hmac(1)], [1, hmac(2)], [2, hmac(2)]]);
});

test('a subject that is not an HMAC matches nothing, even as a pattern', async () => {
  await store.append(entry(1, [hmac(1)]), chain(100));
  expect(await seqsAbout('%')).toEqual([]);
  expect(await seqsAbout('_')).toEqual([]);
});
