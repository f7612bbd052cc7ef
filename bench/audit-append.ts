/**
 * The audit trail's budget (issue: audit trail): auditing adds under 1 ms per request at the median with
 * SQLite. Measures what the gateway adds per request — one chained append, with subjects and a signed
 * checkpoint every 100 records — in-process, against a fresh trail.
 * Run: npx tsx bench/audit-append.ts   (writes bench/results/audit-append.md)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import type { ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { createSubjectHasher } from '../audit/subject-hasher';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'audit-bench-'));
  const chain: ChainKeys = { chainKey: Buffer.alloc(32, 9), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 100 };
  const hash = createSubjectHasher(Buffer.alloc(32, 7));
  const store = await AuditStore.open({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  const entry = (i: number): AuditEntry => ({
    time: new Date().toISOString(), requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
    purpose: 'LEGAL_REPRESENTATIVE_CHECK', caseId: null, operationName: 'Profile', operationHash: 'b445668e0a8c316f47e83df303fa2387857b161b9db15f8b6b66633532ea25da',
    fields: ['Enterprise.legalRepresentative', 'Enterprise.name', 'EnterpriseConnection.nodes', 'Person.name', 'Query.enterprises'],
    subjects: Array.from({ length: 20 }, (_, s) => hash(`4401061980010100${String((i + s) % 100).padStart(2, '0')}`)),
    decision: 'PERMIT', rule: 'contract market-supervision, purpose LEGAL_REPRESENTATIVE_CHECK', outcome: 'ok', errorCodes: [], latencyMs: 3,
  });
  for (let i = 0; i < 500; i++) await store.append(entry(i), chain);
  const samples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const start = process.hrtime.bigint();
    await store.append(entry(i), chain);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const median = samples[samples.length / 2]!;
  const p99 = samples[Math.floor(samples.length * 0.99)]!;
  const report = `# Audit append budget

Measured in-process on ${new Date().toISOString().slice(0, 10)} (\`npx tsx bench/audit-append.ts\`): one audit record with 20
subject HMACs appended to a SQLite trail (WAL, synchronous=NORMAL), with a signed Ed25519 checkpoint every
100 records, 5,000 times after 500 warm-up appends. 2 shared cores.

| what | median | p99 | budget |
|---|---|---|---|
| one chained append | ${median.toFixed(3)} ms | ${p99.toFixed(3)} ms | 1 ms at the median |
`;
  writeFileSync(join(__dirname, 'results', 'audit-append.md'), report);
  process.stdout.write(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
