/**
 * What changed between two sets of contracts, for review before merging: grants added, removed, or
 * widened (a mask dropped, a case or operator condition dropped, a region lifted, validity extended).
 */
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';

export interface GrantChange {
  kind: 'added' | 'removed' | 'widened';
  app: string;
  purpose: string;
  coordinate: string;
  detail: string;
}

interface GrantFacts {
  mask?: string;
  caseRequired: boolean;
  operatorOnly: boolean;
  region?: string;
  validUntil: string;
}

function grantsOf(contracts: readonly ContractDocument[]): Map<string, GrantFacts> {
  const grants = new Map<string, GrantFacts>();
  for (const contract of contracts) {
    for (const purpose of contract.purposes) {
      for (const grant of purpose.grants) {
        const mask = grantMask(grant);
        grants.set(`${contract.app}\u0000${purpose.code}\u0000${grantCoordinate(grant)}`, {
          caseRequired: purpose.caseRequired,
          operatorOnly: purpose.subjectIsOperator,
          validUntil: purpose.validUntil ?? contract.validUntil,
          ...(mask !== undefined && { mask }),
          ...(contract.region !== undefined && { region: contract.region }),
        });
      }
    }
  }
  return grants;
}

function widenings(before: GrantFacts, after: GrantFacts): string[] {
  const found: string[] = [];
  if (before.mask && after.mask !== before.mask) found.push(after.mask ? `mask ${before.mask} → ${after.mask}` : `mask ${before.mask} removed`);
  if (before.caseRequired && !after.caseRequired) found.push('no longer needs an open case');
  if (before.operatorOnly && !after.operatorOnly) found.push("no longer limited to the operator's own data");
  if (before.region && (!after.region || !after.region.startsWith(before.region))) found.push(`region ${before.region} → ${after.region ?? 'any'}`);
  if (after.validUntil > before.validUntil) found.push(`valid until ${before.validUntil} → ${after.validUntil}`);
  return found;
}

export function diffContracts(before: readonly ContractDocument[], after: readonly ContractDocument[]): GrantChange[] {
  const old = grantsOf(before);
  const now = grantsOf(after);
  const changes: GrantChange[] = [];
  const split = (key: string) => key.split('\u0000') as [string, string, string];
  for (const [key, facts] of now) {
    const [app, purpose, coordinate] = split(key);
    const previous = old.get(key);
    if (!previous) changes.push({ kind: 'added', app, purpose, coordinate, detail: facts.mask ? `masked ${facts.mask}` : 'unmasked' });
    else for (const detail of widenings(previous, facts)) changes.push({ kind: 'widened', app, purpose, coordinate, detail });
  }
  for (const key of old.keys()) {
    if (now.has(key)) continue;
    const [app, purpose, coordinate] = split(key);
    changes.push({ kind: 'removed', app, purpose, coordinate, detail: '' });
  }
  return changes.sort((a, b) => `${a.app}${a.purpose}${a.coordinate}`.localeCompare(`${b.app}${b.purpose}${b.coordinate}`));
}
