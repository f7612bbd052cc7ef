/**
 * The charts count requests per Beijing day on both databases: a request a millisecond before Beijing
 * midnight counts on that day, one at midnight on the next. PostgreSQL is the machine's local server
 * (GOVGRAPH_TEST_POSTGRES_URL overrides), in a database of this test's own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { AuditLocation } from '../../audit/audit-database';
import type { AuditEntry } from '../../audit/audit-record';
import { AuditStore } from '../../audit/audit-store';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { trailStatistics } from './trail-statistics';

const ADMIN_URL = process.env['GOVGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `govgraph_test_statistics_${process.pid}_${randomBytes(3).toString('hex')}`;
let dir: string;
let admin: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-statistics-'));
  admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
});
afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (time: string): AuditEntry => ({
  time, requestId: time, app: 'crossprovince-desk', operator: null, region: null, purpose: 'CROSS_PROVINCE', caseId: null, operationName: null,
  operationHash: null, fields: [], subjects: [], decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1, masked: [], refused: [],
});

test.each(['sqlite', 'postgres'] as const)('days are Beijing days on %s', async (kind) => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const location: AuditLocation = kind === 'sqlite' ? { kind, file: join(dir, 'audit.sqlite') } : { kind, url: url.href };
  const store = await AuditStore.open(location);
  try {
    const keys = { chainKey: randomBytes(32), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 100 };
    await store.appendAll(['2026-12-04T16:00:00.000Z', '2026-12-05T15:59:59.999Z', '2026-12-05T16:00:00.000Z'].map(entry), keys);
    const statistics = await trailStatistics(store.db, kind, { from: '2026-12-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' });
    expect(statistics.accessesPerAppDay).toEqual([
      { app: 'crossprovince-desk', day: '2026-12-05', count: 2 },
      { app: 'crossprovince-desk', day: '2026-12-06', count: 1 },
    ]);
  } finally {
    await store.close();
  }
});
