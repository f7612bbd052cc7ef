/**
 * Many contracts (issue 24, "Contracts"): the shipped contracts against the same plus `count` generated
 * ones of `grants` grants each. In turn over several rounds: the built gateway's start time and memory,
 * and, in-process, the access gate's cost for the same typical operation by the same shipped app — the
 * per-request cost a large contract set could add — with the ratio taken within each round.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getOperationAST } from 'graphql';
import { createAccessGate } from '../../contracts/access-gate';
import { compileRuleTree } from '../../contracts/compile-rule-tree';
import { loadAccessControl } from '../../gateway/access-control';
import { ROOT } from '../processes';
import { TYPICAL, TYPICAL_CALLER } from '../typical-operation';
import { measureGatewayStart, type GatewayStart } from './gateway-start';
import { writeGeneratedContracts } from './generated-contracts';
import { spread } from './percentile';

export interface ContractSetFigures {
  contracts: number;
  start: GatewayStart[];
  /** Loading and compiling the contracts in-process, per round. */
  loadSeconds: number[];
  /** The access gate per request, median and p99 per round, in ms. */
  gate: Array<{ p50: number; p99: number }>;
}

export interface ContractFigures {
  grantsPerContract: number;
  shipped: ContractSetFigures;
  generated: ContractSetFigures;
}

async function gateCost(contractsDir: string, runs: number): Promise<{ loadSeconds: number; p50: number; p99: number }> {
  const started = performance.now();
  const access = loadAccessControl({ supergraphSdl: readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), contractsDir, platformFile: join(ROOT, 'contracts', 'platform.yaml') });
  const schema = access.policy.catalog.apiSchema;
  const gate = createAccessGate(compileRuleTree(access.policy, schema), schema, access.policy.subjects);
  const loadSeconds = (performance.now() - started) / 1000;
  const operation = getOperationAST(TYPICAL)!;
  const samples: number[] = [];
  for (let i = 0; i < runs + 200; i++) {
    const t = performance.now();
    const outcome = await gate(operation, {}, { caller: TYPICAL_CALLER, now: new Date() });
    if (i >= 200) samples.push(performance.now() - t);
    if (outcome.denials.length > 0) throw new Error(`the typical operation is denied: ${JSON.stringify(outcome.denials)}`);
  }
  return { loadSeconds, ...spread(samples) };
}

function emptySet(contracts: number): ContractSetFigures {
  return { contracts, start: [], loadSeconds: [], gate: [] };
}

async function measureSet(set: ContractSetFigures, contractsDir: string, dataDir: string): Promise<void> {
  set.start.push(await measureGatewayStart(dataDir, { CONTRACTS_DIR: contractsDir }, async () => undefined));
  const gate = await gateCost(contractsDir, 3000);
  set.loadSeconds.push(gate.loadSeconds);
  set.gate.push({ p50: gate.p50, p99: gate.p99 });
}

export async function measureContracts(options: { dataDir: string; count: number; grants: number; rounds: number; log: (line: string) => void }): Promise<ContractFigures> {
  const dir = join(options.dataDir, 'contracts');
  rmSync(dir, { recursive: true, force: true });
  const shippedDir = join(dir, 'shipped');
  const generatedDir = join(dir, 'generated');
  mkdirSync(generatedDir, { recursive: true });
  cpSync(join(ROOT, 'contracts', 'apps'), shippedDir, { recursive: true });
  cpSync(shippedDir, generatedDir, { recursive: true });
  writeGeneratedContracts(generatedDir, readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), options.count, options.grants);
  const yamlIn = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.yaml')).length;
  const shipped = emptySet(yamlIn(shippedDir));
  const generated = emptySet(yamlIn(generatedDir));
  for (let round = 1; round <= options.rounds; round++) {
    // The order alternates, so neither set always runs on a warmer (or busier) machine.
    const order: Array<[ContractSetFigures, string]> = round % 2 === 1 ? [[shipped, shippedDir], [generated, generatedDir]] : [[generated, generatedDir], [shipped, shippedDir]];
    for (const [set, contractsDir] of order) {
      options.log(`contracts: round ${round}, ${contractsDir}`);
      await measureSet(set, contractsDir, join(dir, 'gateway-data'));
    }
  }
  return { grantsPerContract: options.grants, shipped, generated };
}
