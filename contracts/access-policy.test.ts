import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessPolicy, chinaDay } from './access-policy';
import { grantCoordinate, grantMask, type ContractDocument } from './contract-schema';
import { loadContracts, loadPlatform } from './load-contracts';
import { NO_DECLARATIONS } from './subject-arguments';
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
const policy = new AccessPolicy([contract], catalog, { subjectKeys: { Person: 'idNumber', Enterprise: 'creditCode' }, subjectArguments: {} });
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

test("an app's purposes are its contract's, in its order and expired ones included; an app without a contract has none", () => {
  expect(policy.purposesOf('desk')).toEqual(['OPEN', 'CASE', 'OLD']);
  expect(policy.purposesOf('stranger')).toBeUndefined();
});

test('the app schema contains exactly the fields in force', () => {
  expect([...policy.grantedCoordinates('desk', june)].sort()).toEqual(['Enterprise.name', 'Person.name', 'Query.enterprise']);
});

test("the grants in force say, per field, the app's own purposes, masks and conditions; lapsed and NONE grants are left out", () => {
  expect(Object.fromEntries(policy.grantsInForce('desk', june))).toEqual({
    'Query.enterprise': [{ purpose: 'OPEN', caseBound: false, operatorBound: false }],
    'Enterprise.name': [{ purpose: 'OPEN', caseBound: false, operatorBound: false }, { purpose: 'CASE', caseBound: true, operatorBound: false }],
    'Person.name': [{ purpose: 'CASE', caseBound: true, operatorBound: false, mask: 'NAME' }],
  });
  expect(Object.fromEntries(policy.grantsInForce('desk', new Date('2026-03-31T12:00:00+08:00')))['Enterprise.status']).toEqual([{ purpose: 'OLD', caseBound: false, operatorBound: false }]);
  expect(policy.grantsInForce('stranger', june).size).toBe(0);
  expect(policy.grantsInForce('desk', new Date('2027-01-02T00:00:00+08:00')).size).toBe(0);
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
  const demoPolicy = new AccessPolicy(demo, catalog, loadPlatform(join(root, 'contracts', 'platform.yaml')).platform!);
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
    expect([...withOthers].sort()).toEqual(['auditor', 'city-ops-center', 'crossprovince-desk', 'licence-library', 'market-supervision', 'oneservice-portal', 'service-hall']);
  });

  test('each is refused without a purpose, allowed under its own with its mask (within a case if it is case-bound), and refused under every other purpose of the app', () => {
    const wrong: string[] = [];
    for (const { app, purpose, coordinate, mask, others } of rules) {
      const caseId = purpose.caseRequired ? 'c1' : undefined;
      const none = demoPolicy.decide({ app }, coordinate, now);
      if (none.allowed || none.code !== 'PURPOSE_REQUIRED') wrong.push(`${app} ${coordinate} without a purpose: ${JSON.stringify(none)}`);
      // What the client is told to state: its purpose, and none of the app's purposes that would not open it.
      else if (!none.purposes?.includes(purpose.code) || others.some((other) => none.purposes?.includes(other))) wrong.push(`${app} ${coordinate} names purposes ${JSON.stringify(none.purposes)}`);
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

test('PURPOSE_REQUIRED lists every purpose in force that grants the field, once each, in the order of the contract', () => {
  const conditional = { description: 'd', caseRequired: false, subjectIsOperator: false, discloseToSubject: true };
  const several: ContractDocument = {
    ...contract,
    app: 'several',
    purposes: [
      { ...conditional, code: 'LAPSED', validUntil: '2026-03-31', grants: ['Person.name'] },
      { ...conditional, code: 'ZETA', grants: ['Person.name', { field: 'Person.name', mask: 'NAME' }] },
      { ...conditional, code: 'ALPHA', caseRequired: true, grants: [{ field: 'Person.name', mask: 'NAME' }] },
      { ...conditional, code: 'OTHER', grants: ['Enterprise.name'] },
    ],
  };
  const decision = new AccessPolicy([several], catalog, NO_DECLARATIONS).decide({ app: 'several', purpose: 'OTHER' }, 'Person.name', june);
  expect(decision).toStrictEqual({
    allowed: false,
    code: 'PURPOSE_REQUIRED',
    reason: 'Person.name is shared conditionally: state a purpose of the grant in X-Purpose (ZETA, ALPHA)',
    purposes: ['ZETA', 'ALPHA'],
  });
});

describe('dates are inclusive, to the China day', () => {
  const at = (day: string) => new Date(`${day}T12:00:00+08:00`);
  test.each([
    ['the contract’s first day', '2026-01-01', true],
    ['the day before it', '2025-12-31', false],
    ['the contract’s last day', '2026-12-31', true],
    ['the day after it', '2027-01-01', false],
  ])('on %s (%s) the contract is in force: %s', (_name, day, inForce) => {
    expect(decide('Enterprise.name', {}, at(day)).allowed).toBe(inForce);
    expect(policy.grantedCoordinates('desk', at(day)).has('Enterprise.name')).toBe(inForce);
  });

  test.each([
    ['its last day', '2026-03-31', { allowed: true, purpose: 'OLD' }],
    ['the day after', '2026-04-01', { allowed: false, code: 'FORBIDDEN', reason: 'the grant of Enterprise.status to desk for purpose OLD expired on 2026-03-31' }],
  ])('a purpose with its own end date, on %s', (_name, day, expected) => {
    expect(decide('Enterprise.status', {}, at(day))).toStrictEqual(expected.allowed ? { allowed: true, purpose: 'OLD', caseBound: false, operatorBound: false } : expected);
    expect(policy.grantedCoordinates('desk', at(day)).has('Enterprise.status')).toBe(expected.allowed);
  });

  test('a purpose that starts later says from when, and grants nothing before', () => {
    const later: ContractDocument = { ...contract, app: 'later', purposes: [{ ...contract.purposes[0]!, code: 'SOON', validFrom: '2026-07-01', grants: ['Enterprise.name'] }] };
    const laterPolicy = new AccessPolicy([later], catalog, NO_DECLARATIONS);
    expect(laterPolicy.decide({ app: 'later' }, 'Enterprise.name', at('2026-06-30'))).toStrictEqual({
      allowed: false,
      code: 'FORBIDDEN',
      reason: 'the grant of Enterprise.name to later for purpose SOON is valid from 2026-07-01',
    });
    expect(laterPolicy.decide({ app: 'later' }, 'Enterprise.name', at('2026-07-01'))).toMatchObject({ allowed: true, purpose: 'SOON' });
    expect(laterPolicy.grantedCoordinates('later', at('2026-06-30')).size).toBe(0);
    expect([...laterPolicy.grantedCoordinates('later', at('2026-07-01'))]).toEqual(['Enterprise.name']);
  });

  test('a field granted under a lapsed purpose and one in force is in the app schema', () => {
    const twice: ContractDocument = {
      ...contract,
      app: 'twice',
      purposes: [
        { ...contract.purposes[0]!, code: 'GONE', validUntil: '2026-03-31', grants: ['Enterprise.name'] },
        { ...contract.purposes[0]!, code: 'NOW', grants: ['Enterprise.name'] },
      ],
    };
    expect([...new AccessPolicy([twice], catalog, NO_DECLARATIONS).grantedCoordinates('twice', june)]).toEqual(['Enterprise.name']);
    expect(policy.grantedCoordinates('stranger', june).size).toBe(0);
  });
});

test('the reasons a field is refused name the field, the app and what would open it', () => {
  // A policy of its own: decisions are remembered, and this test must be the one that makes them.
  const fresh = new AccessPolicy([contract], catalog, NO_DECLARATIONS);
  const decide = (coordinate: string, caller: { purpose?: string } = {}) => fresh.decide({ app: 'desk', ...caller }, coordinate, june);
  expect(decide('Enterprise.riskRating')).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'Enterprise.riskRating is not shared by its department (不予共享)' });
  expect(decide('Person.phone')).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'Person.phone is not granted to desk' });
  expect(decide('Query.nothingHere')).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'Query.nothingHere is not in the graph' });
  expect(decide('Person.name')).toStrictEqual({ allowed: false, code: 'PURPOSE_REQUIRED', reason: 'Person.name is shared conditionally: state a purpose of the grant in X-Purpose (CASE)', purposes: ['CASE'] });
  expect(decide('Person.name', { purpose: 'CASE' })).toStrictEqual({ allowed: false, code: 'CASE_REQUIRED', reason: 'purpose CASE opens Person.name only within a case: name it in X-Case-Id' });
  expect(fresh.decide({ app: 'stranger' }, 'Enterprise.name', june)).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'app stranger has no data-sharing contract' });
  const twoPurposes: ContractDocument = { ...contract, app: 'two', purposes: [contract.purposes[1]!, { ...contract.purposes[1]!, code: 'REVIEW' }] };
  expect(new AccessPolicy([twoPurposes], catalog, NO_DECLARATIONS).decide({ app: 'two' }, 'Person.name', june)).toStrictEqual({
    allowed: false,
    code: 'PURPOSE_REQUIRED',
    purposes: ['CASE', 'REVIEW'],
    reason: 'Person.name is shared conditionally: state a purpose of the grant in X-Purpose (CASE, REVIEW)',
  });
});

test('a contract bounds its purposes: outside its dates nothing is granted, whatever dates a purpose states', () => {
  // check-contracts refuses such a contract; were one loaded all the same, the contract's dates still bind.
  const wide: ContractDocument = { ...contract, app: 'wide', purposes: [{ ...contract.purposes[0]!, validFrom: '2025-06-01', validUntil: '2027-06-30' }] };
  const widePolicy = new AccessPolicy([wide], catalog, NO_DECLARATIONS);
  const at = (day: string) => new Date(`${day}T12:00:00+08:00`);
  expect(widePolicy.decide({ app: 'wide' }, 'Enterprise.name', at('2025-12-31'))).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'the contract of wide is valid from 2026-01-01' });
  expect(widePolicy.decide({ app: 'wide' }, 'Enterprise.name', at('2027-01-01'))).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'the contract of wide expired on 2026-12-31' });
  expect(widePolicy.grantedCoordinates('wide', at('2025-12-31')).size).toBe(0);
  expect(widePolicy.grantedCoordinates('wide', at('2027-01-01')).size).toBe(0);
  expect([...widePolicy.grantedCoordinates('wide', at('2026-01-01'))].sort()).toEqual(['Enterprise.name', 'Query.enterprise']);
});

test('an unconditional field read without a purpose is decided under a purpose that needs no case, if there is one', () => {
  expect(decide('Enterprise.name')).toStrictEqual({ allowed: true, purpose: 'OPEN', caseBound: false, operatorBound: false });
  const caseFirst: ContractDocument = { ...contract, app: 'case-first', purposes: [contract.purposes[1]!, contract.purposes[0]!] };
  expect(new AccessPolicy([caseFirst], catalog, NO_DECLARATIONS).decide({ app: 'case-first' }, 'Enterprise.name', june)).toStrictEqual({ allowed: true, purpose: 'OPEN', caseBound: false, operatorBound: false });
});

test('an app that registers its operations may send only those, each under its own purpose', () => {
  const registered: ContractDocument = {
    ...contract,
    app: 'registered',
    persistedOnly: true,
    operations: [{ name: 'CheckEnterprise', sha256: 'a'.repeat(64), purpose: 'OPEN' }],
  };
  const registeredPolicy = new AccessPolicy([registered, contract], catalog, NO_DECLARATIONS);
  expect(registeredPolicy.persistedOperationProblem({ app: 'registered' }, 'a'.repeat(64))).toBeUndefined();
  expect(registeredPolicy.persistedOperationProblem({ app: 'registered', purpose: 'OPEN' }, 'a'.repeat(64))).toBeUndefined();
  expect(registeredPolicy.persistedOperationProblem({ app: 'registered', purpose: 'CASE' }, 'a'.repeat(64))).toBe('operation CheckEnterprise is registered for purpose OPEN, not CASE');
  expect(registeredPolicy.persistedOperationProblem({ app: 'registered' }, 'b'.repeat(64))).toBe('registered may send only its registered operations, and this is not one of them');
  expect(registeredPolicy.persistedOperationProblem({ app: 'desk' }, 'b'.repeat(64))).toBeUndefined();
  expect(registeredPolicy.persistedOperationProblem({ app: 'stranger' }, 'b'.repeat(64))).toBeUndefined();
});

describe("a contract's own settings: its limits, its region, whether the app has one", () => {
  const fallback = { requestsPerMinute: 600, costPerMinute: 60_000 };
  const limited: ContractDocument = { ...contract, app: 'limited', region: '4401', limits: { requestsPerMinute: 30, costPerMinute: 3_000 } };
  // Built in each test, not once: Stryker counts only the tests that run a mutant's code.
  const policyOf = () => new AccessPolicy([limited, contract], catalog, NO_DECLARATIONS);

  test("an app's rate limits are its contract's; an app whose contract sets none, or without a contract, gets the default", () => {
    const settings = policyOf();
    expect(settings.limitsOf('limited', fallback)).toEqual({ requestsPerMinute: 30, costPerMinute: 3_000 });
    expect(settings.limitsOf('desk', fallback)).toBe(fallback);
    expect(settings.limitsOf('stranger', fallback)).toBe(fallback);
  });

  test("the regions that bind an app are its contract's and its token's, only those there are", () => {
    const settings = policyOf();
    expect(settings.regionsOf({ app: 'limited' })).toEqual(['4401']);
    expect(settings.regionsOf({ app: 'limited', region: '440106' })).toEqual(['4401', '440106']);
    expect(settings.regionsOf({ app: 'desk', region: '3301' })).toEqual(['3301']);
    expect(settings.regionsOf({ app: 'desk' })).toEqual([]);
    expect(settings.regionsOf({ app: 'stranger' })).toEqual([]);
  });

  test('only an app with a contract has one', () => {
    const settings = policyOf();
    expect(settings.hasContract('limited')).toBe(true);
    expect(settings.hasContract('desk')).toBe(true);
    expect(settings.hasContract('stranger')).toBe(false);
  });
});

test("an argument that names a subject is decided by the sharing class of the subject's key", () => {
  const lookups: ContractDocument = {
    ...contract,
    app: 'lookups',
    purposes: [
      { ...contract.purposes[0]!, grants: ['Query.enterprise(creditCode:)'] },
      { ...contract.purposes[1]!, grants: ['Query.person(idNumber:)'] },
    ],
  };
  const subjects = new AccessPolicy([lookups], catalog, { subjectKeys: { Person: 'idNumber', Enterprise: 'creditCode' }, subjectArguments: {} });
  expect(subjects.sharingOf('Query.person(idNumber:)')).toMatchObject({ class: 'CONDITIONAL' });
  expect(subjects.sharingOf('Query.enterprise(creditCode:)')).toMatchObject({ class: 'UNCONDITIONAL' });
  // Person.idNumber is shared conditionally, Enterprise.creditCode unconditionally.
  expect(subjects.decide({ app: 'lookups' }, 'Query.person(idNumber:)', june)).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
  expect(subjects.decide({ app: 'lookups', purpose: 'CASE', caseId: 'c1' }, 'Query.person(idNumber:)', june)).toStrictEqual({ allowed: true, purpose: 'CASE', caseBound: true, operatorBound: false });
  expect(subjects.decide({ app: 'lookups' }, 'Query.enterprise(creditCode:)', june)).toStrictEqual({ allowed: true, purpose: 'OPEN', caseBound: false, operatorBound: false });
  expect([...subjects.grantedCoordinates('lookups', june)].sort()).toEqual(['Query.enterprise(creditCode:)', 'Query.person(idNumber:)']);
});

test('a grant of a coordinate the graph does not have opens nothing, and the rest of the contract still applies', () => {
  const stale: ContractDocument = { ...contract, app: 'stale', purposes: [{ ...contract.purposes[0]!, grants: ['Enterprise.name', 'Enterprise.formerName'] }] };
  const stalePolicy = new AccessPolicy([stale], catalog, NO_DECLARATIONS);
  // The app schema is cut from the graph, so a coordinate the graph lacks adds nothing to it.
  expect(stalePolicy.grantedCoordinates('stale', june).has('Enterprise.name')).toBe(true);
  expect(stalePolicy.decide({ app: 'stale' }, 'Enterprise.name', june)).toMatchObject({ allowed: true });
  expect(stalePolicy.decide({ app: 'stale' }, 'Enterprise.formerName', june)).toStrictEqual({ allowed: false, code: 'FORBIDDEN', reason: 'Enterprise.formerName is not in the graph' });
});

test('an unconditional field granted only under case-bound purposes, read without a purpose, needs a case', () => {
  const caseOnly: ContractDocument = { ...contract, app: 'case-only', purposes: [contract.purposes[1]!] };
  const caseOnlyPolicy = new AccessPolicy([caseOnly], catalog, NO_DECLARATIONS);
  expect(caseOnlyPolicy.decide({ app: 'case-only' }, 'Enterprise.name', june)).toStrictEqual({
    allowed: false,
    code: 'CASE_REQUIRED',
    reason: 'purpose CASE opens Enterprise.name only within a case: name it in X-Case-Id',
  });
  expect(caseOnlyPolicy.decide({ app: 'case-only', caseId: 'c1' }, 'Enterprise.name', june)).toStrictEqual({ allowed: true, purpose: 'CASE', caseBound: true, operatorBound: false });
});

test("a purpose whose subject is the operator makes its grants operator-bound, with their masks", () => {
  const portal: ContractDocument = {
    ...contract,
    app: 'portal',
    purposes: [{ code: 'SELF', description: 'd', caseRequired: false, subjectIsOperator: true, discloseToSubject: true, grants: [{ field: 'Person.name', mask: 'NAME' }, 'Enterprise.name'] }],
  };
  const portalPolicy = new AccessPolicy([portal], catalog, NO_DECLARATIONS);
  expect(portalPolicy.decide({ app: 'portal', purpose: 'SELF' }, 'Person.name', june)).toStrictEqual({ allowed: true, purpose: 'SELF', caseBound: false, operatorBound: true, mask: 'NAME' });
  expect(portalPolicy.decide({ app: 'portal' }, 'Enterprise.name', june)).toStrictEqual({ allowed: true, purpose: 'SELF', caseBound: false, operatorBound: true });
});

test('decisions under two purposes of one app are told apart, with or without a case, whichever is asked first', () => {
  const fresh = new AccessPolicy([contract], catalog, NO_DECLARATIONS);
  for (const caseId of [undefined, 'c1']) {
    const withCase = caseId ? { caseId } : {};
    expect(fresh.decide({ app: 'desk', purpose: 'CASE', ...withCase }, 'Person.name', june).allowed).toBe(caseId !== undefined);
    expect(fresh.decide({ app: 'desk', purpose: 'OPEN', ...withCase }, 'Person.name', june)).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
    expect(fresh.decide({ app: 'desk', ...withCase }, 'Person.name', june)).toMatchObject({ allowed: false, code: 'PURPOSE_REQUIRED' });
  }
});
