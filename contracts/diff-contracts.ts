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
  /** In English, for a reviewer reading a diff. */
  detail: string;
  /** The same as a code with the values before and after, for a reader that names it in its own language. */
  reason: ChangeReason;
  before: string | null;
  after: string | null;
}

export type ChangeReason = 'ADDED_MASKED' | 'ADDED_RAW' | 'REMOVED' | 'MASK_CHANGED' | 'MASK_REMOVED' | 'CASE_DROPPED' | 'OPERATOR_DROPPED' | 'REGION_WIDENED' | 'VALIDITY_EXTENDED';

type Widening = Pick<GrantChange, 'detail' | 'reason' | 'before' | 'after'>;

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

function widenings(before: GrantFacts, after: GrantFacts): Widening[] {
  const found: Widening[] = [];
  if (before.mask && after.mask !== before.mask) {
    found.push(after.mask ? { detail: `mask ${before.mask} → ${after.mask}`, reason: 'MASK_CHANGED', before: before.mask, after: after.mask } : { detail: `mask ${before.mask} removed`, reason: 'MASK_REMOVED', before: before.mask, after: null });
  }
  if (before.caseRequired && !after.caseRequired) found.push({ detail: 'no longer needs an open case', reason: 'CASE_DROPPED', before: null, after: null });
  if (before.operatorOnly && !after.operatorOnly) found.push({ detail: "no longer limited to the operator's own data", reason: 'OPERATOR_DROPPED', before: null, after: null });
  if (before.region && (!after.region || !after.region.startsWith(before.region))) {
    found.push({ detail: `region ${before.region} → ${after.region ?? 'any'}`, reason: 'REGION_WIDENED', before: before.region, after: after.region ?? null });
  }
  if (after.validUntil > before.validUntil) found.push({ detail: `valid until ${before.validUntil} → ${after.validUntil}`, reason: 'VALIDITY_EXTENDED', before: before.validUntil, after: after.validUntil });
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
    if (!previous) {
      changes.push({ kind: 'added', app, purpose, coordinate, detail: facts.mask ? `masked ${facts.mask}` : 'unmasked', reason: facts.mask ? 'ADDED_MASKED' : 'ADDED_RAW', before: null, after: facts.mask ?? null });
    } else for (const widening of widenings(previous, facts)) changes.push({ kind: 'widened', app, purpose, coordinate, ...widening });
  }
  for (const key of old.keys()) {
    if (now.has(key)) continue;
    const [app, purpose, coordinate] = split(key);
    changes.push({ kind: 'removed', app, purpose, coordinate, detail: '', reason: 'REMOVED', before: null, after: null });
  }
  return changes.sort((a, b) => `${a.app}${a.purpose}${a.coordinate}`.localeCompare(`${b.app}${b.purpose}${b.coordinate}`));
}
