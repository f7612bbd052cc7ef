/**
 * What `npm run sample` tells a newcomer about one app: the subjects of the seeded synthetic world it may
 * ask about (a citizen, an enterprise, a case, the districts of its region), the purposes it may state, and
 * one query that works for it as it stands — each derived from the app's grants in force, so a subject is
 * offered only to an app that may name it, and the example only under a purpose that grants all of it.
 *
 * The synthetic world is a pure function of its size (subgraphs/kit/synthetic), so the subjects are the
 * same in every checkout that seeded the same sizes.
 */
import type { GrantInForce } from '../contracts/access-policy';
import type { ContractDocument } from '../contracts/contract-schema';
import type { SubjectArguments } from '../contracts/subject-arguments';
import { ageOnReference, type SyntheticPerson } from '../subgraphs/kit/synthetic/population';
import { DISTRICTS } from '../subgraphs/kit/synthetic/regions';
import type { World } from '../subgraphs/kit/synthetic/world';
import type { ApplicationRow } from '../subgraphs/service-hall/store';

export interface SampleCitizen {
  idNumber: string;
  name: string;
  address: string;
  /** The enterprises they represent, by credit code. */
  enterprises: string[];
  /** Their applications, by id. */
  applications: string[];
}

export interface SampleEnterprise {
  creditCode: string;
  name: string;
  status: string;
}

export interface SampleCase {
  id: string;
  itemCode: string;
  status: string;
  mode: string;
  acceptingRegion: string;
  handlingRegion: string;
  /** The applicant's ID number: the person the case opens. */
  applicant: string;
  enterprise: string | null;
}

export interface SamplePurpose {
  code: string;
  description: string;
  caseRequired: boolean;
  subjectIsOperator: boolean;
  /** False when the purpose (or the whole contract) is not in force today. */
  inForce: boolean;
}

export interface SampleExample {
  purpose: string;
  caseId?: string;
  query: string;
}

export interface SamplePlan {
  app: string;
  name: string;
  purposes: SamplePurpose[];
  /** The contract's region, when it has one: every subject below lies in it. */
  region?: string;
  /** District codes within the region, for list arguments such as `regionCode`. */
  districts?: string[];
  citizen?: SampleCitizen;
  enterprise?: SampleEnterprise;
  case?: SampleCase;
  /** Whom the token acts for: set when a purpose reads only the operator's own data. */
  operator?: string;
  example?: SampleExample;
}

export interface SampleInput {
  contract: ContractDocument;
  /** The app's grants in force today (AccessPolicy.grantsInForce). */
  grants: ReadonlyMap<string, readonly GrantInForce[]>;
  /** Which arguments name which kind of subject (Person, Enterprise). */
  subjects: SubjectArguments;
  world: World;
  applications: readonly ApplicationRow[];
  /** The statuses in which an application is an open case (platform.yaml cases.openStatuses). */
  openStatuses: readonly string[];
}

const inRegion = (code: string, region: string | undefined) => region === undefined || code.startsWith(region);

/**
 * The citizen to show: the first person of the world, in the region, who has something in every
 * department — married, representing an active enterprise there, with an application — or, failing
 * that, the first resident adult there.
 */
function pickCitizen(input: SampleInput, region: string | undefined): SyntheticPerson | undefined {
  const married = new Set(input.world.marriages.filter((m) => m.kind === 'MARRIAGE').map((m) => [m.husband, m.wife]).flat());
  const divorced = new Set(input.world.marriages.filter((m) => m.kind === 'DIVORCE').map((m) => [m.husband, m.wife]).flat());
  const activeFirms = new Set(input.world.enterprises.filter((e) => e.status === 'ACTIVE' && inRegion(e.regionCode, region)).map((e) => e.legalRepresentative));
  const applicants = new Set(input.applications.map((a) => a.applicant));
  const residents = input.world.persons.filter((p) => p.status === 'NORMAL' && ageOnReference(p.birthDate) >= 18 && inRegion(p.regionCode, region));
  return (
    residents.find((p) => married.has(p.idNumber) && !divorced.has(p.idNumber) && activeFirms.has(p.idNumber) && applicants.has(p.idNumber)) ??
    residents[0]
  );
}

/** The case to show: the first open cross-region application in the region, else the first open one there. */
function pickCase(input: SampleInput, region: string | undefined): ApplicationRow | undefined {
  const open = new Set(input.openStatuses);
  const candidates = input.applications.filter((a) => open.has(a.status) && (inRegion(a.acceptingRegion, region) || inRegion(a.handlingRegion, region)));
  return candidates.find((a) => a.acceptingRegion !== a.handlingRegion) ?? candidates[0];
}

/** The purposes in force that grant every one of these coordinates. */
function purposesGranting(grants: SampleInput['grants'], coordinates: readonly string[]): GrantInForce[] {
  const [first, ...rest] = coordinates.map((c) => grants.get(c) ?? []);
  return (first ?? []).filter((g) => rest.every((entries) => entries.some((e) => e.purpose === g.purpose)));
}

interface Candidate {
  coordinates: string[];
  /** The query for a purpose, or undefined when the subjects it needs are not at hand. */
  query(grant: GrantInForce, plan: SamplePlan): SampleExample | undefined;
}

/** The example queries, most telling first: the first one some purpose grants whole is shown. */
const CANDIDATES: readonly Candidate[] = [
  {
    coordinates: ['Query.person', 'Query.person(idNumber:)', 'Person.name'],
    query: (grant, plan) => {
      if (grant.caseBound) return plan.case && { purpose: grant.purpose, caseId: plan.case.id, query: `{ person(idNumber: "${plan.case.applicant}") { name } }` };
      return plan.citizen && { purpose: grant.purpose, query: `{ person(idNumber: "${plan.citizen.idNumber}") { name } }` };
    },
  },
  {
    coordinates: ['Query.application', 'Application.id', 'Application.status'],
    query: (grant, plan) => (grant.caseBound && plan.case ? { purpose: grant.purpose, caseId: plan.case.id, query: `{ application(id: "${plan.case.id}") { id status } }` } : undefined),
  },
  {
    coordinates: ['Query.enterprise', 'Query.enterprise(creditCode:)', 'Enterprise.name'],
    query: (grant, plan) => (plan.enterprise && !grant.caseBound ? { purpose: grant.purpose, query: `{ enterprise(creditCode: "${plan.enterprise.creditCode}") { name } }` } : undefined),
  },
  {
    coordinates: ['Query.cityEvents', 'CityEventConnection.totalCount'],
    query: (grant, plan) => (grant.caseBound ? undefined : { purpose: grant.purpose, query: `{ cityEvents${regionArgument(plan)} { totalCount } }` }),
  },
  {
    coordinates: ['Query.enterprises', 'EnterpriseConnection.totalCount'],
    query: (grant, plan) => (grant.caseBound ? undefined : { purpose: grant.purpose, query: `{ enterprises${regionArgument(plan)} { totalCount } }` }),
  },
  {
    coordinates: ['Query.serviceItems', 'ServiceItem.name'],
    query: (grant) => (grant.caseBound ? undefined : { purpose: grant.purpose, query: '{ serviceItems { name } }' }),
  },
];

function regionArgument(plan: SamplePlan): string {
  return plan.districts?.[0] ? `(regionCode: "${plan.districts[0]}")` : '';
}

export function samplePlan(input: SampleInput): SamplePlan {
  const { contract, grants, subjects } = input;
  const inForce = new Set([...grants.values()].flat().map((g) => g.purpose));
  const region = contract.region;
  const plan: SamplePlan = {
    app: contract.app,
    name: contract.name,
    purposes: contract.purposes.map((p) => ({ code: p.code, description: p.description, caseRequired: p.caseRequired, subjectIsOperator: p.subjectIsOperator, inForce: inForce.has(p.code) })),
    ...(region !== undefined && { region, districts: DISTRICTS.filter((d) => d.code.startsWith(region)).map((d) => d.code) }),
  };
  // What the app may name, and how: a subject argument granted under some purpose in force.
  const naming = (subject: string, bound: (g: GrantInForce) => boolean) =>
    [...grants].some(([coordinate, entries]) => subjects.byCoordinate.get(coordinate)?.subjects.includes(subject) && entries.some(bound));
  const allGrants = [...grants.values()].flat();
  const actsForCitizen = allGrants.some((g) => g.operatorBound);
  const citizen = pickCitizen(input, region);
  if (citizen && (actsForCitizen || naming('Person', (g) => !g.caseBound))) {
    plan.citizen = {
      idNumber: citizen.idNumber,
      name: citizen.name,
      address: citizen.address,
      enterprises: input.world.enterprises.filter((e) => e.legalRepresentative === citizen.idNumber).map((e) => e.creditCode),
      applications: input.applications.filter((a) => a.applicant === citizen.idNumber).map((a) => a.id),
    };
    if (actsForCitizen) plan.operator = citizen.idNumber;
  }
  if (naming('Enterprise', () => true)) {
    const active = input.world.enterprises.filter((e) => e.status === 'ACTIVE' && inRegion(e.regionCode, region));
    const enterprise = active.find((e) => e.legalRepresentative === citizen?.idNumber) ?? active[0];
    if (enterprise) plan.enterprise = { creditCode: enterprise.creditCode, name: enterprise.name, status: enterprise.status };
  }
  if (allGrants.some((g) => g.caseBound)) {
    const found = pickCase(input, region);
    if (found) {
      const { id, itemCode, status, mode, acceptingRegion, handlingRegion, applicant, enterprise } = found;
      plan.case = { id, itemCode, status, mode, acceptingRegion, handlingRegion, applicant, enterprise };
    }
  }
  for (const candidate of CANDIDATES) {
    for (const grant of purposesGranting(grants, candidate.coordinates)) {
      const example = candidate.query(grant, plan);
      if (example) {
        plan.example = example;
        return plan;
      }
    }
  }
  return plan;
}
