/**
 * THREATS F10 from the writer's side: a store never appends onto a trail whose tail no longer holds what
 * it appended last (records removed, or rewritten by someone holding the chain key), nor signs a head
 * over it — appended to, the cut would verify. Other writers and prunes are not cuts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { AuditEntry } from './audit-record';
import { AuditStore, AuditTrailCut } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { verifyChain } from './verify-chain';

let dir: string;
let writer: AuditStore;
let keys: ChainKeys;
const opened: AuditStore[] = [];

const entry = (i: number): AuditEntry => ({
  time: `2026-06-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00.000Z`, requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
  purpose: 'MARKET_INSPECTION', caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects: [`s${i}`],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});
/** Someone else's connection to the same trail: an attacker's, or another gateway's. */
async function another(): Promise<AuditStore> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  opened.push(store);
  return store;
}
async function cutAfter(seq: number): Promise<void> {
  const attacker = await another();
  for (const table of ['auditRecord', 'auditCheckpoint']) await sql.raw(`DROP TRIGGER IF EXISTS "${table}_no_delete"`).execute(attacker.db);
  await attacker.db.deleteFrom('auditCheckpoint').where('seq', '>', seq).execute();
  await attacker.db.deleteFrom('auditRecord').where('seq', '>', seq).execute();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-cut-'));
  keys = { chainKey: Buffer.alloc(32, 5), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
  writer = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  await writer.appendAll(Array.from({ length: 25 }, (_, i) => entry(i + 1)), keys);
});
afterEach(async () => {
  for (const store of [writer, ...opened.splice(0)]) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the newest records cut away, their checkpoints too: the writer refuses to append or sign, and writes nothing', async () => {
  await cutAfter(20);
  const problem = 'the audit trail ends at record 20, before record 25 this process appended: its newest records were removed';
  await expect(writer.append(entry(26), keys)).rejects.toEqual(new AuditTrailCut(problem));
  await expect(writer.checkpointHead(keys.checkpointKeys)).rejects.toEqual(new AuditTrailCut(problem));
  expect(await verifyChain(writer, keys)).toMatchObject({ ok: true, lastSeq: 20 });
});

test('every record cut away: still refused', async () => {
  await cutAfter(0);
  await expect(writer.append(entry(26), keys)).rejects.toThrow(/ends at record 0, before record 25/);
});

test('cut and grown again past it by someone holding the chain key: the record it appended last is not its own', async () => {
  await cutAfter(22);
  const forger = await another();
  for (let i = 23; i <= 27; i++) await forger.append(entry(100 + i), keys);
  await expect(writer.append(entry(28), keys)).rejects.toEqual(new AuditTrailCut('record 25, which this process appended, was rewritten'));
});

test('another writer appending, and a prune, are not cuts', async () => {
  const other = await another();
  await other.append(entry(26), keys);
  await writer.append(entry(27), keys);
  await writer.checkpointHead(keys.checkpointKeys);
  await writer.prune('2026-12-31T00:00:00.000Z');
  await expect(writer.append(entry(28), keys)).resolves.toMatchObject({ seq: 28 });
  // Verified a year on: the prune lies outside the retention period.
  expect(await verifyChain(writer, keys, { now: Date.parse('2027-12-31T00:00:00.000Z') })).toMatchObject({ ok: true, lastSeq: 28 });
});
