/**
 * A synthetic audit trail as the gateway would have written it over a year: requests by the demo apps,
 * most about one person, some about a few, a few pages of many; each data subject a valid GB 11643 ID
 * number (real division codes) kept only as its HMAC. Deterministic for a seed, so SQLite and PostgreSQL
 * get the same chain, and a subject the harness asks about is one the trail holds.
 */
import type { AuditEntry } from '../../audit/audit-record';
import { createSubjectHasher, type SubjectHasher } from '../../audit/subject-hasher';
import { idNumberCheckCharacter } from '../../subgraphs/kit/identifiers/id-number';

/** The benchmark's keys: fixed, development only, never a deployment's. */
export const BENCH_CHAIN_KEY = Buffer.alloc(32, 9);
export const BENCH_SUBJECT_KEY = Buffer.alloc(32, 7);

/** Districts of Guangzhou, Beijing, Shanghai, Chengdu and Hangzhou (GB/T 2260). */
const DIVISIONS = ['440106', '440104', '110101', '110105', '310115', '310104', '510104', '510107', '330106', '330108'];

/** mulberry32: a small seeded generator, enough to spread synthetic records. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `index`th person's ID number: a valid GB 11643 number, distinct for every index below 10,000,000. */
export function personIdNumber(index: number): string {
  const division = DIVISIONS[index % DIVISIONS.length]!;
  const rest = Math.floor(index / DIVISIONS.length);
  const day = (rest % 28) + 1;
  const month = (Math.floor(rest / 28) % 12) + 1;
  const year = 1950 + (Math.floor(rest / 336) % 55);
  const sequence = Math.floor(rest / 18480) % 1000;
  const first17 = `${division}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** How many persons a trail of `records` records is about: each read about 26 times on average. */
export function populationFor(records: number): number {
  return Math.max(1000, Math.floor(records / 10));
}

const REQUESTS = [
  { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', operationName: 'Profile', fields: ['Enterprise.legalRepresentative', 'Enterprise.name', 'Person.name', 'Query.enterprise'] },
  { app: 'service-hall', purpose: 'SERVICE_HALL_APPLICATION', operationName: 'Applicant', fields: ['Person.name', 'Person.household', 'Query.person'] },
  { app: 'oneservice-portal', purpose: 'ONE_SERVICE_APPLICATION', operationName: 'MyRecords', fields: ['Person.marriages', 'Person.name', 'Query.person'] },
  { app: 'city-ops-center', purpose: 'CITY_OPERATIONS', operationName: 'Overview', fields: ['EnterpriseConnection.nodes', 'Enterprise.name', 'Query.enterprises'] },
] as const;

export interface SyntheticTrail {
  /** The entry of record `seq` (1-based); records must be asked for in order. */
  entry(seq: number): AuditEntry;
  /** The HMAC of the `index`th person, as the audit department computes it from the ID number. */
  subject(index: number): string;
  population: number;
}

/**
 * `records` entries spread evenly over the year before `end`: 70 % about one person, 25 % about two to
 * five, 5 % a page of twenty; persons drawn uniformly from the population.
 */
export function syntheticTrail(records: number, end: Date, seed = 11643): SyntheticTrail {
  const random = seededRandom(seed);
  const population = populationFor(records);
  const hash: SubjectHasher = createSubjectHasher(BENCH_SUBJECT_KEY, 0);
  const subject = (index: number) => hash(personIdNumber(index));
  const start = end.getTime() - 365 * 86_400_000;
  const step = (end.getTime() - start) / records;
  return {
    population,
    subject,
    entry(seq) {
      const kind = random();
      const count = kind < 0.7 ? 1 : kind < 0.95 ? 2 + Math.floor(random() * 4) : 20;
      const request = REQUESTS[seq % REQUESTS.length]!;
      return {
        time: new Date(start + seq * step).toISOString(),
        requestId: `scale-${seq}`,
        app: request.app,
        operator: null,
        region: null,
        purpose: request.purpose,
        caseId: null,
        operationName: request.operationName,
        operationHash: null,
        fields: [...request.fields],
        subjects: Array.from({ length: count }, () => subject(Math.floor(random() * population))),
        decision: 'PERMIT',
        rule: `contract ${request.app}, purpose ${request.purpose}`,
        outcome: 'ok',
        errorCodes: [],
        latencyMs: 3,
      };
    },
  };
}
