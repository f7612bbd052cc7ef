/**
 * What a record says was masked and refused, and the client it came from, is part of the record: hashed
 * with it, and added to older trails, whose records read as "not recorded" and still verify. The trail
 * is searched by error code, and an app's own reads through one client can be left out.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import type { AuditLocation } from './audit-database';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { readCheckpointKeys } from './checkpoint-signer';
import { verifyChain } from './verify-chain';

/** PostgreSQL is the machine's local server (GOVGRAPH_TEST_POSTGRES_URL overrides), in a database of this test's own. */
const ADMIN_URL = process.env['GOVGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `govgraph_test_masked_${process.pid}_${randomBytes(3).toString('hex')}`;
let dir: string;
let keys: ChainKeys;
const file = () => join(dir, 'audit.sqlite');

const older = (i: number): AuditEntry => ({
  time: `2026-06-01T08:00:0${i}.000Z`, requestId: `r${i}`, app: 'auditor', operator: null, region: null, purpose: 'AUDIT_REVIEW', caseId: null,
  operationName: 'AuditRecords', operationHash: 'h', fields: ['Query.auditRecords'], subjects: [], decision: 'PERMIT', rule: 'contract', outcome: 'ok',
  errorCodes: [], latencyMs: 1,
});
const refusal = (i: number, client?: string): AuditEntry => ({
  ...older(i),
  ...(client && { client }),
  fields: ['Person.idNumber', 'Person.name'],
  decision: 'PARTIAL',
  errorCodes: ['FORBIDDEN'],
  masked: [{ field: 'Person.idNumber', mask: 'ID_NUMBER' }],
  refused: [{ field: 'Person.name', code: 'FORBIDDEN', reason: 'no grant of the contract names it' }],
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-masked-'));
  keys = { chainKey: randomBytes(32), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a trail written before records carried masks, refusals and clients gains the columns, reads its old records as not recorded, and verifies', async () => {
  let store = await AuditStore.open({ kind: 'sqlite', file: file() });
  await store.append(older(1), keys);
  await store.close();
  const db = new BetterSqlite3(file());
  for (const column of ['masked', 'refused', 'client']) db.exec(`ALTER TABLE "auditRecord" DROP COLUMN "${column}"`);
  db.close();

  store = await AuditStore.open({ kind: 'sqlite', file: file() });
  try {
    await store.append(refusal(2, 'govgraph-console'), keys);
    const [old, recent] = await store.recordsAfter(0, 10);
    expect(old).not.toHaveProperty('masked');
    expect(old).not.toHaveProperty('refused');
    expect(old).not.toHaveProperty('client');
    expect(recent).toMatchObject({ masked: refusal(2).masked, refused: refusal(2).refused, client: 'govgraph-console' });
    expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 2 });
  } finally {
    await store.close();
  }
});

test.each([
  ['masked', `'[]'`],
  ['refused', `'[{"field":"Person.name","code":"FORBIDDEN","reason":"other"}]'`],
  ['client', `'another-client'`],
])('a record whose %s column is rewritten fails verification', async (column, value) => {
  const store = await AuditStore.open({ kind: 'sqlite', file: file() });
  await store.append(refusal(1, 'govgraph-console'), keys);
  await store.close();
  const db = new BetterSqlite3(file());
  db.exec('DROP TRIGGER "auditRecord_no_update"');
  db.exec(`UPDATE "auditRecord" SET "${column}" = ${value}`);
  db.close();
  const reopened = await AuditStore.open({ kind: 'sqlite', file: file() });
  try {
    expect(await verifyChain(reopened, keys)).toEqual({ ok: false, seq: 1, problem: 'record 1 was changed' });
  } finally {
    await reopened.close();
  }
});

async function postgresLocation(): Promise<AuditLocation> {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return { kind: 'postgres', url: url.href };
}

afterAll(async () => {
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
});

test.each(['sqlite', 'postgres'] as const)('on %s the trail is searched by error code, and one app’s reads through one client are left out for it alone', async (kind) => {
  const store = await AuditStore.open(kind === 'sqlite' ? { kind, file: file() } : await postgresLocation());
  try {
    await store.appendAll([older(1), refusal(2, 'govgraph-console'), { ...refusal(3, 'govgraph-console'), app: 'city-ops-center' }, refusal(4)], keys);
    const seqs = async (filter: Parameters<AuditStore['find']>[0]) => (await store.find(filter, undefined, 10)).map((r) => r.seq);
    expect(await seqs({ errorCode: 'FORBIDDEN' })).toEqual([4, 3, 2]);
    expect(await store.count({ errorCode: 'FORBIDDEN' })).toBe(3);
    expect(await seqs({ errorCode: 'RATE_LIMITED' })).toEqual([]);
    expect(await seqs({ hideClientOf: { app: 'auditor', client: 'govgraph-console' } })).toEqual([4, 3, 1]);
    expect(await store.count({ app: 'auditor', hideClientOf: { app: 'auditor', client: 'govgraph-console' } })).toBe(2);
    expect(await store.errorCodesUsed()).toEqual(['FORBIDDEN']);
  } finally {
    await store.close();
  }
});
