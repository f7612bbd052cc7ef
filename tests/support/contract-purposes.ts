/** `contracts check` on one made-up contract with these purposes, against the shipped supergraph and platform file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContracts } from '../../contracts/check-contracts';
import type { GrantDocument } from '../../contracts/contract-schema';
import { loadPlatform, parseContracts } from '../../contracts/load-contracts';
import type { Platform } from '../../contracts/platform-schema';
import { formatProblem } from '../../contracts/problem';
import { buildCatalog } from '../../contracts/supergraph-catalog';

export const ROOT = join(__dirname, '..', '..');
export const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
export const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;

export type Purposes = Array<{ code: string; grants: GrantDocument[]; caseRequired?: boolean; subjectIsOperator?: boolean }>;

/** The problems `contracts check` finds in the contract of `test-app` with these purposes, as printed. */
export function checkPurposes(purposes: Purposes, withPlatform: Platform = platform): string[] {
  const text = JSON.stringify({
    app: 'test-app',
    name: 'a test app',
    owner: 'tests',
    contact: { name: 'tests' },
    legalBasis: 'tests',
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    approvedBy: 'tests',
    approvedOn: '2025-12-01',
    purposes: purposes.map((p) => ({ description: p.code, ...p })),
  });
  const { contracts, problems } = parseContracts([{ file: 'test-app.yaml', text }]);
  if (problems.length > 0) throw new Error(`the test contract does not parse: ${problems.map(formatProblem).join('; ')}`);
  return checkContracts(contracts, catalog, withPlatform).map(formatProblem);
}
