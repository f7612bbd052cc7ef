import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { readHmacKey } from '../audit/subject-hasher';
import { verifyChain } from '../audit/verify-chain';
import { groupCommit, openAuditTrail } from './audit-trail';

const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 5, 1, 8, 0, i)).toISOString(), requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
  purpose: 'MARKET_INSPECTION', caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects: [],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

test('records of 600 concurrent requests are all written through the trail, in the order they came, as one chain that verifies', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-group-'));
  try {
    const config = { location: { kind: 'sqlite' as const, file: join(dir, 'audit.sqlite'), busyTimeoutMs: 2000 }, hmacKeyFile: join(dir, 'hmac.key'), chainKeyFile: join(dir, 'chain.key'), checkpointKeyFile: join(dir, 'checkpoint.pem'), checkpointEvery: 7, headFile: join(dir, 'audit-head.json') };
    readHmacKey(config.hmacKeyFile, true);
    const keys = { chainKey: readChainKey(config.chainKeyFile, true), checkpointKeys: readCheckpointKeys(config.checkpointKeyFile, true), checkpointEvery: config.checkpointEvery };
    const trail = await openAuditTrail(config, (error) => { throw error; }, (problem) => { throw new Error(problem); });
    // 600 at once: more than one group's worth, all waiting on the same turn of the event loop.
    await Promise.all(Array.from({ length: 600 }, (_, i) => trail.append(entry(i))));
    await trail.append(entry(600));
    await trail.close();
    const store = await AuditStore.open(config.location);
    try {
      expect((await store.recordsAfter(0, 1000)).map((r) => r.requestId)).toEqual(Array.from({ length: 601 }, (_, i) => `r${i}`));
      expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 601 });
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('group commit: what arrives together is written together, what arrives during a write goes in the next group, and a failed group fails only its own', async () => {
  const groups: string[][] = [];
  const append = groupCommit(async (entries) => {
    const ids = entries.map((e) => e.requestId);
    groups.push(ids);
    await new Promise((r) => setTimeout(r, 10));
    if (ids.includes('r300')) throw new Error('disk full');
  });
  const together = Array.from({ length: 300 }, (_, i) => append(entry(i)));
  // Arrives while the first group is being written.
  await new Promise((r) => setImmediate(r));
  const late = append(entry(300));
  const settled = await Promise.allSettled([...together, late]);
  // 256 at most per group; the other 44 and the late one waited for the first write, then went together.
  expect(groups.map((g) => g.length)).toEqual([256, 45]);
  expect(groups.flat()).toEqual(Array.from({ length: 301 }, (_, i) => `r${i}`));
  expect(settled.map((s) => s.status)).toEqual([...Array(256).fill('fulfilled'), ...Array(45).fill('rejected')]);
  await append(entry(301));
  expect(groups.at(-1)).toEqual(['r301']);
});
