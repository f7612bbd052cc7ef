/**
 * The access decision for one field coordinate and one caller, compiled once from the contracts and the
 * departments' sharing classes. Pure and cheap: a map lookup and a few comparisons per field.
 *
 * - NONE fields are never shared (不予共享), whatever a contract says.
 * - UNCONDITIONAL fields need a grant under any purpose in force.
 * - CONDITIONAL fields need a grant under the purpose the request states (X-Purpose; PIPL art. 6).
 * - A case-bound purpose also needs X-Case-Id; which rows it opens is decided on the data (result gate).
 * - Grants and contracts outside their validity dates do not apply, and the error says so.
 * - An argument that names a data subject (`subject-arguments.ts`) is decided like a field, by its own
 *   coordinate, with the sharing class of the subject's key.
 */
import type { Caller } from './caller';
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';
import type { EnforcedContract } from './department-extract';
import type { MaskProfile } from './masking';
import { sharingKey, subjectArguments, type SubjectArguments, type SubjectDeclarations } from './subject-arguments';
import type { Catalog } from './supergraph-catalog';

export interface RateLimits {
  requestsPerMinute: number;
  costPerMinute: number;
}

export type AccessDenial = {
  allowed: false;
  code: 'FORBIDDEN' | 'PURPOSE_REQUIRED' | 'CASE_REQUIRED';
  reason: string;
  /** PURPOSE_REQUIRED: the purposes of the app's contract that would grant the field, in the contract's order. */
  purposes?: readonly string[];
};
export type AccessGrant = { allowed: true; purpose: string; mask?: MaskProfile; caseBound: boolean; operatorBound: boolean };
/** One purpose under which a contract grants a coordinate today. */
export type GrantInForce = Readonly<Omit<AccessGrant, 'allowed'>>;
/** Shared by every caller with the same decision key (`decide` remembers it), so read-only. */
export type AccessDecision = Readonly<AccessGrant> | Readonly<AccessDenial>;

interface GrantEntry {
  purpose: string;
  mask?: MaskProfile;
  caseBound: boolean;
  operatorBound: boolean;
  validFrom: string;
  validUntil: string;
}

interface CompiledContract {
  app: string;
  /** Registered operations by SHA-256, when the app may send only those. */
  persisted?: Map<string, { name: string; purpose: string }>;
  limits?: RateLimits;
  validFrom: string;
  validUntil: string;
  region?: string;
  /** The codes of the contract's purposes, in its order (in force or not). */
  purposes: readonly string[];
  grants: Map<string, GrantEntry[]>;
}

export type AccessCaller = Pick<Caller, 'app' | 'purpose' | 'caseId'>;

const HOUR_MS = 3_600_000;
let dayHour = Number.NaN;
let dayOfHour = '';

/** The day in China Standard Time, which is when contracts' dates turn. */
export function chinaDay(now: Date): string {
  // Every field of every operation asks; China's day turns on a whole hour, so one answer per hour will do.
  const hour = Math.floor(now.getTime() / HOUR_MS);
  if (hour !== dayHour) {
    dayHour = hour;
    dayOfHour = new Date((hour + 8) * HOUR_MS).toISOString().slice(0, 10);
  }
  return dayOfHour;
}

/** A whole contract at the gateway; at a department, possibly only its extract (department-extract.ts). */
export type PolicyContract = EnforcedContract & Partial<Pick<ContractDocument, 'limits' | 'persistedOnly' | 'operations'>>;

function compile(contract: PolicyContract): CompiledContract {
  const grants = new Map<string, GrantEntry[]>();
  for (const purpose of contract.purposes) {
    for (const grant of purpose.grants) {
      const coordinate = grantCoordinate(grant);
      const mask = grantMask(grant);
      const entry: GrantEntry = {
        purpose: purpose.code,
        caseBound: purpose.caseRequired,
        operatorBound: purpose.subjectIsOperator,
        validFrom: purpose.validFrom ?? contract.validFrom,
        validUntil: purpose.validUntil ?? contract.validUntil,
        ...(mask !== undefined && { mask }),
      };
      grants.set(coordinate, [...(grants.get(coordinate) ?? []), entry]);
    }
  }
  return {
    app: contract.app,
    ...(contract.limits && { limits: contract.limits }),
    ...(contract.persistedOnly && { persisted: new Map((contract.operations ?? []).map((o) => [o.sha256, { name: o.name, purpose: o.purpose }])) }),
    validFrom: contract.validFrom,
    validUntil: contract.validUntil,
    purposes: contract.purposes.map((p) => p.code),
    grants,
    ...(contract.region !== undefined && { region: contract.region }),
  };
}

const deny = (code: AccessDenial['code'], reason: string, purposes?: readonly string[]): AccessDenial => ({ allowed: false, code, reason, ...(purposes && { purposes }) });

/** Decisions remembered, by decision key and coordinate. */
const MAX_REMEMBERED = 10_000;

export class AccessPolicy {
  private readonly contracts: Map<string, CompiledContract>;
  private readonly remembered = new Map<string, AccessDecision>();
  /** The arguments of the catalog's schema that name a data subject (platform.yaml subjectKeys, subjectArguments). */
  readonly subjects: SubjectArguments;

  constructor(contracts: readonly PolicyContract[], readonly catalog: Catalog, declarations: SubjectDeclarations) {
    this.contracts = new Map(contracts.map((c) => [c.app, compile(c)]));
    this.subjects = subjectArguments(catalog.apiSchema, declarations);
  }

  /** A field's sharing declaration, or a subject argument's: that of the subject's key. */
  sharingOf(coordinate: string) {
    const argument = this.subjects.byCoordinate.get(coordinate);
    return this.catalog.fields.get(argument ? sharingKey(this.catalog, argument) : coordinate)?.sharing;
  }

  hasContract(app: string): boolean {
    return this.contracts.has(app);
  }

  /**
   * Why an operation text may not be sent by an app that registers its operations, or undefined when it may
   * (or the app does not register them).
   */
  persistedOperationProblem(caller: AccessCaller, sha256: string): string | undefined {
    const persisted = this.contracts.get(caller.app)?.persisted;
    if (!persisted) return undefined;
    const registered = persisted.get(sha256);
    if (!registered) return `${caller.app} may send only its registered operations, and this is not one of them`;
    if (caller.purpose !== undefined && caller.purpose !== registered.purpose) return `operation ${registered.name} is registered for purpose ${registered.purpose}, not ${caller.purpose}`;
    return undefined;
  }

  /** The purposes an app's contract names (an X-Purpose must be one of them), or undefined without a contract. */
  purposesOf(app: string): readonly string[] | undefined {
    return this.contracts.get(app)?.purposes;
  }

  /** The app's rate limits: its contract's, else the given default. */
  limitsOf(app: string, fallback: RateLimits): RateLimits {
    return this.contracts.get(app)?.limits ?? fallback;
  }

  /** The region prefixes that bind an app's rows: its contract's and its token's. */
  regionsOf(caller: Pick<Caller, 'app' | 'region'>): string[] {
    const contractRegion = this.contracts.get(caller.app)?.region;
    return [contractRegion, caller.region].filter((r): r is string => r !== undefined);
  }

  /** Every coordinate an app may read under some purpose in force today (its API schema). */
  grantedCoordinates(app: string, now: Date): Set<string> {
    return new Set(this.grantsInForce(app, now).keys());
  }

  /**
   * The app's own grants in force today, by coordinate: under which purposes, with which mask and
   * conditions (what its own schema tells its front-end team). Nothing of any other app's contract.
   */
  grantsInForce(app: string, now: Date): Map<string, GrantInForce[]> {
    const contract = this.contracts.get(app);
    const today = chinaDay(now);
    const granted = new Map<string, GrantInForce[]>();
    if (!contract || today < contract.validFrom || today > contract.validUntil) return granted;
    for (const [coordinate, entries] of contract.grants) {
      if (this.sharingOf(coordinate)?.class === 'NONE') continue;
      const inForce = entries.filter((e) => e.validFrom <= today && today <= e.validUntil);
      if (inForce.length > 0) granted.set(coordinate, inForce.map(({ purpose, mask, caseBound, operatorBound }) => ({ purpose, caseBound, operatorBound, ...(mask !== undefined && { mask }) })));
    }
    return granted;
  }

  /**
   * All that `decide` reads besides the coordinate: callers with the same key get the same decision for
   * every coordinate, so an operation's decisions can be remembered under it.
   */
  decisionKey(caller: AccessCaller, now: Date): string {
    return `${caller.app}\u0000${caller.purpose ?? ''}\u0000${caller.caseId ? 'case' : ''}\u0000${chinaDay(now)}`;
  }

  /** The decision for a caller and a field: remembered, as the gate asks it for every field of every operation it has not yet seen under this key. */
  decide(caller: AccessCaller, coordinate: string, now: Date): AccessDecision {
    const key = `${this.decisionKey(caller, now)}\u0000${coordinate}`;
    let decision = this.remembered.get(key);
    if (!decision) {
      decision = this.decideAfresh(caller, coordinate, now);
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.set(key, decision);
    }
    return decision;
  }

  private decideAfresh(caller: AccessCaller, coordinate: string, now: Date): AccessDecision {
    const sharing = this.sharingOf(coordinate);
    if (!sharing) return deny('FORBIDDEN', `${coordinate} is not in the graph`);
    if (sharing.class === 'NONE') return deny('FORBIDDEN', `${coordinate} is not shared by its department (不予共享)`);
    const contract = this.contracts.get(caller.app);
    if (!contract) return deny('FORBIDDEN', `app ${caller.app} has no data-sharing contract`);
    const today = chinaDay(now);
    if (today < contract.validFrom) return deny('FORBIDDEN', `the contract of ${caller.app} is valid from ${contract.validFrom}`);
    if (today > contract.validUntil) return deny('FORBIDDEN', `the contract of ${caller.app} expired on ${contract.validUntil}`);
    const entries = contract.grants.get(coordinate) ?? [];
    const inForce = entries.filter((e) => e.validFrom <= today && today <= e.validUntil);
    if (inForce.length === 0) {
      const lapsed = entries[0];
      if (!lapsed) return deny('FORBIDDEN', `${coordinate} is not granted to ${caller.app}`);
      const when = today < lapsed.validFrom ? `is valid from ${lapsed.validFrom}` : `expired on ${lapsed.validUntil}`;
      return deny('FORBIDDEN', `the grant of ${coordinate} to ${caller.app} for purpose ${lapsed.purpose} ${when}`);
    }
    let chosen = inForce.find((e) => e.purpose === caller.purpose);
    if (!chosen) {
      if (sharing.class === 'CONDITIONAL') {
        const purposes = [...new Set(inForce.map((e) => e.purpose))];
        return deny('PURPOSE_REQUIRED', `${coordinate} is shared conditionally: state a purpose of the grant in X-Purpose (${purposes.join(', ')})`, purposes);
      }
      chosen = inForce.find((e) => !e.caseBound) ?? inForce[0]!;
    }
    if (chosen.caseBound && !caller.caseId) {
      return deny('CASE_REQUIRED', `purpose ${chosen.purpose} opens ${coordinate} only within a case: name it in X-Case-Id`);
    }
    return { allowed: true, purpose: chosen.purpose, caseBound: chosen.caseBound, operatorBound: chosen.operatorBound, ...(chosen.mask !== undefined && { mask: chosen.mask }) };
  }
}
