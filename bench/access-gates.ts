/**
 * The access gates' budgets (issue: access contracts), measured in-process over the reference supergraph
 * and the shipped contracts — no network, so the figures are the gates' own cost:
 *   - the access gate before planning: under 0.5 ms for a typical operation;
 *   - the result gate, when it runs: under 10 ms per 1,000 objects.
 * Run: npx tsx bench/access-gates.ts   (writes bench/results/access-gates.md)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getOperationAST, Kind, type FragmentDefinitionNode } from 'graphql';
import { compileRuleTree } from '../contracts/compile-rule-tree';
import { createAccessGate } from '../contracts/access-gate';
import { loadAccessControl } from '../gateway/access-control';
import { createResultGate } from '../gateway/result-gate';
import { planRowRules } from '../gateway/row-rules';
import { TYPICAL, TYPICAL_CALLER } from './typical-operation';

const ROOT = join(__dirname, '..');
const supergraphSdl = readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8');
const access = loadAccessControl({ supergraphSdl, contractsDir: join(ROOT, 'contracts', 'apps'), platformFile: join(ROOT, 'contracts', 'platform.yaml') });
const schema = access.policy.catalog.apiSchema;
const gate = createAccessGate(compileRuleTree(access.policy, schema), schema, access.policy.subjects);
const resultGate = createResultGate(schema);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < Math.min(200, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: median(samples), p99: samples[Math.floor(samples.length * 0.99)]! };
}

const operation = getOperationAST(TYPICAL)!;
const fragments: Record<string, FragmentDefinitionNode> = {};
for (const d of TYPICAL.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
const caller = TYPICAL_CALLER;

async function main(): Promise<void> {
  const gateTiming = await time(5000, () => gate(operation, fragments, { caller, now: new Date() }));

  const outcome = await gate(operation, fragments, { caller, now: new Date() });
  const { decisions } = outcome;
  if (outcome.denials.length > 0) throw new Error(`the typical operation is denied: ${JSON.stringify(outcome.denials)}`);
  const rules = planRowRules(access.platform, caller, caller.regions, decisions, outcome.typesRead, undefined)!;
  // 250 enterprises, each with a representative, a licence and an event: 1,000 checked objects.
  const nodes = Array.from({ length: 250 }, (_, i) => ({
    creditCode: `91440106MA00000${String(i).padStart(3, '0')}`, name: '广州华瑞科技有限公司', status: 'ACTIVE', registeredCapital: 100, regionCode: '440106',
    __govgraph_region: '440106',
    licences: [{ kind: '食品经营许可证', number: `JY${i}`, validUntil: '2028-01-01', status: 'VALID' }], penalties: [],
    cityEvents: [{ id: `E${i}`, category: 'MARKET_ORDER', status: 'CLOSED', __govgraph_region: '440106', dispatches: [] }],
    legalRepresentative: { idNumber: '44010619800101001X', name: '王伟', phone: '13800138000', __govgraph_region: { regionCode: i % 10 === 0 ? '310101' : '440106' } },
  }));
  const data = { enterprises: { totalCount: 250, pageInfo: { hasNextPage: false, endCursor: null }, nodes } };
  const resultTiming = await time(200, () => resultGate(TYPICAL, 'Profile', {}, data, rules));

  const report = `# Access gate budgets

Measured in-process on ${new Date().toISOString().slice(0, 10)} over the reference supergraph and the shipped contracts
(\`npx tsx bench/access-gates.ts\`); 2 shared cores, so read the budgets' margins rather than the digits.

| gate | work | median | p99 | budget |
|---|---|---|---|---|
| access gate (before planning) | a 30-field, 3-department operation as market-supervision | ${gateTiming.median.toFixed(3)} ms | ${gateTiming.p99.toFixed(3)} ms | 0.5 ms |
| result gate (region rows, masks) | 1,000 objects (250 enterprises × representative, licence, event; 25 rows withheld) | ${resultTiming.median.toFixed(2)} ms | ${resultTiming.p99.toFixed(2)} ms | 10 ms |
`;
  writeFileSync(join(__dirname, 'results', 'access-gates.md'), report);
  process.stdout.write(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
