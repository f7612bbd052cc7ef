/** `requestIdsIn`: which request ids the trail holds, as a record's own or as its parent, within a time window. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from './audit-record';
import { AuditStore } from './audit-store';
import { readCheckpointKeys } from './checkpoint-signer';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-request-ids-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (minute: number, requestId: string, parentRequestId?: string): AuditEntry => ({
  time: `2026-06-01T08:${String(minute).padStart(2, '0')}:00.000Z`, requestId, ...(parentRequestId && { parentRequestId }), app: 'service-hall', operator: null,
  region: null, purpose: 'PREFILL', caseId: null, operationName: null, operationHash: 'h', fields: [], subjects: [], decision: 'PERMIT', rule: 'contract',
  outcome: 'ok', errorCodes: [], latencyMs: 1,
});

test('finds ids as their own record or as a parent, only inside the window, and no id it was not asked for', async () => {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  try {
    const keys = { chainKey: randomBytes(32), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 10 };
    await store.appendAll([entry(0, 'own'), entry(1, 'child', 'parent-only'), entry(30, 'late'), entry(2, 'unasked')], keys);
    const asked = ['own', 'parent-only', 'late', 'absent', ...Array.from({ length: 2500 }, (_, i) => `filler-${i}`)];
    const found = await store.requestIdsIn(asked, '2026-06-01T07:59:00.000Z', '2026-06-01T08:10:00.000Z');
    expect([...found].sort()).toEqual(['own', 'parent-only']);
  } finally {
    await store.close();
  }
});
