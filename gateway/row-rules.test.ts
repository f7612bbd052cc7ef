/**
 * The row rules the gateway plans before anything runs, decision by decision, over the demo contracts and
 * the composed API schema: which alias a client may not use, when a case is looked up, when an
 * operator-bound read is refused, which subjects an argument may name, what the result gate must check,
 * what the rewritten document fetches for it, and how injected keys are read and removed for the audit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { Kind, execute, getOperationAST, parse, print, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { createAccessGate } from '../contracts/access-gate';
import { AccessPolicy } from '../contracts/access-policy';
import type { Caller } from '../contracts/caller';
import { compileRuleTree, ruleContextKey } from '../contracts/compile-rule-tree';
import { loadContracts, parseContracts } from '../contracts/load-contracts';
import { platformSchema, type Platform } from '../contracts/platform-schema';
import { subjectsNamed } from '../contracts/subject-arguments';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { creditCode } from '../subgraphs/kit/synthetic/enterprises';
import { REPOSITORY_ROOT, loadShippedAccess } from '../tests/support/shipped-access';
import {
  KEY_ALIAS,
  OWNER_ALIAS,
  REGION_ALIAS,
  collectAndStripKeys,
  injectRowFields,
  namedSubjectDenial,
  needsCase,
  operatorMissing,
  ownerAlias,
  ownersOfRow,
  planRowRules,
  reservedAlias,
  type CaseInfo,
} from './row-rules';

const ROOT = REPOSITORY_ROOT;
const { policy, platform } = loadShippedAccess();
const schema = policy.catalog.apiSchema;
const NOW = new Date('2026-06-01T00:00:00Z');

/** The applicant of case SQ-1, and the next person born the same day in the same district. */
const ME = '110101199003070011';
const NEIGHBOUR = '110101199003070038';
const TIANHE_FIRM = creditCode('91', '440106', 1);
const CASE: CaseInfo = { id: 'SQ-1', subjects: new Set([ME]) };
/** The response names of a row's first and second owner paths. */
const OWNER_0 = ownerAlias(0);
const OWNER_1 = ownerAlias(1);

const PORTAL = { app: 'oneservice-portal', purpose: 'SELF_SERVICE' };
const DESK_CASE = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: 'SQ-1' };
const DESK_QUEUE = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE' };
// A case-bound lookup by ID number: the service hall's pre-review (the desk sees ID numbers masked, so names no one).
const PREFILL_CASE = { app: 'service-hall', purpose: 'PREFILL', caseId: 'SQ-1' };
const OPS = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' };
const INSPECTION = { app: 'market-supervision', purpose: 'MARKET_INSPECTION' };
const LEGAL_REP = { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' };

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

/** The access gate over a deployment, as the guarded gateway builds it. */
function gateOver(accessPolicy: AccessPolicy, deployment: Platform) {
  const api = accessPolicy.catalog.apiSchema;
  const check = createAccessGate(compileRuleTree(accessPolicy, api), api, accessPolicy.subjects, deployment.perOperation, ruleContextKey(accessPolicy));
  return async (caller: Omit<Caller, 'requestId'>, text: string, variables: Record<string, unknown> = {}) => {
    const full: Caller = { ...caller, requestId: 'r' };
    const document = parse(text);
    const operation = getOperationAST(document)!;
    const outcome = await check(operation, fragmentsOf(document), { caller: full, now: NOW });
    const named = subjectsNamed(accessPolicy.subjects, outcome.subjectSources, variables, operation);
    return { caller: full, document, outcome, decisions: outcome.decisions, named, regions: accessPolicy.regionsOf(full) };
  };
}
const gate = gateOver(policy, platform);

/** The row rules the gateway plans for a caller and an operation, with the regions the server computes. */
async function planned(caller: Omit<Caller, 'requestId'>, text: string, caseInfo?: CaseInfo, deployment: Platform = platform) {
  const { caller: full, document, outcome, regions } = await gate(caller, text);
  expect(outcome.denials).toEqual([]);
  return { document, rules: planRowRules(deployment, full, regions, outcome.decisions, outcome.typesRead, caseInfo) };
}

const printed = (text: string) => print(parse(text));

describe('reservedAlias: a client may not name a field as the gateway names what it injects', () => {
  test.each([
    ['no alias at all', `{ person(idNumber: "${ME}") { name __typename } }`, undefined],
    ['ordinary aliases', `{ me: person(idNumber: "${ME}") { fullName: name } }`, undefined],
    ['an alias that only contains the prefix', `{ person(idNumber: "${ME}") { key__govgraph: idNumber my__govgraph_key: name } }`, undefined],
    ['an alias one underscore short of the prefix', `{ person(idNumber: "${ME}") { _govgraph_key: idNumber } }`, undefined],
    ['the owner alias at the root', '{ __govgraph_owner: serviceItems { code } }', OWNER_ALIAS],
    ['the key alias on a nested field', `{ person(idNumber: "${ME}") { household { __govgraph_key: address } } }`, KEY_ALIAS],
    ['a region alias', '{ cityEvents { nodes { __govgraph_region_0: regionCode } } }', `${REGION_ALIAS}_0`],
    ['any alias under the reserved prefix', '{ cityEvents { nodes { __govgraphX: id } } }', '__govgraphX'],
    ['inside a named fragment', `query { person(idNumber: "${ME}") { ...P } } fragment P on Person { __govgraph_key: name }`, KEY_ALIAS],
    ['inside an inline fragment', `{ person(idNumber: "${ME}") { ... on Person { household { __govgraph_owner: number } } } }`, OWNER_ALIAS],
  ])('%s', (_name, text, expected) => {
    expect(reservedAlias(parse(text))).toBe(expected);
  });

  test('the first reserved alias of the document is named, not a later one', () => {
    const document = parse(`{ a: person(idNumber: "${ME}") { __govgraph_owner: name } b: person(idNumber: "${NEIGHBOUR}") { __govgraph_key: name } }`);
    expect(reservedAlias(document)).toBe(OWNER_ALIAS);
  });

  test('the same parsed document gets the same answer when asked again, with or without a reserved alias', () => {
    const clean = parse('{ serviceItems { code } }');
    const reserved = parse('{ serviceItems { __govgraph_key: code } }');
    for (let i = 0; i < 2; i++) {
      expect(reservedAlias(clean)).toBeUndefined();
      expect(reservedAlias(reserved)).toBe(KEY_ALIAS);
    }
  });
});

describe('needsCase: a case is looked up only when a field was granted under a case-bound purpose', () => {
  test('a case-bound grant needs the case', async () => {
    expect(needsCase((await gate(PREFILL_CASE, `{ person(idNumber: "${ME}") { name } }`)).decisions)).toBe(true);
  });

  test('the same app under its purpose without a case needs none', async () => {
    expect(needsCase((await gate(DESK_QUEUE, '{ applications { nodes { id status } } }')).decisions)).toBe(false);
  });

  test('a case-bound purpose stated without a case id is refused by the access gate and needs no lookup', async () => {
    const { decisions, outcome } = await gate({ app: 'service-hall', purpose: 'PREFILL' }, `{ person(idNumber: "${ME}") { name } }`);
    expect(outcome.denials.map((d) => d.code)).toContain('CASE_REQUIRED');
    expect(needsCase(decisions)).toBe(false);
  });

  test('one case-bound field among fields granted otherwise is enough', async () => {
    // ServiceItem.department is shared unconditionally and granted to the desk only under CASE_QUEUE.
    const { decisions } = await gate(DESK_CASE, '{ application(id: "SQ-1") { item { department } status } }');
    expect(decisions.get('ServiceItem.department')).toMatchObject({ allowed: true, purpose: 'CASE_QUEUE', caseBound: false });
    expect(needsCase(decisions)).toBe(true);
  });
});

describe("operatorMissing: an operator-bound grant opens only the operator's own data", () => {
  const own = `{ person(idNumber: "${ME}") { name } }`;

  test.each([
    ['with an operator: nothing missing', { operator: ME }, undefined],
    ['without an operator: the purpose that needs one', {}, 'SELF_SERVICE'],
    ['an empty operator is no operator', { operator: '' }, 'SELF_SERVICE'],
  ])('%s', async (_name, operator, expected) => {
    const { decisions } = await gate({ ...PORTAL, ...operator }, own);
    expect(operatorMissing(decisions, { ...PORTAL, ...operator, requestId: 'r' })).toBe(expected);
  });

  test('a read under a purpose that is not operator-bound needs no operator', async () => {
    const { decisions } = await gate({ app: 'oneservice-portal', purpose: 'SERVICE_CATALOGUE' }, '{ serviceItems { code name } }');
    expect(operatorMissing(decisions, { app: 'oneservice-portal', requestId: 'r' })).toBeUndefined();
  });

  test('an operator-bound field after fields that are not still needs the operator', async () => {
    const { decisions } = await gate(PORTAL, `{ serviceItems { code } person(idNumber: "${ME}") { name } }`);
    expect([...decisions.values()][0]).toMatchObject({ allowed: true, operatorBound: false });
    expect(operatorMissing(decisions, { app: 'oneservice-portal', requestId: 'r' })).toBe('SELF_SERVICE');
  });
});

describe('namedSubjectDenial: which subjects an argument may name, decided on its value alone', () => {
  const personQuery = 'query($id: IdNumber!) { person(idNumber: $id) { name } }';

  test.each([
    ["the operator names themself", ME, ME, undefined],
    ['the operator names someone else', ME, NEIGHBOUR, "the Person that Query.person(idNumber:) names is not the operator's own data"],
  ])('%s', async (_name, operator, named, expected) => {
    const asked = await gate({ ...PORTAL, operator }, personQuery, { id: named });
    expect(namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, undefined)).toBe(expected);
  });

  test.each([
    ["the case's applicant", ME, undefined],
    ['the next person in the register', NEIGHBOUR, 'the Person that Query.person(idNumber:) names is not part of case SQ-1'],
  ])('under a case-bound purpose: %s', async (_name, named, expected) => {
    const asked = await gate(PREFILL_CASE, personQuery, { id: named });
    expect(namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, CASE)).toBe(expected);
  });

  test('the first named subject outside the case is the one reported', async () => {
    const asked = await gate(PREFILL_CASE, `{ a: person(idNumber: "${ME}") { name } b: person(idNumber: "${NEIGHBOUR}") { name } }`);
    expect(asked.named.map((n) => n.key)).toEqual([ME, NEIGHBOUR]);
    expect(namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, CASE)).toBe('the Person that Query.person(idNumber:) names is not part of case SQ-1');
  });

  test('a String argument declared as carrying a key (verifyCertificate(holder:)) is held to the case like a typed one', async () => {
    const text = readFileSync(join(ROOT, 'contracts', 'apps', 'service-hall.yaml'), 'utf8').replace(
      '      - Query.person(idNumber:)\n',
      '      - Query.person(idNumber:)\n      - Query.verifyCertificate\n      - Query.verifyCertificate(holder:)\n',
    );
    const { contracts, problems } = parseContracts([{ file: 'service-hall.yaml', text }]);
    expect(problems).toEqual([]);
    const withHolder = gateOver(new AccessPolicy(contracts.map((c) => c.contract), policy.catalog, platform), platform);
    const check = async (holder: string) => {
      const asked = await withHolder(PREFILL_CASE, 'query($holder: String!) { verifyCertificate(number: "SF440106202600000001", holder: $holder) { authentic } }', { holder });
      return namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, CASE);
    };
    expect(await check(ME)).toBeUndefined();
    expect(await check(NEIGHBOUR)).toBe('the Person that Query.verifyCertificate(holder:) names is not part of case SQ-1');
    // A value counts as naming each type declared: a firm outside the case is refused as a person would be.
    expect(await check(TIANHE_FIRM)).toBe('the Person that Query.verifyCertificate(holder:) names is not part of case SQ-1');
  });

  test('a deployment whose cases bind only applications lets a case-bound read name any person', async () => {
    const applicationsOnly: Platform = { ...platform, cases: { ...platform.cases!, binds: ['Application'] } };
    const asked = await gate(PREFILL_CASE, personQuery, { id: NEIGHBOUR });
    expect(namedSubjectDenial(applicationsOnly, asked.caller, asked.decisions, asked.named, CASE)).toBeUndefined();
  });

  test('an argument granted without a case-bound purpose may name anyone, even with a case at hand', async () => {
    const asked = await gate(INSPECTION, `{ enterprise(creditCode: "${TIANHE_FIRM}") { name } }`);
    expect(asked.named).toEqual([{ coordinate: 'Query.enterprise(creditCode:)', subject: 'Enterprise', key: TIANHE_FIRM }]);
    expect(namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, CASE)).toBeUndefined();
  });

  test('an argument the access gate refused is not judged again here', async () => {
    // CASE_QUEUE does not grant naming an applicant: the field is refused (and stripped in partial mode).
    const asked = await gate(DESK_QUEUE, `{ applications(applicant: "${NEIGHBOUR}") { totalCount } }`);
    expect(asked.decisions.get('Query.applications(applicant:)')).toMatchObject({ allowed: false });
    expect(namedSubjectDenial(platform, asked.caller, asked.decisions, asked.named, CASE)).toBeUndefined();
  });

  test('a subject the operation does not decide on is not judged', async () => {
    const { caller, decisions } = await gate(DESK_CASE, '{ application(id: "SQ-1") { status } }');
    expect(namedSubjectDenial(platform, caller, decisions, [{ coordinate: 'Query.person(idNumber:)', subject: 'Person', key: NEIGHBOUR }], CASE)).toBeUndefined();
  });
});

describe('planRowRules: what the result gate must check', () => {
  test('an operation touching no region, subject, owner or mask has no row rules', async () => {
    expect((await planned({ app: 'oneservice-portal', purpose: 'SERVICE_CATALOGUE' }, '{ serviceItems { code name } }')).rules).toBeUndefined();
  });

  test("the contract's region binds the region-bound types read, and only those", async () => {
    const { rules } = await planned(OPS, '{ cityEvents { nodes { id } } }');
    expect(rules).toEqual({
      gate: true,
      subjectTypes: new Set(['Person', 'Enterprise']),
      regions: ['4401'],
      regionPaths: new Map([['CityEvent', ['regionCode']]]),
      keyFields: new Map(),
      ownerPaths: new Map(),
      masks: new Map(),
    });
  });

  test("the contract's region and the token's both bind", async () => {
    const { rules } = await planned({ ...OPS, region: '4403' }, '{ cityEvents { nodes { id enterprise { name } } } }');
    expect(rules?.regions).toEqual(['4401', '4403']);
    expect(rules?.regionPaths).toEqual(new Map([['CityEvent', ['regionCode']], ['Enterprise', ['regionCode']]]));
    expect(rules?.keyFields).toEqual(new Map([['Enterprise', 'creditCode']]));
  });

  test('without any region, subjects read are only keyed for the audit: no gate', async () => {
    const { rules } = await planned(INSPECTION, '{ enterprises { nodes { name } } }');
    expect(rules).toEqual({
      gate: false,
      subjectTypes: new Set(['Person', 'Enterprise']),
      regions: [],
      regionPaths: new Map(),
      keyFields: new Map([['Enterprise', 'creditCode']]),
      ownerPaths: new Map(),
      masks: new Map(),
    });
  });

  test("a token region alone binds, and an application's two regions both", async () => {
    const enterprises = await planned({ ...INSPECTION, region: '440106' }, '{ enterprises { nodes { name } } }');
    expect(enterprises.rules).toMatchObject({ gate: true, regions: ['440106'], regionPaths: new Map([['Enterprise', ['regionCode']]]) });
    const applications = await planned({ ...DESK_QUEUE, region: '11' }, '{ applications { nodes { id } } }');
    expect(applications.rules?.regionPaths).toEqual(new Map([['Application', ['acceptingRegion', 'handlingRegion']]]));
  });

  test("an owned row read without region or case is keyed by its owner for the audit: no gate", async () => {
    const { rules } = await planned(DESK_QUEUE, '{ applications { nodes { id status } } }');
    expect(rules).toEqual({
      gate: false,
      subjectTypes: new Set(['Person', 'Enterprise']),
      regions: [],
      regionPaths: new Map(),
      keyFields: new Map(),
      ownerPaths: new Map([['Application', ['applicant.idNumber']]]),
      masks: new Map(),
    });
  });

  test('masked grants alone make the gate run', async () => {
    const { rules } = await planned(LEGAL_REP, `{ enterprise(creditCode: "${TIANHE_FIRM}") { legalRepresentative { name idNumber phone } } }`);
    expect(rules).toMatchObject({ gate: true, regions: [], regionPaths: new Map() });
    expect(rules?.masks).toEqual(new Map([['Person.name', 'NAME'], ['Person.idNumber', 'ID_NUMBER'], ['Person.phone', 'PHONE']]));
    expect(rules?.keyFields).toEqual(new Map([['Enterprise', 'creditCode'], ['Person', 'idNumber']]));
    expect(rules).not.toHaveProperty('case');
    expect(rules).not.toHaveProperty('operator');
  });

  test('a deployment that keys no subjects, regions or owners still masks: masks alone are row rules', async () => {
    const masksOnly: Platform = { ...platform, regionOf: {}, subjectKeys: {}, ownerOf: {} };
    const { rules } = await planned(LEGAL_REP, `{ enterprise(creditCode: "${TIANHE_FIRM}") { legalRepresentative { name } } }`, undefined, masksOnly);
    expect(rules).toMatchObject({ gate: true, keyFields: new Map(), regionPaths: new Map(), ownerPaths: new Map(), masks: new Map([['Person.name', 'NAME']]) });
  });

  test('a case alone makes the gate run; the case type is keyed only when read', async () => {
    const person = await planned(PREFILL_CASE, `{ person(idNumber: "${ME}") { name } }`, CASE);
    expect(person.rules).toMatchObject({ gate: true, masks: new Map(), regionPaths: new Map(), keyFields: new Map([['Person', 'idNumber']]) });
    expect(person.rules?.case).toEqual({ info: CASE, type: 'Application', binds: new Set(['Person', 'Application']) });
    const application = await planned(DESK_CASE, '{ application(id: "SQ-1") { status applicant { name } } }', CASE);
    expect(application.rules?.keyFields).toEqual(new Map([['Person', 'idNumber'], ['Application', 'id']]));
    expect(application.rules?.ownerPaths).toEqual(new Map([['Application', ['applicant.idNumber']]]));
  });

  test('without a case, or on a deployment without cases, there is no case rule', async () => {
    const text = '{ application(id: "SQ-1") { status } }';
    const { caller, outcome } = await gate(DESK_CASE, text);
    const noCase = planRowRules(platform, caller, [], outcome.decisions, outcome.typesRead, undefined);
    expect(noCase).toMatchObject({ gate: false, keyFields: new Map() });
    expect(noCase).not.toHaveProperty('case');
    const { cases: _cases, ...withoutCases } = platform;
    const elsewhere = planRowRules(withoutCases, caller, [], outcome.decisions, outcome.typesRead, CASE);
    expect(elsewhere).toMatchObject({ gate: true, keyFields: new Map() });
    expect(elsewhere).not.toHaveProperty('case');
  });

  test("an operator-bound grant alone makes the gate run, for the token's operator", async () => {
    const { rules } = await planned({ ...PORTAL, operator: ME }, `{ person(idNumber: "${ME}") { name } }`);
    expect(rules).toMatchObject({ gate: true, masks: new Map(), regionPaths: new Map(), operator: { type: 'Person', id: ME } });
  });

  test("an operator-bound grant without an operator in the token opens no one's data", async () => {
    const { caller, outcome } = await gate(PORTAL, `{ person(idNumber: "${ME}") { name } }`);
    expect(planRowRules(platform, caller, [], outcome.decisions, outcome.typesRead, undefined)?.operator).toEqual({ type: 'Person', id: '' });
  });

  test('a grant that is not operator-bound has no operator rule, even with an operator in the token', async () => {
    const { rules } = await planned({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', operator: ME }, '{ applications { nodes { id } } }');
    expect(rules).not.toHaveProperty('operator');
  });

  test('refused fields add no mask', async () => {
    const { caller, outcome } = await gate({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${TIANHE_FIRM}") { name legalRepresentative { name } } }`);
    expect(outcome.decisions.get('Person.name')).toMatchObject({ allowed: false });
    expect(planRowRules(platform, caller, [], outcome.decisions, outcome.typesRead, undefined)?.masks).toEqual(new Map());
  });
});

describe('ownersOfRow: the owner keys read through the injected owner paths', () => {
  test.each<[string, Record<string, unknown>, string[], string[]]>([
    ['the applicant of an application', { [OWNER_0]: { idNumber: ME } }, ['applicant.idNumber'], [ME]],
    ['a path of one field: the value itself', { [OWNER_0]: ME }, ['applicantId'], [ME]],
    ['a deeper path', { [OWNER_0]: { household: { head: NEIGHBOUR } } }, ['applicant.household.head'], [NEIGHBOUR]],
    ['no applicant', { [OWNER_0]: null }, ['applicant.idNumber'], []],
    ['a null step on a deeper path', { [OWNER_0]: { household: null } }, ['applicant.household.head'], []],
    ['no owner fetched', { id: 'SQ-1' }, ['applicant.idNumber'], []],
    ['a key that is not a string', { [OWNER_0]: { idNumber: 110101199003070011 } }, ['applicant.idNumber'], []],
    ['a path that stops at an object', { [OWNER_0]: { idNumber: ME } }, ['applicant'], []],
    ['a licence: its holder and its representative, each by its own alias', { [OWNER_0]: TIANHE_FIRM, [OWNER_1]: ME }, ['holderKey', 'representativeKey'], [TIANHE_FIRM, ME]],
    ["a person's certificate: no representative", { [OWNER_0]: ME, [OWNER_1]: null }, ['holderKey', 'representativeKey'], [ME]],
    ['a second path is read from the second alias only', { [OWNER_0]: TIANHE_FIRM, [OWNER_ALIAS]: ME }, ['holderKey', 'representativeKey'], [TIANHE_FIRM]],
  ])('%s', (_name, row, paths, expected) => {
    expect(ownersOfRow(row, paths)).toEqual(expected);
  });
});

describe('collectAndStripKeys: injected keys and owners are read for the audit and never answered', () => {
  test('keys and owners in nested arrays and objects are collected and removed; everything else stays', () => {
    const data = {
      applications: {
        nodes: [
          { id: 'SQ-1', [OWNER_0]: { idNumber: ME }, enterprise: { name: '广州天河食品有限公司', [KEY_ALIAS]: TIANHE_FIRM } },
          null,
          { id: 'SQ-2', [OWNER_0]: { idNumber: NEIGHBOUR }, enterprise: null, timeline: [[{ note: '受理', actor: { [KEY_ALIAS]: ME } }]] },
        ],
      },
      count: 2,
    };
    const subjects = new Set<string>();
    collectAndStripKeys(data, subjects);
    expect([...subjects].sort()).toEqual([ME, NEIGHBOUR, TIANHE_FIRM].sort());
    expect(JSON.parse(JSON.stringify(data))).toEqual({
      applications: {
        nodes: [{ id: 'SQ-1', enterprise: { name: '广州天河食品有限公司' } }, null, { id: 'SQ-2', enterprise: null, timeline: [[{ note: '受理', actor: {} }]] }],
      },
      count: 2,
    });
  });

  test('a key or owner that is null is removed and records no one', () => {
    const row = { person: { name: '王芳', [KEY_ALIAS]: null, [OWNER_0]: null } };
    const subjects = new Set<string>();
    collectAndStripKeys(row, subjects);
    expect(subjects.size).toBe(0);
    expect(row.person[KEY_ALIAS]).toBeUndefined();
    expect(row.person[OWNER_0]).toBeUndefined();
    expect(JSON.stringify(row)).toBe('{"person":{"name":"王芳"}}');
  });

  test('an owner read through a list or as a bare key records every person in it', () => {
    const rows = [
      { id: 'SQ-1', [OWNER_0]: [{ idNumber: ME }, { idNumber: NEIGHBOUR }, { idNumber: null }] },
      { id: 'SQ-3', [OWNER_0]: TIANHE_FIRM },
    ];
    const subjects = new Set<string>();
    collectAndStripKeys(rows, subjects);
    expect([...subjects].sort()).toEqual([ME, NEIGHBOUR, TIANHE_FIRM].sort());
    expect(JSON.parse(JSON.stringify(rows))).toEqual([{ id: 'SQ-1' }, { id: 'SQ-3' }]);
  });

  test('a row with several owner paths records every owner, a null one included in what is removed', () => {
    const certificates = [
      { number: 'YZ1', [OWNER_0]: TIANHE_FIRM, [OWNER_1]: ME },
      { number: 'SF1', [OWNER_0]: NEIGHBOUR, [OWNER_1]: null },
    ];
    const subjects = new Set<string>();
    collectAndStripKeys(certificates, subjects);
    expect([...subjects].sort()).toEqual([ME, NEIGHBOUR, TIANHE_FIRM].sort());
    expect(JSON.parse(JSON.stringify(certificates))).toEqual([{ number: 'YZ1' }, { number: 'SF1' }]);
  });

  test('a row the gateway injected nothing into is left exactly as it was', () => {
    const data = { serviceItems: [{ code: 'SC-QYKB-001', name: '企业开办', modes: ['FULL_ONLINE', 'PROXY'] }], cityEvent: { id: 'E1', grid: null } };
    const before = structuredClone(data);
    const subjects = new Set<string>();
    collectAndStripKeys(data, subjects);
    expect(data).toStrictEqual(before);
    expect(subjects.size).toBe(0);
  });

  test('a non-string key is removed but records nothing; no data, or a bare value, records nothing', () => {
    const row: Record<string, unknown> = { [KEY_ALIAS]: 42, name: '王芳' };
    const subjects = new Set<string>();
    collectAndStripKeys(row, subjects);
    collectAndStripKeys(null, subjects);
    collectAndStripKeys('110101199003070011', subjects);
    collectAndStripKeys([null, 7, ME], subjects);
    expect(subjects.size).toBe(0);
    expect(JSON.stringify(row)).toBe('{"name":"王芳"}');
  });
});

describe('injectRowFields: what the rewritten document fetches for the result gate', () => {
  const inject = async (caller: Omit<Caller, 'requestId'>, text: string, caseInfo?: CaseInfo) => {
    const { document, rules } = await planned(caller, text, caseInfo);
    return print(injectRowFields(document, schema, rules!));
  };

  test("a person's key and household region, under a case and a token region", async () => {
    expect(await inject({ ...PREFILL_CASE, region: '11' }, `{ person(idNumber: "${ME}") { name } }`, CASE)).toBe(
      printed(`{ person(idNumber: "${ME}") { name __govgraph_key: idNumber __govgraph_region_0: household { regionCode } } }`),
    );
  });

  test("an application's key, owner and both regions; connections get nothing", async () => {
    expect(await inject({ ...DESK_CASE, region: '11' }, '{ application(id: "SQ-1") { status } }', CASE)).toBe(
      printed('{ application(id: "SQ-1") { status __govgraph_key: id __govgraph_owner_0: applicant { idNumber } __govgraph_region_0: acceptingRegion __govgraph_region_1: handlingRegion } }'),
    );
    expect(await inject(DESK_QUEUE, '{ applications { totalCount nodes { id } } }')).toBe(
      printed('{ applications { totalCount nodes { id __govgraph_owner_0: applicant { idNumber } } } }'),
    );
  });

  test("a certificate read for a citizen: both owner paths, each under its own alias, wherever a certificate is read", async () => {
    const operator = { ...PORTAL, operator: ME };
    const { rules } = await planned(operator, '{ certificate(number: "YZ1") { number } }');
    expect(rules).toMatchObject({ gate: true, operator: { type: 'Person', id: ME }, ownerPaths: new Map([['Certificate', ['holderKey', 'representativeKey']]]) });
    expect(await inject(operator, '{ certificate(number: "YZ1") { number } }')).toBe(
      printed('{ certificate(number: "YZ1") { number __govgraph_owner_0: holderKey __govgraph_owner_1: representativeKey } }'),
    );
    // Through the holder union and back to the enterprise's certificates: each certificate carries its owners.
    expect(await inject(operator, '{ certificate(number: "YZ1") { holder { ... on Enterprise { certificates { number } } } } }')).toBe(
      printed(
        `{ certificate(number: "YZ1") {
            holder { ... on Enterprise { certificates { number __govgraph_owner_0: holderKey __govgraph_owner_1: representativeKey } __govgraph_key: creditCode }
              __typename ... on Enterprise { __govgraph_key: creditCode } }
            __govgraph_owner_0: holderKey __govgraph_owner_1: representativeKey } }`,
      ),
    );
  });

  test('inside named and inline fragments and nested rows, each selection set of a checked type', async () => {
    const text = `query { enterprise(creditCode: "${TIANHE_FIRM}") { ...Firm } } fragment Firm on Enterprise { name ... on Enterprise { legalRepresentative { name } } }`;
    expect(await inject(LEGAL_REP, text)).toBe(
      printed(
        `query { enterprise(creditCode: "${TIANHE_FIRM}") { ...Firm __govgraph_key: creditCode } }
         fragment Firm on Enterprise { name ... on Enterprise { legalRepresentative { name __govgraph_key: idNumber } __govgraph_key: creditCode } __govgraph_key: creditCode }`,
      ),
    );
  });

  test('executed, the rewritten document answers under the names the result gate and the audit read', async () => {
    const { document, rules } = await planned({ ...DESK_CASE, region: '11' }, '{ application(id: "SQ-1") { status applicant { name } } }', CASE);
    const application = { id: 'SQ-1', status: 'IN_REVIEW', acceptingRegion: '110101', handlingRegion: '440106', applicant: { idNumber: ME, name: '王芳', household: { regionCode: '110101' } } };
    const result = await execute({ schema, document: injectRowFields(document, schema, rules!), rootValue: { application: () => application } });
    expect(result).toEqual({
      data: {
        application: {
          status: 'IN_REVIEW',
          applicant: { name: '王芳', [KEY_ALIAS]: ME, [`${REGION_ALIAS}_0`]: { regionCode: '110101' } },
          [KEY_ALIAS]: 'SQ-1',
          [OWNER_0]: { idNumber: ME },
          [`${REGION_ALIAS}_0`]: '110101',
          [`${REGION_ALIAS}_1`]: '440106',
        },
      },
    });
    const row = (result.data as { application: Record<string, unknown> }).application;
    expect(ownersOfRow(row, rules!.ownerPaths.get('Application')!)).toEqual([ME]);
  });

  test('a document with nothing to add is returned as it is, so it keeps its plan', async () => {
    const { document, rules } = await planned(OPS, '{ cityEvents { nodes { id } } }');
    const unchecked = parse('{ grids(regionCode: "440106") { code name } }');
    expect(injectRowFields(unchecked, schema, rules!)).toBe(unchecked);
    expect(injectRowFields(document, schema, rules!)).not.toBe(document);
  });

  test('a field unknown to the schema gets nothing', async () => {
    const { rules } = await planned(OPS, '{ cityEvents { nodes { id } } }');
    const unknown = parse('{ nowhere { id } }');
    expect(injectRowFields(unknown, schema, rules!)).toBe(unknown);
  });
});

describe('injectRowFields under abstract types (the library deployment: interfaces and a union)', () => {
  const library = join(ROOT, 'tests', 'fixtures', 'library');
  const composed = composeServices(['catalog', 'people', 'reviews'].map((name) => ({ name, typeDefs: parse(readFileSync(join(library, `${name}.graphql`), 'utf8')) })));
  const catalog = buildCatalog(composed.supergraphSdl!);
  // A library that records whose data it released: its authors are its data subjects.
  const withAuthors = platformSchema.parse({ subjectKeys: { Author: 'id' } });
  const libraryPolicy = new AccessPolicy(loadContracts(join(library, 'contracts')).contracts.map((c) => c.contract), catalog, withAuthors);
  const libraryGate = gateOver(libraryPolicy, withAuthors);
  const api: GraphQLSchema = catalog.apiSchema;

  test('the key on the concrete type only, and no __typename the client did not ask for when no gate runs', async () => {
    const text = '{ search(term: "红楼") { ... on Book { title author { name } } } media { title } }';
    const { caller, document, outcome } = await libraryGate({ app: 'reader', purpose: 'READ' }, text);
    expect(outcome.denials).toEqual([]);
    const rules = planRowRules(withAuthors, caller, [], outcome.decisions, outcome.typesRead, undefined)!;
    expect(rules).toMatchObject({ gate: false, keyFields: new Map([['Author', 'id']]) });
    expect(print(injectRowFields(document, api, rules))).toBe(
      printed('{ search(term: "红楼") { ... on Book { title author { name __govgraph_key: id } } } media { title } }'),
    );
    const book = { __typename: 'Book', id: 'b1', title: '红楼梦', author: { id: 'a1', name: '曹雪芹' } };
    const result = await execute({ schema: api, document: injectRowFields(document, api, rules), rootValue: { search: () => [book], media: () => [book] } });
    expect(result).toEqual({ data: { search: [{ title: '红楼梦', author: { name: '曹雪芹', [KEY_ALIAS]: 'a1' } }], media: [{ title: '红楼梦' }] } });
    // What the client gets once the keys are read off: exactly the shape it asked for.
    const subjects = new Set<string>();
    collectAndStripKeys(result.data, subjects);
    expect(JSON.parse(JSON.stringify(result.data))).toEqual({ search: [{ title: '红楼梦', author: { name: '曹雪芹' } }], media: [{ title: '红楼梦' }] });
    expect([...subjects]).toEqual(['a1']);
  });

  test('when the gate runs, __typename is read under the abstract types for it to judge each row by its type', async () => {
    const { caller, document, outcome } = await libraryGate({ app: 'reader', purpose: 'READ' }, '{ search(term: "红楼") { ... on Book { author { name } } } media { title } }');
    const rules = planRowRules(withAuthors, caller, [], outcome.decisions, outcome.typesRead, undefined)!;
    expect(print(injectRowFields(document, api, { ...rules, gate: true }))).toBe(
      printed('{ search(term: "红楼") { ... on Book { author { name __govgraph_key: id } } __typename } media { title __typename } }'),
    );
  });

  test('a row reached through the union or the interface without a fragment on its type is still read with its key', async () => {
    // Books as data subjects: a search that asks only __typename still tells whose row exists.
    const withBooks = platformSchema.parse({ subjectKeys: { Book: 'id' } });
    const gate = gateOver(new AccessPolicy(loadContracts(join(library, 'contracts')).contracts.map((c) => c.contract), catalog, withBooks), withBooks);
    const { caller, document, outcome } = await gate({ app: 'reader', purpose: 'READ' }, '{ search(term: "红楼") { __typename } media { id } }');
    const rules = planRowRules(withBooks, caller, [], outcome.decisions, outcome.typesRead, undefined)!;
    expect(print(injectRowFields(document, api, rules))).toBe(
      printed('{ search(term: "红楼") { __typename ... on Book { __govgraph_key: id } } media { id ... on Book { __govgraph_key: id } } }'),
    );
    const book = { __typename: 'Book', id: 'b1' };
    const result = await execute({ schema: api, document: injectRowFields(document, api, rules), rootValue: { search: () => [book], media: () => [book] } });
    expect(result.data).toEqual({ search: [{ __typename: 'Book', [KEY_ALIAS]: 'b1' }], media: [{ id: 'b1', [KEY_ALIAS]: 'b1' }] });
  });
});
