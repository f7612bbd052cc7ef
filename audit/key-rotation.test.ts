/**
 * What docs/operations.md ("Rotating keys") says of the audit trail's keys, pinned: the chain key can change
 * only at a signed head the live trail is pruned to (a backup taken before keeps the old records, which
 * verify under the old key); the checkpoint key cannot change within a trail.
 */
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
let oldKeys: ChainKeys;

const entry = (i: number, subjects: string[] = [`s${i}`]): AuditEntry => ({
  time: new Date(Date.now() - 60_000).toISOString(), requestId: `r${i}`, app: 'market-supervision', operator: null, region: null, purpose: 'MARKET_INSPECTION',
  caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects, decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-rotation-'));
  oldKeys = { chainKey: Buffer.alloc(32, 1), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
  store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  for (let i = 1; i <= 25; i++) await store.append(entry(i), oldKeys);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a new chain key breaks verification of every record written under the old one', async () => {
  expect(await verifyChain(store, { ...oldKeys, chainKey: Buffer.alloc(32, 2) })).toEqual({ ok: false, seq: 1, problem: 'record 1 was changed' });
});

test('the chain key changes at a signed head the trail is pruned to: the trail verifies under the new key, its backup under the old', async () => {
  const newKeys = { ...oldKeys, chainKey: Buffer.alloc(32, 2) };
  // The gateways stopped: the head is signed. The backup, a consistent copy, keeps the records.
  await store.checkpointHead(oldKeys.checkpointKeys);
  const backupFile = join(dir, 'backup.sqlite');
  await sql.raw(`VACUUM INTO '${backupFile}'`).execute(store.db);
  expect((await store.prune(new Date().toISOString())).removed).toBe(25);
  // Pruned to its head, the trail holds a checkpoint and no record: verify reads that as records removed until the next one is written.
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 1, problem: 'records from 1 to 25 were removed (a signed checkpoint covers them)' });
  for (let i = 26; i <= 32; i++) await store.append(entry(i), newKeys);

  expect(await verifyChain(store, newKeys)).toEqual({ ok: true, records: 7, checkpoints: 2, lastCheckpoint: { seq: 30, time: expect.any(String) }, lastSeq: 32, unsignedRecords: 2 });
  expect(await verifyChain(store, oldKeys)).toEqual({ ok: false, seq: 26, problem: 'record 26 was changed' });
  const backup = await AuditStore.open({ kind: 'sqlite', file: backupFile });
  try {
    expect(await verifyChain(backup, oldKeys)).toMatchObject({ ok: true, records: 25, lastSeq: 25, unsignedRecords: 0 });
  } finally {
    await backup.close();
  }
});

test('a new checkpoint key cannot verify the checkpoints signed before, pruned trail or not', async () => {
  const newKeys = { ...oldKeys, checkpointKeys: readCheckpointKeys(join(dir, 'new-checkpoint.pem'), true) };
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 10, problem: 'the checkpoint at record 10 has an invalid signature' });
  await store.checkpointHead(oldKeys.checkpointKeys);
  await store.prune(new Date().toISOString());
  // The pruned trail starts at the old key's signature over its head.
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 25, problem: 'the checkpoint at record 25 has an invalid signature' });
});
