import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { entryOf, recordHash, type AuditEntry } from './audit-record';
import { canonicalJson } from './canonical-json';
import { AuditStore, toRow } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys, signCheckpoint, type Checkpoint } from './checkpoint-signer';
import { verifyChain } from './verify-chain';

let dir: string;
let store: AuditStore;
let keys: ChainKeys;

/** Verified a year after the records were written: their prunes lie outside the retention period. */
const AFTER_RETENTION = { now: Date.parse('2027-06-15T00:00:00.000Z') };
const entry = (i: number, time = `2026-06-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00.000Z`): AuditEntry => ({
  time, requestId: `r${i}`, app: 'market-supervision', operator: null, region: null, purpose: 'MARKET_INSPECTION', caseId: null,
  operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects: [`s${i}`], decision: 'PERMIT', rule: 'contract',
  outcome: 'ok', errorCodes: [], latencyMs: 1,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-'));
  keys = { chainKey: Buffer.alloc(32, 3), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
  store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  for (let i = 1; i <= 25; i++) await store.append(entry(i), keys);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What an attacker with direct database access would do first. */
const dropProtection = async () => {
  for (const table of ['auditRecord', 'auditSubjectRun', 'auditCheckpoint']) {
    await sql.raw(`DROP TRIGGER "${table}_no_update"`).execute(store.db);
    await sql.raw(`DROP TRIGGER "${table}_no_delete"`).execute(store.db);
  }
};

test('an untouched chain verifies, with its signed checkpoints, and says how many records come after the signed head', async () => {
  expect(await verifyChain(store, keys)).toEqual({ ok: true, records: 25, checkpoints: 2, lastCheckpoint: { seq: 20, time: expect.any(String) }, lastSeq: 25, unsignedRecords: 5 });
  await store.checkpointHead(keys.checkpointKeys);
  expect(await verifyChain(store, keys)).toEqual({ ok: true, records: 25, checkpoints: 3, lastCheckpoint: { seq: 25, time: expect.any(String) }, lastSeq: 25, unsignedRecords: 0 });
});

test('the database itself refuses updates and deletes, from any connection', () => {
  const direct = new BetterSqlite3(join(dir, 'audit.sqlite'));
  try {
    expect(() => direct.prepare(`UPDATE "auditRecord" SET "app" = 'x' WHERE "seq" = 3`).run()).toThrow(/append-only/);
    expect(() => direct.prepare(`DELETE FROM "auditRecord" WHERE "seq" = 3`).run()).toThrow(/append-only/);
    expect(() => direct.prepare(`DELETE FROM "auditCheckpoint"`).run()).toThrow(/append-only/);
  } finally {
    direct.close();
  }
});

test.each([
  ['a changed field', async () => store.db.updateTable('auditRecord').set({ purpose: 'SOMETHING_ELSE' }).where('seq', '=', 7).execute(), 7, /record 7 was changed/],
  ['a removed record', async () => store.db.deleteFrom('auditRecord').where('seq', '=', 12).execute(), 12, /record 12 is missing/],
  ['two records swapped', async () => {
    const [a, b] = await store.recordsAfter(14, 2);
    await store.db.deleteFrom('auditRecord').where('seq', 'in', [15, 16]).execute();
    const row = (r: typeof a, seq: number) => toRow({ ...r!, seq });
    await store.db.insertInto('auditRecord').values([row(b, 15), row(a, 16)]).execute();
  }, 15, /record 15 does not follow record 14/],
  ['the newest records removed behind a checkpoint', async () => store.db.deleteFrom('auditRecord').where('seq', '>', 17).execute(), 18, /records from 18 to 20 were removed/],
])('%s is detected at exactly that record', async (_name, tamper, seq, problem) => {
  await dropProtection();
  await tamper();
  expect(await verifyChain(store, keys)).toEqual({ ok: false, seq, problem: expect.stringMatching(problem) });
});

test('a record inserted among the others is detected where it breaks the chain', async () => {
  await dropProtection();
  const seventh = (await store.recordsAfter(6, 1))[0]!;
  await sql`UPDATE "auditRecord" SET "seq" = "seq" + 1000 WHERE "seq" >= 8`.execute(store.db);
  await sql`UPDATE "auditRecord" SET "seq" = "seq" - 999 WHERE "seq" >= 1008`.execute(store.db);
  const forged = entry(77);
  await store.db.insertInto('auditRecord').values(toRow({ ...forged, seq: 8, prevHash: seventh.hash, hash: recordHash(keys.chainKey, 8, seventh.hash, forged) })).execute();
  expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 9, problem: expect.stringMatching(/record 9 does not follow record 8: a record was inserted/) });
});

test('a record inserted with a recomputed chain is caught by the next signed checkpoint', async () => {
  await dropProtection();
  const records = await store.recordsAfter(0, 100);
  await store.db.deleteFrom('auditRecord').where('seq', '>=', 5).execute();
  let prev = records[3]!.hash;
  const rewritten = [{ ...entry(99), seq: 5 }, ...records.slice(4).map((r, i) => ({ ...entryOf(r), seq: 6 + i }))];
  for (const r of rewritten) {
    const { seq, ...body } = r;
    const hash = recordHash(keys.chainKey, seq, prev, body);
    await store.db.insertInto('auditRecord').values(toRow({ ...body, seq, prevHash: prev, hash })).execute();
    prev = hash;
  }
  expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 10, problem: expect.stringMatching(/does not match its signed checkpoint/) });
});

test('pruning keeps the chain verifiable from the checkpoint it starts after', async () => {
  const { removed, anchor } = await store.prune('2026-06-15T00:00:00.000Z');
  expect(anchor?.seq).toBe(10);
  expect(removed).toBe(10);
  expect(await verifyChain(store, keys, AFTER_RETENTION)).toMatchObject({ ok: true, records: 15 });
  await store.append(entry(26), keys);
  expect(await verifyChain(store, keys, AFTER_RETENTION)).toMatchObject({ ok: true, records: 16 });
});

test('a trail pruned from a checkpoint signed within the retention period fails; one starting at genesis does not', async () => {
  // Record 10, the checkpoint the prune leaves, was written 2026-06-11T08:00.
  const dayAfter = Date.parse('2026-06-12T08:00:00.000Z');
  expect(await verifyChain(store, keys, { now: dayAfter - 1, retentionDays: 1 })).toMatchObject({ ok: true, records: 25 });
  await store.prune('2026-06-15T00:00:00.000Z');
  expect(await verifyChain(store, keys, { now: dayAfter, retentionDays: 1 })).toMatchObject({ ok: true, records: 15 });
  expect(await verifyChain(store, keys, { now: dayAfter - 1, retentionDays: 1 })).toEqual({
    ok: false,
    seq: 10,
    problem: 'the trail starts after the checkpoint at record 10, signed 2026-06-11T08:00:00.000Z: records younger than the retention period (since 2026-06-11T07:59:59.999Z) were removed',
  });
});

test('a forged checkpoint signature is refused', async () => {
  const other = { ...keys, checkpointKeys: readCheckpointKeys(join(dir, 'other.pem'), true) };
  expect(await verifyChain(store, other)).toEqual({ ok: false, seq: 10, problem: expect.stringMatching(/invalid signature/) });
});

/** Replaces the whole trail by `entries`, chained with `hash` as an attacker who holds only the database would. */
const rewriteAll = async (entries: AuditEntry[], hash: (seq: number, prevHash: string, entry: AuditEntry) => string) => {
  await dropProtection();
  await store.db.deleteFrom('auditCheckpoint').execute();
  await store.db.deleteFrom('auditRecord').execute();
  let prevHash = '0'.repeat(64);
  for (const [i, body] of entries.entries()) {
    const seq = i + 1;
    const record = { ...body, seq, prevHash, hash: hash(seq, prevHash, body) };
    await store.db.insertInto('auditRecord').values(toRow(record)).execute();
    prevHash = record.hash;
  }
};

describe('truncation and rewriting', () => {
  test('every checkpoint deleted and every record rehashed without the chain key: the first record is caught', async () => {
    const records = await store.recordsAfter(0, 100);
    const sha256 = (seq: number, prevHash: string, body: AuditEntry) => createHash('sha256').update(`${prevHash}\n${seq}\n${canonicalJson(body)}`).digest('hex');
    await rewriteAll(records.filter((r) => r.seq !== 12).map(entryOf), sha256);
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 1, problem: 'record 1 was changed' });
  });

  test('every checkpoint deleted, even by someone who holds the chain key: the first missing checkpoint is named', async () => {
    const records = await store.recordsAfter(0, 100);
    await rewriteAll(records.filter((r) => r.seq !== 12).map(entryOf), (seq, prevHash, body) => recordHash(keys.chainKey, seq, prevHash, body));
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 10, problem: expect.stringMatching(/the signed checkpoint at record 10 is missing \(one is written every 10 records\)/) });
  });

  test('one checkpoint deleted, its records kept: named', async () => {
    await dropProtection();
    await store.db.deleteFrom('auditCheckpoint').where('seq', '=', 20).execute();
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 20, problem: expect.stringMatching(/checkpoint at record 20 is missing/) });
  });

  test('the records after a checkpoint deleted together with it: the signed head lags the last record, and a head kept elsewhere proves the loss', async () => {
    const witness = (await store.checkpointHead(keys.checkpointKeys))!;
    await dropProtection();
    await store.db.deleteFrom('auditCheckpoint').where('seq', '>=', 20).execute();
    await store.db.deleteFrom('auditRecord').where('seq', '>=', 20).execute();
    expect(await verifyChain(store, keys)).toEqual(expect.objectContaining({ ok: true, lastSeq: 19, unsignedRecords: 9 }));
    expect(await verifyChain(store, keys, { expectHeads: [witness] })).toEqual({ ok: false, seq: 20, problem: 'the trail ends at record 19, before the expected head at record 25: records from 20 were removed' });
    // Everything deleted: an empty trail verifies on its own, never against the witness.
    await store.db.deleteFrom('auditCheckpoint').execute();
    await store.db.deleteFrom('auditRecord').execute();
    expect(await verifyChain(store, keys)).toEqual(expect.objectContaining({ ok: true, records: 0 }));
    expect(await verifyChain(store, keys, { expectHeads: [witness] })).toEqual({ ok: false, seq: 1, problem: 'the trail ends at record 0, before the expected head at record 25: records from 1 were removed' });
  });

  test('a head kept elsewhere verifies the trail that still holds it, and later records after it', async () => {
    const witness = (await store.checkpointHead(keys.checkpointKeys))!;
    await store.append(entry(26), keys);
    expect(await verifyChain(store, keys, { expectHeads: [witness] })).toEqual(expect.objectContaining({ ok: true, lastSeq: 26, unsignedRecords: 1 }));
  });

  test('a head kept elsewhere catches a rewrite that kept every checkpoint consistent', async () => {
    const witness = (await store.checkpointHead(keys.checkpointKeys))!;
    await dropProtection();
    await store.db.deleteFrom('auditCheckpoint').where('seq', '=', 25).execute();
    await store.db.deleteFrom('auditRecord').where('seq', '>', 20).execute();
    // Rewritten by someone holding the chain key, through a store of their own: the one that appended them refuses (audit-trail-cut.test.ts).
    const forger = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
    for (let i = 21; i <= 25; i++) await forger.append(entry(100 + i), keys);
    await forger.close();
    expect(await verifyChain(store, keys)).toMatchObject({ ok: true });
    expect(await verifyChain(store, keys, { expectHeads: [witness] })).toEqual({ ok: false, seq: 25, problem: 'record 25 is not the record of the expected head: the chain was rewritten up to here' });
  });

  test('a head kept elsewhere that the trail was pruned past cannot be proven; a forged one is refused', async () => {
    const early: Checkpoint = (await store.checkpoints())[0]!;
    await store.prune('2026-06-15T00:00:00.000Z');
    await store.checkpointHead(keys.checkpointKeys);
    expect(await verifyChain(store, keys, { expectHeads: [early], ...AFTER_RETENTION })).toMatchObject({ ok: false, problem: expect.stringMatching(/was pruned, and cannot be proven/) });
    const forged = signCheckpoint(readCheckpointKeys(join(dir, 'other.pem'), true), 30, 'f'.repeat(64), early.time);
    expect(await verifyChain(store, keys, { expectHeads: [forged] })).toEqual({ ok: false, seq: 30, problem: expect.stringMatching(/not signed by this trail's checkpoint key/) });
  });
});

describe('where verify draws its lines', () => {
  test('records deleted from the start up to just before a checkpoint: named from the record after the last checkpoint kept', async () => {
    await dropProtection();
    await store.db.deleteFrom('auditRecord').where('seq', '<', 20).execute();
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 11, problem: 'records from 11 to 19 were removed: the trail starts at record 20 without a checkpoint before it' });
  });

  test('records deleted from a checkpoint onwards, the checkpoint kept: the checkpoint proves they existed', async () => {
    await dropProtection();
    await store.db.deleteFrom('auditRecord').where('seq', '>=', 20).execute();
    expect(await verifyChain(store, keys)).toEqual({ ok: false, seq: 20, problem: 'records from 20 to 20 were removed (a signed checkpoint covers them)' });
  });

  test('a head kept elsewhere at the last record verifies', async () => {
    const witness = (await store.checkpointHead(keys.checkpointKeys))!;
    expect(witness.seq).toBe(25);
    expect(await verifyChain(store, keys, { expectHeads: [witness] })).toMatchObject({ ok: true, lastSeq: 25, unsignedRecords: 0 });
  });

  test('a pruned trail verifies against a head kept at its first record, and names what a head before it lost', async () => {
    const { anchor } = await store.prune('2026-06-15T00:00:00.000Z');
    const [first] = await store.recordsAfter(0, 1);
    expect(first!.seq).toBe(anchor!.seq + 1);
    const atFirst = signCheckpoint(keys.checkpointKeys, first!.seq, first!.hash, first!.time);
    expect(await verifyChain(store, keys, { expectHeads: [atFirst], ...AFTER_RETENTION })).toMatchObject({ ok: true });
    const before = signCheckpoint(keys.checkpointKeys, anchor!.seq - 1, 'e'.repeat(64), first!.time);
    expect(await verifyChain(store, keys, { expectHeads: [before], ...AFTER_RETENTION })).toEqual({
      ok: false,
      seq: anchor!.seq - 1,
      problem: `the trail starts after record ${anchor!.seq}: the expected head at record ${anchor!.seq - 1} was pruned, and cannot be proven`,
    });
  });
});
