/** The scale benchmark's harness (bench/scale.ts): its generators make valid data, and its report judges the targets. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditStore } from '../../audit/audit-store';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { verifyChain } from '../../audit/verify-chain';
import { loadAccessControl } from '../../gateway/access-control';
import { composeSupergraph, referenceSubgraphs } from '../../scripts/compose-supergraph';
import { isIdNumber } from '../../subgraphs/kit/identifiers/id-number';
import { ROOT } from '../processes';
import { writeGeneratedContracts, pickGrants, shareableFields } from './generated-contracts';
import { fanOutOperation, generatedGraph, objectTypeNames } from './generated-graph';
import { PROFILE, planning } from './graph-scale';
import { percentile, spread } from './percentile';
import { judgeScale, renderScaleReport, type ScaleResults } from './scale-report';
import { BENCH_CHAIN_KEY, personIdNumber, seededRandom, syntheticTrail } from './synthetic-trail';
import { bulkWriter, ChainBuilder, indexAll } from './trail-bulk-load';
import type { TrailFigures } from './trail-scale';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scale-harness-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('percentiles are nearest-rank', () => {
  expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  expect(percentile([1, 2, 3, 4], 99)).toBe(4);
  expect(spread([5, 1, 3])).toEqual({ p50: 3, p99: 5 });
  expect(() => percentile([], 50)).toThrow('no samples');
});

test('synthetic persons have valid, distinct ID numbers', () => {
  const ids = [0, 1, 9, 10, 335 * 10, 18480 * 10, 9_999_999].map(personIdNumber);
  expect(ids.every(isIdNumber)).toBe(true);
  expect(new Set(ids).size).toBe(ids.length);
});

test('the bulk loader writes a chain that verify accepts, and the subject index finds its records', async () => {
  const checkpointKeys = readCheckpointKeys(join(dir, 'checkpoint.pem'), true);
  const chain = { chainKey: BENCH_CHAIN_KEY, checkpointKeys, checkpointEvery: 100 };
  const location = { kind: 'sqlite' as const, file: join(dir, 'audit.sqlite') };
  await (await AuditStore.open(location)).close();
  const trail = syntheticTrail(1250, new Date('2026-12-01T00:00:00Z'));
  const builder = new ChainBuilder(chain);
  const writer = await bulkWriter(location);
  const subjects = new Map<string, number[]>();
  for (let seq = 1; seq <= 1250; seq += 500) {
    const entries = Array.from({ length: Math.min(500, 1251 - seq) }, (_, i) => trail.entry(seq + i));
    entries.forEach((e, i) => e.subjects.forEach((s) => subjects.set(s, [...(subjects.get(s) ?? []), seq + i])));
    await writer.write(builder.next(entries));
  }
  await writer.close();
  const store = await AuditStore.open(location);
  try {
    await indexAll(store, 300);
    const verified = await verifyChain(store, chain);
    expect(verified).toMatchObject({ ok: true, records: 1250, checkpoints: 12, unsignedRecords: 50 });
    const [subject, seqs] = [...subjects].find(([, s]) => s.length >= 3)!;
    expect((await store.find({ subject }, undefined, 100)).map((r) => r.seq)).toEqual([...new Set(seqs)].reverse());
    // Appending after the bulk load continues the same chain.
    await store.append({ ...trail.entry(1251), time: new Date().toISOString() }, chain);
    expect(await verifyChain(store, chain)).toMatchObject({ ok: true, records: 1251 });
  } finally {
    await store.close();
  }
});

test('generated contracts grant distinct shareable fields and pass the gateway’s checks', () => {
  const sdl = readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8');
  const fields = shareableFields(sdl);
  const grants = pickGrants(fields, 100, seededRandom(1));
  expect(new Set(grants).size).toBe(100);
  expect(grants.every((g) => fields.includes(g))).toBe(true);
  expect(() => pickGrants(fields, fields.length + 1, seededRandom(1))).toThrow('cannot grant');
  writeGeneratedContracts(dir, sdl, 3, 100);
  const access = loadAccessControl({ supergraphSdl: sdl, contractsDir: dir, platformFile: join(ROOT, 'contracts', 'platform.yaml') });
  expect(access.policy).toBeDefined();
});

test('a generated graph composes with the reference departments', () => {
  // Two generated departments of two types each.
  const graph = generatedGraph(dir, referenceSubgraphs().length + 2, objectTypeNames(referenceSubgraphs()).size + 4);
  expect(graph.generatedDepartments).toBe(2);
  const result = composeSupergraph(graph.subgraphs);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const { coldMs } = planning(result.supergraph, [PROFILE, fanOutOperation(2)]);
  expect(coldMs).toHaveLength(2);
}, 60_000);

function trailFigures(p99: number, peakRssMb: number, records = 1_000_000): TrailFigures {
  const verify = { ok: true, records, ms: 10_000, startRssMb: 100, peakRssMb };
  return {
    kind: 'sqlite', records, loadSeconds: 1, indexSeconds: 1, sizeMb: 1000,
    append: { p50: 0.1, p99: 1, samples: 10 }, bySubject: { p50: p99 / 2, p99, samples: 10, meanFound: 20 },
    verify, prune: { seconds: 1, removed: 500_000 }, verifyAfterPrune: { ...verify, records: 500_000, peakRssMb: 200 },
  };
}

test('the report judges each target from the figures, and says what was not measured', () => {
  const gate = (p50: number) => ({ p50, p99: p50 * 2 });
  const results: ScaleResults = {
    // A smaller run that would miss both targets is shown, not judged: the largest run is.
    audit: [
      { command: 'c', date: 'd', trails: [trailFigures(20, 150), trailFigures(80, 400)] },
      { command: 'c', date: 'd', trails: [trailFigures(90, 900, 100_000)] },
    ],
    contracts: {
      command: 'c', date: 'd', grantsPerContract: 100,
      shipped: { contracts: 7, start: [{ startSeconds: 2, rssMb: 200 }, { startSeconds: 2, rssMb: 200 }], loadSeconds: [0.1, 0.1], gate: [gate(0.1), gate(0.1)] },
      generated: { contracts: 1007, start: [{ startSeconds: 9, rssMb: 300 }, { startSeconds: 11, rssMb: 300 }], loadSeconds: [1, 1], gate: [gate(0.105), gate(0.2)] },
    },
  };
  const verdicts = judgeScale(results).map((v) => v.verdict);
  // Start (11 s in one round) missed; gate: rounds 1.05× and 2×, median 1.5× missed; then per trail: search, verify memory.
  expect(verdicts).toEqual(['missed', 'missed', 'met', 'met', 'missed', 'missed', 'not measured', 'not measured']);
  expect(judgeScale({}).map((v) => v.verdict)).toEqual(Array(6).fill('not measured'));
  const report = renderScaleReport(results);
  expect(report).toContain('Not run yet (`npm run bench:scale -- --only replicas`)');
  expect(report.indexOf('## Targets')).toBeLessThan(report.indexOf('## Contracts'));
  expect(report).toContain('| sqlite | 100,000 |');
  expect(report).toContain('Largest run at 1,000,000 records');
});
