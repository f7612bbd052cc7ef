/** The parent request id is part of a record: hashed with it, stored on both databases, added to older trails. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { verifyChain } from './verify-chain';

let dir: string;
let keys: ChainKeys;
const file = () => join(dir, 'audit.sqlite');

const entry = (i: number, parentRequestId?: string): AuditEntry => ({
  time: `2026-06-01T08:00:0${i}.000Z`, requestId: `r${i}`, ...(parentRequestId && { parentRequestId }), app: 'service-hall', operator: null, region: null,
  purpose: 'PREFILL', caseId: null, operationName: null, operationHash: 'h', fields: ['Person.name'], subjects: [], decision: 'PERMIT', rule: 'contract',
  outcome: 'ok', errorCodes: [], latencyMs: 1,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-parent-'));
  keys = { chainKey: randomBytes(32), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs SQL on the file as someone with the database in hand would, triggers dropped. */
function tamper(statements: string[]): void {
  const db = new BetterSqlite3(file());
  try {
    db.exec('DROP TRIGGER "auditRecord_no_update"');
    for (const statement of statements) db.exec(statement);
  } finally {
    db.close();
  }
}

test('a trail written before records named a parent gains the column and still verifies', async () => {
  let store = await AuditStore.open({ kind: 'sqlite', file: file() });
  await store.append(entry(1), keys);
  await store.close();
  const db = new BetterSqlite3(file());
  db.exec('ALTER TABLE "auditRecord" DROP COLUMN "parentRequestId"');
  db.close();

  store = await AuditStore.open({ kind: 'sqlite', file: file() });
  try {
    await store.append(entry(2, 'r1'), keys);
    const records = await store.recordsAfter(0, 10);
    expect(records.map((r) => r.parentRequestId)).toEqual([undefined, 'r1']);
    expect('parentRequestId' in records[0]!).toBe(false);
    expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 2 });
  } finally {
    await store.close();
  }
});

test.each([
  ['changed', `UPDATE "auditRecord" SET "parentRequestId" = 'r9' WHERE "seq" = 2`],
  ['added', `UPDATE "auditRecord" SET "parentRequestId" = 'r2' WHERE "seq" = 1`],
  ['removed', `UPDATE "auditRecord" SET "parentRequestId" = NULL WHERE "seq" = 2`],
])('a parent %s afterwards breaks the chain', async (_how, statement) => {
  let store = await AuditStore.open({ kind: 'sqlite', file: file() });
  await store.append(entry(1), keys);
  await store.append(entry(2, 'r1'), keys);
  await store.close();
  tamper([statement]);
  store = await AuditStore.open({ kind: 'sqlite', file: file() });
  try {
    expect(await verifyChain(store, keys)).toMatchObject({ ok: false, problem: expect.stringMatching(/record \d was changed/) });
  } finally {
    await store.close();
  }
});
