/**
 * The demo apps' contracts, enforced end to end: allowed, denied, masked, purpose and case required,
 * region-limited, expired — at the gateway before planning, on the rows after, and in the departments.
 */
import { departmentCall, type DepartmentCall } from './support/department-call';
import { isIdNumber } from '../subgraphs/kit/identifiers';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let openCase: { id: string; applicant: string };
let closedCase: string;
/** An event of Guangzhou (4401), the city-ops-center's contract region, and one of Shenzhen (4403), another city of its province. */
let events: { guangzhou: string; shenzhen: string };

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query(`{
    open: applications(status: IN_PROGRESS, first: 1) { nodes { id applicant { idNumber } } }
    closed: applications(status: APPROVED, first: 1) { nodes { id } }
    guangzhou: cityEvents(regionCode: "440100", first: 1) { nodes { id } }
    shenzhen: cityEvents(regionCode: "440300", first: 1) { nodes { id } }
  }`);
  openCase = { id: body.data.open.nodes[0].id, applicant: body.data.open.nodes[0].applicant.idNumber };
  closedCase = body.data.closed.nodes[0].id;
  events = { guangzhou: body.data.guangzhou.nodes[0].id, shenzhen: body.data.shenzhen.nodes[0].id };
});
afterAll(() => graph.stop());

const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.['code']);
const coordinates = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.['coordinate']);

function expectRefused(response: GraphQLResponse, code: string, coordinate: string, message?: RegExp) {
  expect(response.status).toBe(403);
  expect(response.body.data).toBeUndefined();
  // A PURPOSE_REQUIRED error stands for every field the same purposes would grant: it lists them in `coordinates`.
  const error = response.body.errors!.find((e) => e.extensions?.['coordinate'] === coordinate || e.extensions?.['coordinates']?.includes(coordinate));
  expect(error?.extensions?.['code']).toBe(code);
  expect((error!.path ?? error!.extensions!['paths'][0]).length).toBeGreaterThan(0);
  if (message) expect(error!.message).toMatch(message);
}

describe('market-supervision', () => {
  const app = 'market-supervision';

  test('reads public registration data without stating a purpose', async () => {
    const response = await graph.queryAs({ app }, '{ enterprises(first: 3) { totalCount nodes { creditCode name status licences { kind } penalties { amount } } } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.enterprises.nodes).toHaveLength(3);
  });

  test('never reads a field its department does not share (NONE), whatever it asks', async () => {
    const response = await graph.queryAs({ app, purpose: 'MARKET_INSPECTION' }, '{ enterprises(first: 1) { nodes { name riskRating } } }');
    expectRefused(response, 'FORBIDDEN', 'Enterprise.riskRating', /not shared by its department/);
    expect(response.body.errors![0]!.path).toEqual(['enterprises', 'nodes', 'riskRating']);
  });

  test('needs X-Purpose for conditionally shared data', async () => {
    const response = await graph.queryAs({ app }, '{ enterprises(first: 1) { nodes { legalRepresentative { name } } } }');
    expectRefused(response, 'PURPOSE_REQUIRED', 'Enterprise.legalRepresentative', /LEGAL_REPRESENTATIVE_CHECK/);
    // One error for the two fields the one purpose would grant, naming it.
    expect(response.body.errors).toMatchObject([{ extensions: { code: 'PURPOSE_REQUIRED', purposes: ['LEGAL_REPRESENTATIVE_CHECK'], coordinates: expect.arrayContaining(['Enterprise.legalRepresentative', 'Person.name']) } }]);
  });

  test('sees legal representatives masked under its purpose', async () => {
    const response = await graph.queryAs({ app, purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, '{ enterprises(first: 20) { nodes { legalRepresentative { idNumber name phone } } } }');
    expect(response.body.errors).toBeUndefined();
    for (const { legalRepresentative: person } of response.body.data.enterprises.nodes) {
      expect(person.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(isIdNumber(person.idNumber)).toBe(false);
      expect(person.name).toMatch(/^[\u4e00-\u9fa5]{1,2}\*+$/);
      expect(person.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    }
  });

  test("reads the representative's name masked alike on the business licence (MARKET_INSPECTION) and as the person (LEGAL_REPRESENTATIVE_CHECK)", async () => {
    const { body } = await graph.query('{ enterprises(regionCode: "440100", first: 20) { nodes { creditCode legalRepresentative { name } certificates { kind } } } }');
    const firm = (body.data.enterprises.nodes as Array<{ creditCode: string; legalRepresentative: { name: string }; certificates: Array<{ kind: string }> }>)
      .find((n) => n.certificates.some((c) => c.kind === 'BUSINESS_LICENCE'))!;
    const asPerson = await graph.queryAs({ app, purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, `{ enterprise(creditCode: "${firm.creditCode}") { legalRepresentative { name } } }`);
    const onLicence = await graph.queryAs(
      { app, purpose: 'MARKET_INSPECTION' },
      `{ enterprise(creditCode: "${firm.creditCode}") { certificates { kind data { ... on BusinessLicenceData { legalRepresentativeName } } } } }`,
    );
    expect(asPerson.body.errors).toBeUndefined();
    expect(onLicence.body.errors).toBeUndefined();
    const masked: string = asPerson.body.data.enterprise.legalRepresentative.name;
    expect(masked).toMatch(/^[\u4e00-\u9fa5]{1,2}\*+$/);
    expect(masked).not.toBe(firm.legalRepresentative.name);
    const licences = (onLicence.body.data.enterprise.certificates as Array<{ kind: string; data: { legalRepresentativeName?: string } }>).filter((c) => c.kind === 'BUSINESS_LICENCE');
    expect(licences.length).toBeGreaterThan(0);
    expect(licences.map((c) => c.data.legalRepresentativeName)).toEqual(licences.map(() => masked));
    expect(JSON.stringify(onLicence.body)).not.toContain(firm.legalRepresentative.name);
  });

  describe('a named fragment, an inline fragment and a plain selection are decided alike', () => {
    const shapes = (fields: string) => ({
      plain: `{ enterprises(first: 5) { nodes { legalRepresentative { ${fields} } } } }`,
      inline: `{ enterprises(first: 5) { nodes { legalRepresentative { ... on Person { ${fields} } } } } }`,
      named: `{ enterprises(first: 5) { nodes { legalRepresentative { ...Representative } } } } fragment Representative on Person { ${fields} }`,
    });
    const asked = async (fields: string) => {
      const { plain, inline, named } = shapes(fields);
      const as = { app, purpose: 'LEGAL_REPRESENTATIVE_CHECK' };
      return { plain: await graph.queryAs(as, plain), inline: await graph.queryAs(as, inline), named: await graph.queryAs(as, named) };
    };

    test('the same masked values: the ID number masked at the gateway, the name in the department', async () => {
      const { plain, inline, named } = await asked('idNumber name');
      expect(plain.body.errors).toBeUndefined();
      const representatives = plain.body.data.enterprises.nodes.map((n: any) => n.legalRepresentative);
      expect(representatives).toHaveLength(5);
      for (const person of representatives) {
        expect(person.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
        expect(person.name).toMatch(/^[\u4e00-\u9fa5]{1,2}\*+$/);
      }
      expect(inline.body).toEqual(plain.body);
      expect(named.body).toEqual(plain.body);
    });

    test('the same refusal of a field not granted', async () => {
      const { plain, inline, named } = await asked('name maritalStatus');
      expectRefused(plain, 'FORBIDDEN', 'Person.maritalStatus', /not granted to market-supervision/);
      expect(plain.body.errors).toHaveLength(1);
      for (const response of [inline, named]) {
        expect(response.status).toBe(plain.status);
        expect(response.body).toEqual(plain.body);
      }
    });
  });

  test('an expired grant does not apply, and the error says so', async () => {
    const response = await graph.queryAs({ app, purpose: 'FOOD_SAFETY_CAMPAIGN_2025' }, '{ enterprises(first: 1) { nodes { applications { id } } } }');
    expectRefused(response, 'FORBIDDEN', 'Enterprise.applications', /FOOD_SAFETY_CAMPAIGN_2025 expired on 2025-12-31/);
  });

  test('a field it was never granted is refused, and no department is asked', async () => {
    const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
    const response = await graph.queryAs({ app, purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, '{ enterprises(first: 1) { nodes { name legalRepresentative { maritalStatus } } } }');
    expectRefused(response, 'FORBIDDEN', 'Person.maritalStatus', /not granted to market-supervision/);
    expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
  });
});

describe('city-ops-center (contract region 4401)', () => {
  const app = 'city-ops-center';
  const centre = { app, purpose: 'CITY_OPERATIONS' };
  /**
   * Events the centre reports in a Tianhe (440106) grid, each naming the enterprise it concerns, registered
   * in Tianhe, in Yuexiu (440103, the same city) or in Shenzhen (another city of the province). City
   * operations refuses the centre an enterprise registered outside its city, so the Shenzhen one is
   * reported by an app without a region (as a row written before that rule would be): city operations keeps
   * only the credit code, and the gateway's region rule alone decides whether the enterprise is shown.
   */
  const registeredIn = { tianhe: '440106', yuexiu: '440103', shenzhen: '440300' } as const;
  const named = {} as Record<keyof typeof registeredIn, { event: string; enterprise: string }>;

  beforeAll(async () => {
    for (const place of Object.keys(registeredIn) as Array<keyof typeof registeredIn>) {
      const found = await graph.query(`{ enterprises(regionCode: "${registeredIn[place]}", first: 1) { nodes { creditCode } } }`);
      const enterprise: string = found.body.data.enterprises.nodes[0].creditCode;
      const report = 'mutation($input: ReportEventInput!) { reportEvent(input: $input) { id } }';
      const input = { category: 'WORK_SAFETY', source: 'GRID_WORKER', gridCode: '440106001001', description: '商铺门口堆放液化气钢瓶', enterprise };
      const reported = place === 'shenzhen' ? await graph.query(report, { variables: { input } }) : await graph.queryAs(centre, report, { input });
      expect(reported.body.errors).toBeUndefined();
      named[place] = { event: reported.body.data.reportEvent.id, enterprise };
    }
  });

  test('sees only Guangzhou rows, paged at the source', async () => {
    const mine = await graph.queryAs(centre, '{ cityEvents(first: 100) { totalCount nodes { regionCode grid { regionCode } } } }');
    const reference = await graph.query('{ cityEvents(regionCode: "440100", first: 1) { totalCount } }');
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.cityEvents.totalCount).toBe(reference.body.data.cityEvents.totalCount);
    expect(mine.body.data.cityEvents.nodes.length).toBeGreaterThan(0);
    for (const node of mine.body.data.cityEvents.nodes) {
      expect(node.regionCode).toMatch(/^4401/);
      expect(node.grid.regionCode).toMatch(/^4401/);
    }
  });

  test('asking for another city of its province yields nothing', async () => {
    const response = await graph.queryAs({ app }, '{ cityEvents(regionCode: "440300") { totalCount nodes { id } } }');
    expect(response.body).toEqual({ data: { cityEvents: { totalCount: 0, nodes: [] } } });
  });

  test('an event of another city of its province, fetched by id, is withheld; one of its own city is served', async () => {
    const byId = (id: string) => graph.queryAs({ app }, `{ cityEvent(id: "${id}") { id description } }`);
    const own = await byId(events.guangzhou);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.cityEvent).toEqual({ id: events.guangzhou, description: expect.any(String) });
    const shenzhen = await byId(events.shenzhen);
    expect(shenzhen.body.data).toEqual({ cityEvent: null });
    expect(shenzhen.body.errors).toEqual([expect.objectContaining({ path: ['cityEvent'], extensions: { code: 'FORBIDDEN' } })]);
    expect(JSON.stringify(shenzhen.body)).not.toContain('description":"');
  });

  test('an enterprise of another city of its province, named on one of its events, is left out by the gateway; one of its own city is shown', async () => {
    const enterpriseOn = async (event: string) => {
      const response = await graph.queryAs(centre, `{ cityEvent(id: "${event}") { id enterprise { creditCode } } }`);
      expect(response.body.errors).toBeUndefined();
      return response.body.data.cityEvent.enterprise;
    };
    expect(await enterpriseOn(named.yuexiu.event)).toEqual({ creditCode: named.yuexiu.enterprise });
    expect(await enterpriseOn(named.shenzhen.event)).toBeNull();
  });

  test("a token's region narrows the contract's: in the rows the department pages, and in the enterprises the gateway joins to them", async () => {
    const response = await graph.queryAs({ ...centre, region: '440106' }, '{ cityEvents(first: 100) { nodes { id regionCode enterprise { creditCode } } } }');
    expect(response.body.errors).toBeUndefined();
    const nodes: Array<{ id: string; regionCode: string; enterprise: { creditCode: string } | null }> = response.body.data.cityEvents.nodes;
    expect(new Set(nodes.map((n) => n.regionCode))).toEqual(new Set(['440106']));
    const enterpriseOf = new Map(nodes.map((n) => [n.id, n.enterprise]));
    expect(enterpriseOf.get(named.tianhe.event)).toEqual({ creditCode: named.tianhe.enterprise });
    // Yuexiu lies in the contract's city, not in the token's district.
    expect(enterpriseOf.get(named.yuexiu.event)).toBeNull();
    expect(enterpriseOf.get(named.shenzhen.event)).toBeNull();
  });

  test('introspection shows its own schema only', async () => {
    const response = await graph.queryAs({ app }, '{ enterprise: __type(name: "Enterprise") { fields { name } } household: __type(name: "Household") { name } query: __type(name: "Query") { fields { name } } }');
    expect(response.body.data.enterprise.fields.map((f: any) => f.name).sort()).toEqual(['address', 'creditCode', 'legalRepresentative', 'licences', 'name', 'regionCode', 'status']);
    expect(response.body.data.household).toBeNull();
    expect(response.body.data.query.fields.map((f: any) => f.name).sort()).toEqual(['alerts', 'callerContract', 'cityEvent', 'cityEvents', 'departmentAssessment', 'grids', 'indicators', 'operationsOverview']);
  });
});

describe('crossprovince-desk (case-bound)', () => {
  const app = 'crossprovince-desk';
  const caseQuery = (id: string) => `{ application(id: "${id}") { id status applicant { idNumber name maritalStatus household { regionCode } } } }`;

  test('reads its queue without any applicant data', async () => {
    const response = await graph.queryAs({ app, purpose: 'CASE_QUEUE' }, '{ applications(first: 5) { nodes { id status mode acceptingRegion handlingRegion item { name } } } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.applications.nodes).toHaveLength(5);
  });

  test('needs a case for the applicant’s data', async () => {
    const response = await graph.queryAs({ app, purpose: 'CROSS_PROVINCE_CASE' }, caseQuery(openCase.id));
    expectRefused(response, 'CASE_REQUIRED', 'Query.application', /X-Case-Id/);
  });

  test('reads the applicant within an open case, ID number masked', async () => {
    const response = await graph.queryAs({ app, purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id }, caseQuery(openCase.id));
    expect(response.body.errors).toBeUndefined();
    const applicant = response.body.data.application.applicant;
    expect(applicant.idNumber).toBe(`${openCase.applicant.slice(0, 6)}********${openCase.applicant.slice(14)}`);
    expect(applicant.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
  });

  test("reads the case's certificates without another person's name on them: no spouse's, no household head's", async () => {
    const as = { app, purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id };
    const certificates = (data: string) => `{ application(id: "${openCase.id}") { applicant { certificates { kind data { ${data} } } } } }`;
    const own = await graph.queryAs(as, certificates('... on MarriageCertificateData { holderName registeredOn } ... on HouseholdRegisterData { householdNumber address }'));
    expect(own.body.errors).toBeUndefined();
    const others = await graph.queryAs(as, certificates('... on MarriageCertificateData { holderName spouseName } ... on HouseholdRegisterData { headName }'));
    expectRefused(others, 'FORBIDDEN', 'MarriageCertificateData.spouseName', /not granted to crossprovince-desk/);
    expect(coordinates(others).sort()).toEqual(['HouseholdRegisterData.headName', 'MarriageCertificateData.spouseName']);
  });

  test("no one can be named by ID number, not even the case's applicant: the desk sees it masked and would learn which guess is right", async () => {
    const other = await graph.query('{ enterprises(first: 1) { nodes { legalRepresentative { idNumber } } } }');
    const stranger = other.body.data.enterprises.nodes[0].legalRepresentative.idNumber;
    for (const idNumber of [stranger, openCase.applicant]) {
      const response = await graph.queryAs({ app, purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id }, `{ person(idNumber: "${idNumber}") { name } }`);
      expect(response.status).toBe(403);
      expect(response.body.data).toBeUndefined();
      expect(coordinates(response)).toEqual(['Query.person', 'Query.person(idNumber:)']);
    }
  });

  test.each([
    ['a closed case', () => closedCase, /is not an open case/],
    ['a case that does not exist', () => '20260101440106999999', /is not an open case/],
  ])('%s opens nothing', async (_name, id, message) => {
    const response = await graph.queryAs({ app, purpose: 'CROSS_PROVINCE_CASE', caseId: id() }, caseQuery(id()));
    expect(response.status).toBe(403);
    expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(message), extensions: { code: 'FORBIDDEN' } })]);
  });
});

describe('oneservice-portal (the citizen’s own data)', () => {
  const app = 'oneservice-portal';
  const profile = (id: string) => `{ person(idNumber: "${id}") { name household { address } applications { id status } } }`;

  test('a citizen reads their own record', async () => {
    const response = await graph.queryAs({ app, purpose: 'SELF_SERVICE', operator: openCase.applicant }, profile(openCase.applicant));
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.person.applications.map((a: any) => a.id)).toContain(openCase.id);
  });

  test("and nobody else's", async () => {
    const someoneElse = await graph.query('{ enterprises(first: 1) { nodes { legalRepresentative { idNumber } } } }');
    const id = someoneElse.body.data.enterprises.nodes[0].legalRepresentative.idNumber;
    const response = await graph.queryAs({ app, purpose: 'SELF_SERVICE', operator: openCase.applicant }, profile(id));
    expect(response.status).toBe(403);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors![0]!.message).toMatch(/not the operator's own data/);
  });

  test('the public catalogue needs no purpose', async () => {
    const response = await graph.queryAs({ app }, '{ serviceItems { code name modes } }');
    expect(response.body.data.serviceItems.length).toBeGreaterThanOrEqual(8);
  });
});

describe('auditor', () => {
  test('reads counts, not records', async () => {
    const allowed = await graph.queryAs({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' }, '{ enterprises { totalCount } cityEvents { totalCount } applications { totalCount } }');
    expect(allowed.body.errors).toBeUndefined();
    const denied = await graph.queryAs({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' }, '{ enterprises { nodes { name } } }');
    expectRefused(denied, 'FORBIDDEN', 'EnterpriseConnection.nodes');
  });
});

describe('any app', () => {
  test('without a contract reads nothing, not even its schema', async () => {
    const data = await graph.queryAs({ app: 'unknown-app' }, '{ serviceItems { name } }');
    expectRefused(data, 'FORBIDDEN', 'Query.serviceItems', /no data-sharing contract/);
    const schema = await graph.queryAs({ app: 'unknown-app' }, '{ __schema { types { name } } }');
    expect(codes(schema)).toEqual(['FORBIDDEN']);
  });

  test('validation errors never suggest fields', async () => {
    const response = await graph.queryAs({ app: 'auditor' }, '{ enterprises { nodes { nam } } }');
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(response.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  test('the gate decides one operation text afresh for each app, purpose and case (it remembers decisions per operation)', async () => {
    const query = '{ enterprises(first: 1) { nodes { name legalRepresentative { name } } } }';
    const market = 'market-supervision';
    const withoutPurpose = await graph.queryAs({ app: market }, query);
    const withPurpose = await graph.queryAs({ app: market, purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, query);
    // Another app's purpose is not the auditor's to state (refused at the door); under its own, the field is not granted.
    const otherAppsPurpose = await graph.queryAs({ app: 'auditor', purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, query);
    const otherApp = await graph.queryAs({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' }, query);
    const again = await graph.queryAs({ app: market }, query);
    expectRefused(withoutPurpose, 'PURPOSE_REQUIRED', 'Enterprise.legalRepresentative');
    expect(withPurpose.body.errors).toBeUndefined();
    expect(withPurpose.body.data.enterprises.nodes[0].legalRepresentative.name).toMatch(/\*/);
    expect(otherAppsPurpose.status).toBe(400);
    expect(codes(otherAppsPurpose)).toEqual(['BAD_USER_INPUT']);
    expect(codes(otherApp).every((code) => code === 'FORBIDDEN')).toBe(true);
    expect(coordinates(otherApp)).toEqual(expect.arrayContaining(['Enterprise.legalRepresentative', 'Person.name']));
    expect(again.body).toEqual(withoutPurpose.body);
    const caseQuery = `{ application(id: "${openCase.id}") { id applicant { name } } }`;
    const desk = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE' };
    expectRefused(await graph.queryAs(desk, caseQuery), 'CASE_REQUIRED', 'Query.application');
    expect((await graph.queryAs({ ...desk, caseId: openCase.id }, caseQuery)).body.errors).toBeUndefined();
    expectRefused(await graph.queryAs(desk, caseQuery), 'CASE_REQUIRED', 'Query.application');
  });

  test('all denials are listed at once', async () => {
    const response = await graph.queryAs({ app: 'auditor' }, '{ enterprises { nodes { name riskRating } } person(idNumber: "11010519491231002X") { name } }');
    expect(coordinates(response).sort()).toEqual(['Enterprise.name', 'Enterprise.riskRating', 'EnterpriseConnection.nodes', 'Person.name', 'Query.person', 'Query.person(idNumber:)']);
  });
});

describe('filter mode', () => {
  test('removes denied fields, reports each, and never asks their department', async () => {
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const civilAffairs = graph.subgraphs.find((s) => s.name === 'civil-affairs')!;
    const requests = async () => (await (await fetch(new URL('/metrics', civilAffairs.url))).text()).match(/govgraph_subgraph_requests_total\{[^}]*outcome="ok"\} (\d+)/)![1];
    const before = await requests();
    const response = await graph.queryAs(
      { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', url: filtering.url },
      '{ enterprises(first: 2) { nodes { name riskRating legalRepresentative { name maritalStatus } } } }',
    );
    expect(response.status).toBe(200);
    expect(response.body.data.enterprises.nodes[0]).toEqual({ name: expect.any(String), legalRepresentative: { name: expect.stringMatching(/\*/) } });
    expect(coordinates(response).sort()).toEqual(['Enterprise.riskRating', 'Person.maritalStatus']);
    expect(await requests()).toBe(before);
  });

  test('two apps sending the same text get their own results and never share a plan', async () => {
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const query = '{ enterprises(first: 2) { nodes { name legalRepresentative { idNumber maritalStatus } } } }';
    const narrow = await graph.queryAs({ app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', url: filtering.url }, query);
    const wide = await graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url: filtering.url }, query);
    const again = await graph.queryAs({ app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', url: filtering.url }, query);
    expect(narrow.body.data.enterprises.nodes[0].legalRepresentative).toEqual({ idNumber: expect.stringMatching(/\*{8}/) });
    expect(wide.body.errors).toBeUndefined();
    expect(wide.body.data.enterprises.nodes[0].legalRepresentative).toEqual({ idNumber: expect.stringMatching(/^\d{17}[\dX]$/), maritalStatus: expect.any(String) });
    expect(again.body).toEqual(narrow.body);
  });
});

describe('departments enforce the contracts themselves', () => {
  let call: DepartmentCall;
  beforeAll(async () => {
    call = await departmentCall(graph, 'contracts');
  });
  const direct = async (department: string, app: string, purpose: string | undefined, query: string, variables?: object) =>
    (await call(department, { app, ...(purpose && { purpose }) }, query, variables)).body;

  test('a field the app is not granted is refused by the department even if the gateway let it through', async () => {
    const body = await direct('market-regulation', 'auditor', 'GOVERNANCE_STATISTICS', '{ enterprises(first: 1) { nodes { name riskRating } } }');
    expect(body.errors!.length).toBeGreaterThan(0);
    expect(body.errors!.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(body.data)).not.toMatch(/[\u4e00-\u9fa5]/);
  });

  test('a department decides one operation text afresh for each app and purpose, masks included (it remembers decisions per operation)', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber name } } }';
    const variables = { r: [{ __typename: 'Person', idNumber: openCase.applicant }] };
    const masked = await direct('public-security', 'market-supervision', 'LEGAL_REPRESENTATIVE_CHECK', query, variables);
    const whole = await direct('public-security', EVERYTHING_APP, EVERYTHING_PURPOSE, query, variables);
    const withoutPurpose = await direct('public-security', 'market-supervision', undefined, query, variables);
    const maskedAgain = await direct('public-security', 'market-supervision', 'LEGAL_REPRESENTATIVE_CHECK', query, variables);
    expect(masked.data._entities[0].name).toMatch(/\*/);
    expect(whole.errors).toBeUndefined();
    expect(whole.data._entities[0].name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    expect(withoutPurpose.errors!.map((e) => e.extensions?.['code'])).toContain('PURPOSE_REQUIRED');
    expect(maskedAgain).toEqual(masked);
  });

  test('masks are applied inside the department; keys stay whole for the gateway to join on', async () => {
    const body = await direct('public-security', 'market-supervision', 'LEGAL_REPRESENTATIVE_CHECK',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber name phone } } }',
      { r: [{ __typename: 'Person', idNumber: openCase.applicant }] });
    expect(body.errors).toBeUndefined();
    const [person] = body.data._entities;
    expect(person.idNumber).toBe(openCase.applicant);
    expect(person.name).toMatch(/\*/);
    expect(person.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
  });
});
