/**
 * Contracts that give the console's pages something to show beyond the shipped set: an app whose grants
 * stand in every state of validity, and a renewal of the city centre's contract (a new revision, approved
 * again, a year longer). Used by the console's browser tests and by `npm run console:screenshots`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeContract, type TestGraph } from './graph';

const DAY_MS = 86_400_000;

/** A China day (YYYY-MM-DD) this many days from today. */
function chinaDay(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

/**
 * archive-lookup: one purpose ended on 2025-12-31, one ends within ten days, one starts only in 2098. Its
 * raw Person.name defeats the NAME mask other apps read it under.
 */
export function writeArchiveContract(dir: string): void {
  writeContract(dir, {
    app: 'archive-lookup',
    name: '原人口档案查询系统',
    legalBasis: '《广东省政务数据管理办法》第二十二条（测试合同）',
    validFrom: '2024-01-01',
    validUntil: '2099-12-31',
    purposes: [
      { code: 'ARCHIVE_LOOKUP', description: '档案查询（已停用）', validFrom: '2024-01-01', validUntil: '2025-12-31', grants: ['Person.name'] },
      { code: 'ARCHIVE_HANDOVER', description: '档案移交', validUntil: chinaDay(10), grants: ['Person.birthDate'] },
      { code: 'ARCHIVE_RENEWAL', description: '续期后的档案查询', validFrom: '2098-01-01', grants: ['Person.gender'] },
    ],
  });
}

/** The city centre's contract renewed: valid until 2028-06-30, approved again on 2026-11-20. */
export function renewCityContract(dir: string): void {
  const file = join(dir, 'city-ops-center.yaml');
  const contract = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, stringify({ ...contract, validUntil: '2028-06-30', approvedBy: '广州市政务数据共享协调小组（续签）', approvedOn: '2026-11-20' }));
}

/**
 * Both fixtures in the graph's contracts, recorded as a second revision by restarting the audit department
 * (it records the set at its start), and a gateway for the console that loads them: it gives departments
 * the default 5 s, since the console reads the whole access matrix (the suite's own gateway gives 1 s).
 */
export async function consoleGateway(graph: TestGraph): Promise<string> {
  writeArchiveContract(graph.contractsDir);
  renewCityContract(graph.contractsDir);
  await graph.stopSubgraph('audit');
  await graph.restartSubgraph('audit');
  const gateway = await graph.startGateway({ departmentCalls: { timeoutMs: 5000, maxResponseBytes: 20_000_000, breakerFailures: 5, breakerCooldownMs: 10_000 }, requestTimeoutMs: 15_000 });
  return new URL('/console/', gateway.url).href;
}
