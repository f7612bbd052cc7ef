import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessPolicy } from '../contracts/access-policy';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld, DEFAULT_WORLD_SIZE } from '../subgraphs/kit/synthetic/world';
import { buildApplications } from '../subgraphs/service-hall/seed';
import { samplePlan, type SamplePlan } from './sample-plan';

const ROOT = join(__dirname, '..');
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const { contracts } = loadContracts(join(ROOT, 'contracts', 'apps'));
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), platform!.undeclaredSharingClass);
const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog, platform!);
const world = buildWorld(DEFAULT_WORLD_SIZE);
const applications = buildApplications(world).rows;
const openStatuses = platform!.cases!.openStatuses;
/** A day every demo contract is in force, and the 2025 food-safety campaign is over. */
const DAY = new Date('2026-07-01T04:00:00Z');

function planFor(app: string): SamplePlan {
  const contract = contracts.find((c) => c.contract.app === app)!.contract;
  return samplePlan({ contract, grants: policy.grantsInForce(app, DAY), subjects: policy.subjects, world, applications, openStatuses });
}

const person = (idNumber: string) => world.persons.find((p) => p.idNumber === idNumber)!;

test('the portal acts for a citizen who has data in every department, and its example reads them under SELF_SERVICE', () => {
  const plan = planFor('oneservice-portal');
  const citizen = plan.citizen!;
  expect(plan.operator).toBe(citizen.idNumber);
  const p = person(citizen.idNumber);
  expect(p.status).toBe('NORMAL');
  expect(ageOnReference(p.birthDate)).toBeGreaterThanOrEqual(18);
  expect(world.marriages.filter((m) => m.husband === p.idNumber || m.wife === p.idNumber).map((m) => m.kind)).toEqual(['MARRIAGE']);
  expect(world.enterprises.some((e) => e.legalRepresentative === p.idNumber && e.status === 'ACTIVE')).toBe(true);
  expect(citizen.applications).toEqual(applications.filter((a) => a.applicant === p.idNumber).map((a) => a.id));
  expect(citizen.applications.length).toBeGreaterThan(0);
  // The portal may name an enterprise in submitApplication: the citizen's own.
  expect(world.enterprises.find((e) => e.creditCode === plan.enterprise?.creditCode)?.legalRepresentative).toBe(p.idNumber);
  expect(plan.case).toBeUndefined();
  expect(plan.example).toEqual({ purpose: 'SELF_SERVICE', query: `{ person(idNumber: "${p.idNumber}") { name } }` });
});

test('the desk gets an open cross-region case and no citizen or operator; its example reads the case', () => {
  const plan = planFor('crossprovince-desk');
  expect(plan.citizen).toBeUndefined();
  expect(plan.operator).toBeUndefined();
  const found = applications.find((a) => a.id === plan.case!.id)!;
  expect(openStatuses).toContain(found.status);
  expect(found.acceptingRegion).not.toBe(found.handlingRegion);
  expect(plan.case!.applicant).toBe(found.applicant);
  expect(plan.example).toEqual({ purpose: 'CROSS_PROVINCE_CASE', caseId: found.id, query: `{ application(id: "${found.id}") { id status } }` });
});

test('city operations gets only subjects of its region (4401), and an example over one of its districts', () => {
  const plan = planFor('city-ops-center');
  expect(plan.region).toBe('4401');
  expect(plan.districts).toEqual(['440103', '440104', '440106']);
  expect(plan.enterprise!.creditCode.slice(2, 6)).toBe('4401');
  expect(plan.citizen).toBeUndefined();
  expect(plan.example).toEqual({ purpose: 'CITY_OPERATIONS', query: '{ cityEvents(regionCode: "440103") { totalCount } }' });
});

test('market supervision gets an active enterprise, and its out-of-force campaign purpose is marked and never used', () => {
  const plan = planFor('market-supervision');
  expect(plan.enterprise!.status).toBe('ACTIVE');
  // It checks a holder's certificate (verifyCertificate(holder:)): naming a person there is a read of them.
  expect(plan.citizen).toBeDefined();
  expect(plan.purposes.map((p) => [p.code, p.inForce])).toEqual([
    ['MARKET_INSPECTION', true],
    ['LEGAL_REPRESENTATIVE_CHECK', true],
    ['FOOD_SAFETY_CAMPAIGN_2025', false],
    ['LICENCE_ISSUING', true],
    ['CERTIFICATE_CHECK', true],
  ]);
  expect(plan.example).toEqual({ purpose: 'MARKET_INSPECTION', query: `{ enterprise(creditCode: "${plan.enterprise!.creditCode}") { name } }` });
});

test('the auditor may name anyone in its trail search (auditRecords(subject:)), but no case, and a count as its example', () => {
  const plan = planFor('auditor');
  expect(plan.citizen).toBeDefined();
  expect(plan.enterprise).toBeDefined();
  expect([plan.case, plan.operator]).toEqual([undefined, undefined]);
  expect(plan.example).toEqual({ purpose: 'GOVERNANCE_STATISTICS', query: '{ cityEvents { totalCount } }' });
});

test('an app whose contract is not in force gets no example and every purpose marked', () => {
  const contract = contracts.find((c) => c.contract.app === 'auditor')!.contract;
  const plan = samplePlan({ contract, grants: policy.grantsInForce('auditor', new Date('2031-01-01T00:00:00Z')), subjects: policy.subjects, world, applications, openStatuses });
  expect(plan.example).toBeUndefined();
  expect(plan.purposes.every((p) => !p.inForce)).toBe(true);
});

test('the README names the subjects the sample offers', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const portal = planFor('oneservice-portal');
  const desk = planFor('crossprovince-desk');
  expect(readme).toContain(`--operator ${portal.citizen!.idNumber}`);
  expect(readme).toContain(`x-case-id: ${desk.case!.id}`);
  expect(readme).toContain(`application(id: \\"${desk.case!.id}\\")`);
  expect(readme).toContain(`enterprise(creditCode: \\"${planFor('market-supervision').enterprise!.creditCode}\\")`);
});
