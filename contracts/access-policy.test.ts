import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessPolicy, chinaDay } from './access-policy';
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';
import { loadContracts, loadPlatform } from './load-contracts';
import { buildCatalog } from './supergraph-catalog';

const catalog = buildCatalog(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
const contract: ContractDocument = {
  app: 'desk', name: 'n', owner: 'o', contact: { name: 'c' }, legalBasis: 'basis',
  validFrom: '2026-01-01', validUntil: '2026-12-31', approvedBy: 'a', approvedOn: '2025-12-01', persistedOnly: false, operations: [],
  purposes: [
    { code: 'OPEN', description: 'd', caseRequired: false, subjectIsOperator: false, discloseToSubject: true, grants: ['Query.enterprise', 'Enterprise.name', 'Enterprise.riskRating'] },
    { code: 'CASE', description: 'd', caseRequired: true, subjectIsOperator: false, discloseToSubject: true, grants: ['Enterprise.name', { field: 'Person.name', mask: 'NAME' }] },
    { code: 'OLD', description: 'd', caseRequired: false, subjectIsOperator: false, discloseToSubject: true, validUntil: '2026-03-31', grants: ['Enterprise.status'] },
  ],
};
const policy = new AccessPolicy([contract], catalog, { Person: 'idNumber', Enterprise: 'creditCode' });
const june = new Date('2026-06-01T00:00:00+08:00');
const decide = (coordinate: string, caller: { purpose?: string; caseId?: string } = {}, now = june) => policy.decide({ app: 'desk', ...caller }, coordinate, now);

test.each([
  ['an unconditional grant needs no purpose', 'Enterprise.name', {}, { allowed: true, purpose: 'OPEN' }],
  ['NONE is never shared, even if granted', 'Enterprise.riskRating', {}, { allowed: false, code: 'FORBIDDEN' }],
  ['a conditional field needs its purpose', 'Person.name', {}, { allowed: false, code: 'PURPOSE_REQUIRED' }],
  ['a case-bound purpose needs a case', 'Person.name', { purpose: 'CASE' }, { allowed: false, code: 'CASE_REQUIRED' }],
  ['within a case the grant applies with its mask', 'Person.name', { purpose: 'CASE', caseId: 'c1' }, { allowed: true, mask: 'NAME', caseBound: true }],
  ['a field not granted', 'Person.phone', { purpose: 'CASE', caseId: 'c1' }, { allowed: false, code: 'FORBIDDEN' }],
  ["a conditional field under the app's other purpose, which does not grant it", 'Person.name', { purpose: 'OPEN' }, { allowed: false, code: 'PURPOSE_REQUIRED', reason: expect.stringMatching(/\(CASE\)$/) }],
  ["the same with a case: the other purpose is still not the field's", 'Person.name', { purpose: 'OPEN', caseId: 'c1' }, { allowed: false, code: 'PURPOSE_REQUIRED' }],
  ['an expired grant', 'Enterprise.status', {}, { allowed: false, reason: expect.stringMatching(/OLD expired on 2026-03-31/) }],
])('%s', (_name, coordinate, caller, expected) => expect(decide(coordinate, caller)).toMatchObject(expected));

test('a contract outside its dates grants nothing', () => {
  expect(decide('Enterprise.name', {}, new Date('2027-01-02T00:00:00+08:00'))).toMatchObject({ allowed: false, reason: expect.stringMatching(/expired on 2026-12-31/) });
  expect(decide('Enterprise.name', {}, new Date('2025-12-31T12:00:00+08:00'))).toMatchObject({ allowed: false, reason: expect.stringMatching(/valid from 2026-01-01/) });
});

test('an app without a contract gets nothing', () => {
  expect(policy.decide({ app: 'stranger' }, 'Enterprise.name', june)).toMatchObject({ allowed: false, reason: expect.stringMatching(/no data-sharing contract/) });
});

test('the app schema contains exactly the fields in force', () => {
  expect([...policy.grantedCoordinates('desk', june)].sort()).toEqual(['Enterprise.name', 'Person.name', 'Query.enterprise']);
});

test('the China day turns at 16:00 UTC, however often and in whatever order it is asked', () => {
  expect(chinaDay(new Date('2026-06-01T15:59:59.999Z'))).toBe('2026-06-01');
  expect(chinaDay(new Date('2026-06-01T16:00:00.000Z'))).toBe('2026-06-02');
  expect(chinaDay(new Date('2026-06-01T15:00:00.000Z'))).toBe('2026-06-01');
  expect(chinaDay(new Date('2026-12-31T16:30:00.000Z'))).toBe('2027-01-01');
});

test('decisions are remembered per decision key: asked again, the same answer; another purpose, case or day, its own', () => {
  const withCase = decide('Person.name', { purpose: 'CASE', caseId: 'c1' });
  expect(decide('Person.name', { purpose: 'CASE', caseId: 'c2' })).toBe(withCase);
  expect(decide('Person.name', { purpose: 'CASE' })).toMatchObject({ allowed: false, code: 'CASE_REQUIRED' });
  expect(decide('Person.name')).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
  expect(decide('Person.name', { purpose: 'CASE', caseId: 'c1' }, new Date('2027-01-02T00:00:00+08:00'))).toMatchObject({ allowed: false });
  expect(decide('Person.name', { purpose: 'CASE', caseId: 'c1' })).toBe(withCase);
});

describe('every purpose rule of the demo contracts, at its boundary', () => {
  const root = join(__dirname, '..');
  const demo = loadContracts(join(root, 'contracts', 'apps')).contracts.map((c) => c.contract);
  const demoPolicy = new AccessPolicy(demo, catalog, loadPlatform(join(root, 'contracts', 'platform.yaml')).platform!.subjectKeys);
  const day = '2026-06-01';
  const now = new Date(`${day}T12:00:00+08:00`);
  /** Each conditionally shared coordinate a purpose in force grants, with the app's other purposes in force that do not grant it. */
  const rules = demo.flatMap((contract) => {
    const inForce = contract.purposes.filter((p) => (p.validFrom ?? contract.validFrom) <= day && day <= (p.validUntil ?? contract.validUntil));
    return inForce.flatMap((purpose) =>
      purpose.grants
        .filter((grant) => demoPolicy.sharingOf(grantCoordinate(grant))?.class === 'CONDITIONAL')
        .map((grant) => ({
          app: contract.app,
          purpose,
          coordinate: grantCoordinate(grant),
          mask: grantMask(grant),
          others: inForce.filter((other) => !other.grants.some((g) => grantCoordinate(g) === grantCoordinate(grant))).map((other) => other.code),
        })),
    );
  });

  test('there are such rules, and apps with another purpose to try them under', () => {
    expect(rules.length).toBeGreaterThan(100);
    const withOthers = new Set(rules.filter((r) => r.others.length > 0).map((r) => r.app));
    expect([...withOthers].sort()).toEqual(['auditor', 'city-ops-center', 'crossprovince-desk', 'market-supervision', 'oneservice-portal']);
  });

  test('each is refused without a purpose, allowed under its own with its mask (within a case if it is case-bound), and refused under every other purpose of the app', () => {
    const wrong: string[] = [];
    for (const { app, purpose, coordinate, mask, others } of rules) {
      const caseId = purpose.caseRequired ? 'c1' : undefined;
      const none = demoPolicy.decide({ app }, coordinate, now);
      if (none.allowed || none.code !== 'PURPOSE_REQUIRED') wrong.push(`${app} ${coordinate} without a purpose: ${JSON.stringify(none)}`);
      const own = demoPolicy.decide({ app, purpose: purpose.code, ...(caseId && { caseId }) }, coordinate, now);
      if (!own.allowed || own.purpose !== purpose.code || own.mask !== mask) wrong.push(`${app} ${coordinate} under ${purpose.code}: ${JSON.stringify(own)}`);
      if (caseId && demoPolicy.decide({ app, purpose: purpose.code }, coordinate, now).allowed) wrong.push(`${app} ${coordinate} under ${purpose.code} without a case`);
      for (const other of others) {
        for (const withCase of [{}, { caseId: 'c1' }]) {
          const decision = demoPolicy.decide({ app, purpose: other, ...withCase }, coordinate, now);
          if (decision.allowed) wrong.push(`${app} ${coordinate} under ${other}${'caseId' in withCase ? ' with a case' : ''}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
