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
let store: AuditStore;
let keys: ChainKeys;

const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 5, 1, 8, 0, i)).toISOString(), requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
  purpose: 'MARKET_INSPECTION', caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects: [],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audit-probe-'));
  keys = { chainKey: Buffer.alloc(32, 5), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
  store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite'), busyTimeoutMs: 300 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the write probe, run among appends, leaves nothing behind and takes no append with it', async () => {
  const work: Array<Promise<unknown>> = [];
  for (let i = 1; i <= 40; i++) {
    work.push(store.probeWrite(300), store.append(entry(i), keys));
    await new Promise((r) => setImmediate(r));
  }
  await Promise.all(work);
  expect((await store.recordsAfter(0, 100)).map((r) => r.requestId)).toEqual(Array.from({ length: 40 }, (_, i) => `r${i + 1}`));
  expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 40 });
});

test('a lock held elsewhere fails the probe and the append after the wait, without blocking the event loop meanwhile', async () => {
  const blocker = new BetterSqlite3(join(dir, 'audit.sqlite'));
  blocker.exec('BEGIN EXCLUSIVE');
  try {
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const started = Date.now();
    try {
      await expect(store.probeWrite(300)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      await expect(store.append(entry(1), keys)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      clearInterval(ticker);
    }
    // About 600 ms of waiting: a 10 ms timer kept firing (SQLite's own busy wait would have held it still).
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(ticks).toBeGreaterThan(20);
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
  }
  await store.probeWrite(300);
  expect((await store.append(entry(1), keys)).seq).toBe(1);
});
