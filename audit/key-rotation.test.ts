/**
 * What docs/operations.md ("Rotating keys") says of the audit trail's keys, pinned: neither the chain key nor
 * the checkpoint key can change within a trail. Pruning the live trail to a signed head to go on under a new
 * chain key would take the records of the retention period with it: verify says so until it has passed. A new
 * trail under the new keys leaves the old one whole, verifying under the old keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { DEFAULT_RETENTION_DAYS, verifyChain } from './verify-chain';

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

test('the chain key changed at a signed head the trail is pruned to: verify names the records of the retention period gone, until it has passed', async () => {
  const newKeys = { ...oldKeys, chainKey: Buffer.alloc(32, 2) };
  await store.checkpointHead(oldKeys.checkpointKeys);
  expect((await store.prune(new Date().toISOString())).removed).toBe(25);
  for (let i = 26; i <= 32; i++) await store.append(entry(i), newKeys);
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 25, problem: expect.stringMatching(/records younger than the retention period .* were removed/) });
  const afterRetention = { now: Date.now() + (DEFAULT_RETENTION_DAYS + 1) * 86_400_000 };
  expect(await verifyChain(store, newKeys, afterRetention)).toEqual({ ok: true, records: 7, checkpoints: 2, lastCheckpoint: { seq: 30, time: expect.any(String) }, lastSeq: 32, unsignedRecords: 2 });
  expect(await verifyChain(store, oldKeys, afterRetention)).toEqual({ ok: false, seq: 26, problem: 'record 26 was changed' });
});

test('the chain key changes with a new trail: the old one, whole, verifies under the old key, the new one under the new', async () => {
  const newKeys = { ...oldKeys, chainKey: Buffer.alloc(32, 2) };
  await store.checkpointHead(oldKeys.checkpointKeys);
  const fresh = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit-new.sqlite') });
  try {
    for (let i = 1; i <= 12; i++) await fresh.append(entry(i), newKeys);
    expect(await verifyChain(fresh, newKeys)).toMatchObject({ ok: true, records: 12, lastSeq: 12 });
    expect(await verifyChain(fresh, oldKeys)).toEqual({ ok: false, seq: 1, problem: 'record 1 was changed' });
  } finally {
    await fresh.close();
  }
  expect(await verifyChain(store, oldKeys)).toMatchObject({ ok: true, records: 25, lastSeq: 25, unsignedRecords: 0 });
});

test('a new checkpoint key cannot verify the checkpoints signed before, pruned trail or not', async () => {
  const newKeys = { ...oldKeys, checkpointKeys: readCheckpointKeys(join(dir, 'new-checkpoint.pem'), true) };
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 10, problem: 'the checkpoint at record 10 has an invalid signature' });
  await store.checkpointHead(oldKeys.checkpointKeys);
  await store.prune(new Date().toISOString());
  // The pruned trail starts at the old key's signature over its head.
  expect(await verifyChain(store, newKeys)).toEqual({ ok: false, seq: 25, problem: 'the checkpoint at record 25 has an invalid signature' });
});
