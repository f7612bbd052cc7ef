/**
 * Each row rule and purpose rule at its boundary: beside what a caller may read, the row or purpose that
 * differs from it least — another city of the same province, the next district to the token's, a token
 * region outside the contract's, another citizen's application, the same app under its other purpose — is
 * refused, at the gateway and by the department asked directly with a gateway token.
 */
import type { Caller } from '../contracts/caller';
import { departmentCall, type DepartmentCall, type DepartmentResponse } from './support/department-call';
import { startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let direct: DepartmentCall;
/** A city event in each place: two districts of Guangzhou, and Shenzhen (same province, another city). */
let events: { tianhe: string; liwan: string; shenzhen: string };
let openCase: { id: string; applicant: string };
/** Two citizens' own applications. */
let mine: { id: string; applicant: string };
let theirs: { id: string; applicant: string };
/** A Guangzhou event about an enterprise whose legal representative's household is in Guangzhou too. */
let contactEvent: string;
let guangzhouPerson: string;

beforeAll(async () => {
  graph = await startGraph();
  direct = await departmentCall(graph, 'boundary');
  const { body } = await graph.query(`{
    tianhe: cityEvents(regionCode: "440106", first: 1) { nodes { id } }
    liwan: cityEvents(regionCode: "440103", first: 1) { nodes { id } }
    shenzhen: cityEvents(regionCode: "440300", first: 1) { nodes { id } }
    open: applications(status: IN_PROGRESS, first: 1) { nodes { id applicant { idNumber } } }
    submitted: applications(first: 40) { nodes { id applicant { idNumber } } }
    guangzhou: cityEvents(regionCode: "440100", first: 100) { nodes { id enterprise { legalRepresentative { idNumber household { regionCode } } } } }
  }`);
  expect(body.errors).toBeUndefined();
  events = { tianhe: body.data.tianhe.nodes[0].id, liwan: body.data.liwan.nodes[0].id, shenzhen: body.data.shenzhen.nodes[0].id };
  openCase = { id: body.data.open.nodes[0].id, applicant: body.data.open.nodes[0].applicant.idNumber };
  const applications = (body.data.submitted.nodes as Array<{ id: string; applicant: { idNumber: string } }>).map((a) => ({ id: a.id, applicant: a.applicant.idNumber }));
  mine = applications[0]!;
  theirs = applications.find((a) => a.applicant !== mine.applicant)!;
  const contact = (body.data.guangzhou.nodes as Array<{ id: string; enterprise: { legalRepresentative: { idNumber: string; household: { regionCode: string } | null } } | null }>).find((e) =>
    e.enterprise?.legalRepresentative.household?.regionCode.startsWith('4401'),
  )!;
  contactEvent = contact.id;
  guangzhouPerson = contact.enterprise!.legalRepresentative.idNumber;
});
afterAll(() => graph.stop());

const forbiddenAt = (body: DepartmentResponse['body'] | GraphQLResponse['body']) => (body.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN').map((e) => e.path);

describe('region: city-ops-center, whose contract binds it to Guangzhou (4401)', () => {
  const app = 'city-ops-center';
  const purpose = 'CITY_OPERATIONS';
  const eventQuery = (id: string) => `{ cityEvent(id: "${id}") { id description } }`;
  /** Which of the three events a caller sees, each asked for by id; a withheld one must look like one that does not exist. */
  async function seen(ask: (query: string) => Promise<{ body: GraphQLResponse['body'] | DepartmentResponse['body'] }>) {
    const absent = (await ask(eventQuery('EV-NOT-THERE'))).body;
    const shown: string[] = [];
    for (const [place, id] of Object.entries(events)) {
      const { body } = await ask(eventQuery(id));
      if (body.data?.cityEvent?.id === id) shown.push(place);
      else expect({ place, body }).toEqual({ place, body: absent });
    }
    expect(absent).toMatchObject({ data: { cityEvent: null } });
    expect(forbiddenAt(absent)).toEqual([['cityEvent']]);
    return shown;
  }

  const cases: Array<[string, string | undefined, string[]]> = [
    ["no token region: the contract's city, not another city of the same province", undefined, ['tianhe', 'liwan']],
    ["a token narrower than the contract: the token's district, not the next one in the same city", '440106', ['tianhe']],
    ["a token outside the contract: nothing, neither the contract's rows nor the token's", '4403', []],
    ['a token wider than the contract widens nothing', '44', ['tianhe', 'liwan']],
  ];

  test.each(cases)('at the gateway, %s', async (_name, region, expected) => {
    const caller = { app, purpose, ...(region && { region }) };
    expect(await seen((query) => graph.queryAs(caller, query))).toEqual(expected);
    // A list narrowed at the source: another city asked for by its code yields nothing, a district outside the token's neither.
    const counts = await graph.queryAs(caller, '{ shenzhen: cityEvents(regionCode: "440300") { totalCount } liwan: cityEvents(regionCode: "440103") { totalCount } }');
    expect(counts.body.data.shenzhen.totalCount).toBe(0);
    expect(counts.body.data.liwan.totalCount > 0).toBe(expected.includes('liwan'));
  });

  test.each(cases)('at the department, with the regions the gateway sends: %s', async (_name, region, expected) => {
    const caller = { app, purpose, ...(region && { region }), regions: ['4401', ...(region ? [region] : [])] };
    expect(await seen((query) => direct('city-operations', caller, query))).toEqual(expected);
  });

  test.each(cases)('at the department, with a token naming only its own region (the department adds the contract\'s): %s', async (_name, region, expected) => {
    const caller = { app, purpose, ...(region && { region }) };
    expect(await seen((query) => direct('city-operations', caller, query))).toEqual(expected);
    const list = await direct('city-operations', caller, '{ cityEvents(regionCode: "440300") { totalCount nodes { id } } }');
    expect(list.body.data.cityEvents).toEqual({ totalCount: 0, nodes: [] });
  });
});

describe("operator: oneservice-portal under SELF_SERVICE, a citizen's own applications at the service hall", () => {
  const portal = (operator?: string): Omit<Caller, 'requestId'> => ({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', ...(operator !== undefined && { operator }) });
  const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { id status } } }';
  const both = () => ({ r: [{ __typename: 'Application', id: mine.id }, { __typename: 'Application', id: theirs.id }] });

  test.each([
    ['its applicant sees their own and not the other citizen\'s', () => mine.applicant, () => [mine.id, null]],
    ['the other citizen sees theirs and not the first one\'s', () => theirs.applicant, () => [null, theirs.id]],
    ['no operator sees neither', () => undefined, () => [null, null]],
  ])('%s', async (_name, operator, expected) => {
    const response = await direct('service-hall', portal(operator()), query, both());
    const ids = (response.body.data._entities as Array<{ id: string } | null>).map((a) => a?.id ?? null);
    expect(ids).toEqual(expected());
    expect(forbiddenAt(response.body)).toEqual(ids.flatMap((id, i) => (id === null ? [['_entities', i]] : [])));
  });

  test('an empty operator is no operator at all: the token is refused whole', async () => {
    const response = await direct('service-hall', portal(''), query, both());
    expect(response.status).toBe(401);
    expect(response.body.data).toBeUndefined();
  });
});

describe('purpose: a conditionally shared field, without a purpose, under its own, and under the same app\'s other purpose', () => {
  interface PurposeRule {
    app: string;
    purpose: string;
    /** A purpose of the same contract, in force, that does not grant the field. */
    other: string;
    coordinate: string;
    query: () => string;
    /** What else the caller states (an operator, a case), the same under every purpose. */
    caller?: () => Partial<Omit<Caller, 'requestId'>>;
  }
  const rules: PurposeRule[] = [
    { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', other: 'MARKET_INSPECTION', coordinate: 'Enterprise.legalRepresentative', query: () => '{ enterprises(first: 1) { nodes { name legalRepresentative { name } } } }' },
    { app: 'city-ops-center', purpose: 'EVENT_ENTERPRISE_CONTACT', other: 'CITY_OPERATIONS', coordinate: 'Enterprise.legalRepresentative', query: () => `{ cityEvent(id: "${contactEvent}") { id enterprise { name legalRepresentative { name phone } } } }` },
    { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', other: 'CASE_QUEUE', coordinate: 'Application.applicant', query: () => `{ application(id: "${openCase.id}") { id applicant { name } } }`, caller: () => ({ caseId: openCase.id }) },
    { app: 'oneservice-portal', purpose: 'SELF_SERVICE', other: 'SERVICE_CATALOGUE', coordinate: 'Person.name', query: () => `{ person(idNumber: "${mine.applicant}") { name } }`, caller: () => ({ operator: mine.applicant }) },
    { app: 'auditor', purpose: 'AUDIT_REVIEW', other: 'GOVERNANCE_STATISTICS', coordinate: 'Query.auditRecords', query: () => '{ auditRecords(first: 1) { nodes { seq } } }' },
  ];
  const ask = (rule: PurposeRule, purpose?: string) => graph.queryAs({ app: rule.app, ...rule.caller?.(), ...(purpose && { purpose }) }, rule.query());
  /** Refused whole, before any department is asked, with the field's own error naming the purposes that grant it. */
  const expectPurposeRequired = (response: GraphQLResponse, rule: PurposeRule) => {
    expect(response.status).toBe(403);
    expect(response.body.data).toBeUndefined();
    // One error for every field the same purposes would grant, listing them and the purposes.
    const error = response.body.errors!.find((e) => e.extensions?.['coordinates']?.includes(rule.coordinate));
    expect(error).toMatchObject({ message: expect.stringContaining(rule.purpose), extensions: { code: 'PURPOSE_REQUIRED', purposes: expect.arrayContaining([rule.purpose]) } });
    expect(error!.extensions!['purposes']).not.toContain(rule.other);
  };

  describe.each(rules)('$app: $coordinate', (rule) => {
    test('without a purpose it is refused', async () => {
      expectPurposeRequired(await ask(rule), rule);
    });

    test(`under ${rule.purpose} it is read`, async () => {
      const response = await ask(rule, rule.purpose);
      expect(response.body.errors).toBeUndefined();
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body.data)).not.toMatch(/null/);
    });

    test(`under ${rule.other}, the same app's other purpose, it is refused`, async () => {
      expectPurposeRequired(await ask(rule, rule.other), rule);
    });
  });

  /** The same at public security, which holds Person.name, asked directly: it applies the purpose rule itself. */
  interface DepartmentPurposeRule {
    caller: () => Omit<Caller, 'requestId' | 'purpose'>;
    purpose: string;
    other: string;
    /** Someone the caller may read under its purpose: its row rules let them through. */
    person: () => string;
  }
  // Not Application.applicant at the service hall: it is the ownerOf path, which a department releases to any caller granted a field of the application (docs/security.md, known limits).
  const departmentRules: Array<[string, DepartmentPurposeRule]> = [
    ['market-supervision', { caller: () => ({ app: 'market-supervision' }), purpose: 'LEGAL_REPRESENTATIVE_CHECK', other: 'MARKET_INSPECTION', person: () => guangzhouPerson }],
    ['city-ops-center', { caller: () => ({ app: 'city-ops-center', regions: ['4401'] }), purpose: 'EVENT_ENTERPRISE_CONTACT', other: 'CITY_OPERATIONS', person: () => guangzhouPerson }],
    ['oneservice-portal', { caller: () => ({ app: 'oneservice-portal', operator: mine.applicant }), purpose: 'SELF_SERVICE', other: 'SERVICE_CATALOGUE', person: () => mine.applicant }],
    ['crossprovince-desk', { caller: () => ({ app: 'crossprovince-desk', caseId: openCase.id, caseSubjects: [openCase.applicant] }), purpose: 'CROSS_PROVINCE_CASE', other: 'CASE_QUEUE', person: () => openCase.applicant }],
  ];

  test.each(departmentRules)('%s at public security: Person.name refused without a purpose and under the other, read under its own', async (_name, rule) => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name } } }';
    const call = (purpose?: string) => direct('public-security', { ...rule.caller(), ...(purpose && { purpose }) }, query, { r: [{ __typename: 'Person', idNumber: rule.person() }] });
    const own = await call(rule.purpose);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data._entities).toEqual([{ name: expect.any(String) }]);
    for (const purpose of [undefined, rule.other]) {
      const refused = await call(purpose);
      expect({ purpose, body: refused.body }).toEqual({
        purpose,
        body: { data: { _entities: [{ name: null }] }, errors: [expect.objectContaining({ path: ['_entities', 0, 'name'], extensions: { code: 'PURPOSE_REQUIRED' } })] },
      });
    }
  });
});

describe('the fields the gateway joins and checks rows on, asked of a department directly', () => {
  const ownerAndRegion = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { applicant { idNumber } acceptingRegion } } }';
  const askServiceHall = (caller: Omit<Caller, 'requestId'>) => direct('service-hall', caller, ownerAndRegion, { r: [{ __typename: 'Application', id: openCase.id }] });

  test.each<[string, () => Omit<Caller, 'requestId'>]>([
    ['market supervision, whose grant of applications has lapsed', () => ({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' })],
    ['the auditor under its statistics purpose', () => ({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' })],
  ])('%s gets neither the applicant nor the region', async (_name, caller) => {
    const { body } = await askServiceHall(caller());
    expect(JSON.stringify(body.data)).not.toContain(openCase.applicant);
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(expect.arrayContaining(['FORBIDDEN']));
  });

  test('the desk under its case purpose, granted the application, gets them: the gateway checks the case and audits the applicant on them', async () => {
    const { body } = await askServiceHall({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id, caseSubjects: [openCase.applicant] });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([{ applicant: { idNumber: openCase.applicant }, acceptingRegion: expect.stringMatching(/^\d{6}$/) }]);
  });
});

describe('a department binds its keys and row paths as the grants that open them', () => {
  const keysOnly = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { id acceptingRegion applicant { idNumber } } } }';
  const ask = (caller: Omit<Caller, 'requestId'>, id: string) => direct('service-hall', caller, keysOnly, { r: [{ __typename: 'Application', id }] });

  test("a citizen's portal session gets its own application's keys, never another citizen's", async () => {
    const portal = (operator: string) => ({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator });
    const own = await ask(portal(mine.applicant), mine.id);
    expect(own.body.data._entities).toEqual([{ id: mine.id, acceptingRegion: expect.any(String), applicant: { idNumber: mine.applicant } }]);
    const other = await ask(portal(mine.applicant), theirs.id);
    expect(JSON.stringify(other.body.data)).not.toContain(theirs.applicant);
    expect(other.body.data._entities).toEqual([null]);
    const nobody = await ask({ app: 'oneservice-portal', purpose: 'SELF_SERVICE' }, mine.id);
    expect(JSON.stringify(nobody.body.data)).not.toContain(mine.applicant);
  });

  test("the desk within a case gets the case's keys, not another application's", async () => {
    const desk = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id, caseSubjects: [openCase.applicant] };
    const other = [mine, theirs].find((a) => a.id !== openCase.id && a.applicant !== openCase.applicant)!;
    const answer = await ask(desk, other.id);
    expect(JSON.stringify(answer.body.data)).not.toContain(other.applicant);
    expect(answer.body.data._entities).toEqual([null]);
  });
});
