import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessPolicy, chinaDay } from './access-policy';
import type { ContractDocument } from './contract-schema';
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
