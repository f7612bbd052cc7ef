/**
 * What one revision of the contract set did to each contract, for auditors reading the history: which
 * contracts it added, changed or removed, who approved each as it stands and on which day, and how its
 * validity moved. A contract whose text is unchanged is not listed.
 */
import { canonicalJson } from '../audit/canonical-json';
import type { ContractDocument } from './contract-schema';

export interface RevisedContract {
  app: string;
  change: 'ADDED' | 'CHANGED' | 'REMOVED';
  approvedBy: string | null;
  approvedOn: string | null;
  validFrom: string | null;
  validUntil: string | null;
  previousValidFrom: string | null;
  previousValidUntil: string | null;
}

/** `before` is the previous revision's set, empty for the first revision. */
export function revisedContracts(before: readonly ContractDocument[], after: readonly ContractDocument[]): RevisedContract[] {
  const old = new Map(before.map((c) => [c.app, c]));
  const now = new Map(after.map((c) => [c.app, c]));
  const revised: RevisedContract[] = [];
  for (const app of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const previous = old.get(app);
    const current = now.get(app);
    if (previous && current && canonicalJson(previous) === canonicalJson(current)) continue;
    revised.push({
      app,
      change: !previous ? 'ADDED' : !current ? 'REMOVED' : 'CHANGED',
      approvedBy: current?.approvedBy ?? null,
      approvedOn: current?.approvedOn ?? null,
      validFrom: current?.validFrom ?? null,
      validUntil: current?.validUntil ?? null,
      previousValidFrom: previous?.validFrom ?? null,
      previousValidUntil: previous?.validUntil ?? null,
    });
  }
  return revised;
}
