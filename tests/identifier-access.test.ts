/**
 * Identifiers as the way in (issue 17, item 3): an argument naming a data subject is a read of that
 * subject — granted by its own coordinate, held to the operator and the case, recorded in the audit
 * trail — at the gateway and in the departments; and a row the app may not see looks the same whether
 * or not it exists, however little of it is asked for (`__typename`, keys only).
 */
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { DEV_PLATFORM_ISSUER, internalAppKeyFile } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { idNumberCheckCharacter } from '../subgraphs/kit/identifiers';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let openCase: { id: string; applicant: string };
let otherApplication: string;
/** A person who exists and is in no case of ours. */
let stranger: string;
let shanghaiEvent: string;
/** Well-formed ID number of nobody. */
const nobody = (() => {
  const first17 = '44010619700101999';
  return first17 + idNumberCheckCharacter(first17);
})();

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query(`{
    open: applications(status: IN_PROGRESS, first: 2) { nodes { id applicant { idNumber } } }
    enterprises(first: 1) { nodes { legalRepresentative { idNumber } } }
    shanghai: cityEvents(regionCode: "310000", first: 1) { nodes { id } }
  }`);
  openCase = { id: body.data.open.nodes[0].id, applicant: body.data.open.nodes[0].applicant.idNumber };
  otherApplication = body.data.open.nodes[1].id;
  stranger = body.data.enterprises.nodes[0].legalRepresentative.idNumber;
  shanghaiEvent = body.data.shanghai.nodes[0].id;
  expect(stranger).not.toBe(openCase.applicant);
});
afterAll(() => graph.stop());

const refusedFor = (response: GraphQLResponse, coordinate: string) => {
  expect(response.status).toBe(403);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toContainEqual(expect.objectContaining({ extensions: { code: 'FORBIDDEN', coordinate } }));
};

describe('an argument naming a subject is a read of it', () => {
  const auditor = { app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' };
  const desk = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE' };

  test.each([
    ['in the text', `{ applications(applicant: "__ID__") { totalCount } }`, undefined],
    ['through a variable', 'query($who: IdNumber) { applications(applicant: $who) { totalCount } }', { who: '__ID__' }],
    ['in a fragment, under an alias', 'query { ...Count } fragment Count on Query { mine: applications(applicant: "__ID__", first: 1) { totalCount } }', undefined],
  ])('an app that may read no person cannot count a person’s applications by ID number (%s)', async (_how, query, variables) => {
    const id = openCase.applicant;
    const response = await graph.queryAs(auditor, query.replace('__ID__', id), variables && { who: id });
    refusedFor(response, 'Query.applications(applicant:)');
    expect(response.body.errors![0]!.message).toMatch(/Query\.applications\(applicant:\) is not granted to auditor/);
  });

  test('in filter mode the field is removed and reported, the rest served', async () => {
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const response = await graph.queryAs({ ...auditor, url: filtering.url }, `{ applications(applicant: "${openCase.applicant}") { totalCount } serviceItems { code } }`);
    expect(response.body.data.applications).toBeUndefined();
    expect(response.body.data.serviceItems.length).toBeGreaterThan(0);
    expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', coordinate: 'Query.applications(applicant:)' } })]);
  });

  test('nor an enterprise’s, by credit code', async () => {
    const { body } = await graph.query('{ applications(first: 20) { nodes { enterprise { creditCode } } } }');
    const creditCode = body.data.applications.nodes.find((n: { enterprise: unknown }) => n.enterprise).enterprise.creditCode;
    refusedFor(await graph.queryAs(auditor, `{ applications(enterprise: "${creditCode}") { totalCount } }`), 'Query.applications(enterprise:)');
  });

  test('nor list them with their statuses (the desk’s queue)', async () => {
    const response = await graph.queryAs(desk, `{ applications(applicant: "${openCase.applicant}") { nodes { id status } } }`);
    refusedFor(response, 'Query.applications(applicant:)');
  });

  test('the same filters without the identifier still work', async () => {
    const response = await graph.queryAs(auditor, '{ applications(status: IN_PROGRESS) { totalCount } }');
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.applications.totalCount).toBeGreaterThan(0);
  });

  test('an identifier inside an input object is one too: the desk cannot name an applicant', async () => {
    const input = { itemCode: 'MARRIAGE_CERTIFICATE', applicant: stranger, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'identifier-access-desk' };
    const viaVariable = await graph.queryAs(desk, 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id preReview { code passed } } }', { input });
    refusedFor(viaVariable, 'SubmitApplicationInput.applicant');
    const inline = await graph.queryAs(desk, `mutation { submitApplication(input: { itemCode: "X", applicant: "${stranger}", mode: FULL_ONLINE, acceptingRegion: "440106", handlingRegion: "440106", idempotencyKey: "k" }) { id } }`);
    refusedFor(inline, 'SubmitApplicationInput.applicant');
  });

  test('the app’s own schema shows only the arguments it may give', async () => {
    const response = await graph.queryAs(auditor, '{ __type(name: "Query") { fields { name args { name } } } }');
    const applications = response.body.data.__type.fields.find((f: { name: string }) => f.name === 'applications');
    expect(applications.args.map((a: { name: string }) => a.name)).not.toContain('applicant');
    expect(applications.args.map((a: { name: string }) => a.name)).toContain('status');
    // The desk may not name an applicant, so it cannot call submitApplication at all.
    const mutations = await graph.queryAs(desk, '{ __type(name: "Mutation") { fields { name } } }');
    expect(mutations.body.data.__type.fields.map((f: { name: string }) => f.name)).toEqual(['advanceApplication']);
  });

  test('a department refuses it too, when asked directly with a gateway token', async () => {
    const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 60 });
    const hall = graph.subgraphs.find((s) => s.name === 'service-hall')!;
    const response = await fetch(hall.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'identifier-access-1', authorization: `Bearer ${await sign({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS', requestId: 'identifier-access-1' }, 'service-hall')}` },
      body: JSON.stringify({ query: 'query($who: IdNumber) { applications(applicant: $who) { totalCount } }', variables: { who: openCase.applicant } }),
    });
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(body.data?.applications?.totalCount).toBeUndefined();
    expect(body.errors!.map((e) => e.extensions?.['code'])).toContain('FORBIDDEN');
    const unfiltered = await fetch(hall.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'identifier-access-2', authorization: `Bearer ${await sign({ app: 'auditor', purpose: 'GOVERNANCE_STATISTICS', requestId: 'identifier-access-2' }, 'service-hall')}` },
      body: JSON.stringify({ query: '{ applications { totalCount } }' }),
    });
    expect(((await unfiltered.json()) as GraphQLResponse['body']).data.applications.totalCount).toBeGreaterThan(0);
  });

  test('a department holds a citizen’s app to its citizen too, when asked directly with a gateway token', async () => {
    const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 60 });
    let directCalls = 2;
    const ask = async (department: string, operator: string | undefined, query: string, variables: object) => {
      const url = graph.subgraphs.find((s) => s.name === department)!.url;
      const caller = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', requestId: `identifier-access-${++directCalls}`, ...(operator && { operator }) };
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': caller.requestId, authorization: `Bearer ${await sign(caller, department)}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse['body'];
    };
    const lookup = 'query($id: IdNumber!) { person(idNumber: $id) { name } }';
    expect((await ask('public-security', openCase.applicant, lookup, { id: openCase.applicant })).data.person.name).toEqual(expect.any(String));
    for (const operator of [openCase.applicant, undefined]) {
      const other = await ask('public-security', operator, lookup, { id: stranger });
      expect(other.data?.person ?? null).toBeNull();
      expect(other.errors!.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    }
    const submit = 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }';
    const input = { itemCode: 'MARRIAGE_CERTIFICATE', applicant: stranger, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'identifier-access-direct' };
    const submitted = await ask('service-hall', openCase.applicant, submit, { input });
    expect(submitted.data?.submitApplication ?? null).toBeNull();
    expect(submitted.errors!.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
  });

  test('the subject an argument names is in the audit record, as its HMAC', async () => {
    const token = await graph.token();
    const read = await graph.query(`{ applications(applicant: "${stranger}") { totalCount } }`, { token, headers: { 'x-purpose': EVERYTHING_PURPOSE } });
    expect(read.body.errors).toBeUndefined();
    const requestId = read.headers.get('x-request-id');
    const records = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, `{ auditRecords(subject: "${stranger}", app: "${EVERYTHING_APP}", first: 20) { nodes { requestId fields subjects } } }`);
    const record = records.body.data.auditRecords.nodes.find((n: { requestId: string }) => n.requestId === requestId);
    expect(record).toBeDefined();
    expect(record.fields).toContain('Query.applications(applicant:)');
    expect(record.subjects).toHaveLength(1);
    expect(JSON.stringify(record)).not.toContain(stranger);
  });

  test('a citizen’s app may name only its citizen: refused before anything is read, whether or not the person exists', async () => {
    const citizen = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: openCase.applicant };
    const query = (id: string) => `{ person(idNumber: "${id}") { __typename } }`;
    const own = await graph.queryAs(citizen, query(openCase.applicant));
    expect(own.body).toEqual({ data: { person: { __typename: 'Person' } } });
    const existing = await graph.queryAs(citizen, query(stranger));
    const missing = await graph.queryAs(citizen, query(nobody));
    expect(existing.status).toBe(403);
    expect(existing.body.errors![0]!.message).toMatch(/not the operator's own data/);
    expect(missing.status).toBe(existing.status);
    expect(missing.body).toEqual(existing.body);
    const byDefault = await graph.queryAs(citizen, `query($id: IdNumber = "${stranger}") { person(idNumber: $id) { __typename } }`);
    expect(byDefault.status).toBe(403);
    expect(byDefault.body.errors![0]!.message).toMatch(/not the operator's own data/);
  });

  test('a case-bound purpose may name only the case’s subjects, whether or not the person exists', async () => {
    // The service hall's pre-review: a platform app, its tokens from the platform issuer only.
    const token = await mintAppToken(internalAppKeyFile(graph.keys.dir, 'service-hall'), { app: 'service-hall', issuer: DEV_PLATFORM_ISSUER });
    const ask = (id: string) =>
      graph.query('query($id: IdNumber!) { person(idNumber: $id) { __typename } }', { token, headers: { 'x-purpose': 'PREFILL', 'x-case-id': openCase.id }, variables: { id } });
    const applicant = await ask(openCase.applicant);
    expect(applicant.body).toEqual({ data: { person: { __typename: 'Person' } } });
    const existing = await ask(stranger);
    const missing = await ask(nobody);
    expect(existing.status).toBe(403);
    expect(existing.body.errors![0]!.message).toMatch(/not part of case/);
    expect(missing.status).toBe(existing.status);
    expect(missing.body).toEqual(existing.body);
  });
});

describe('a row the app may not see looks the same whether or not it exists', () => {
  test('a closed case and a case that does not exist are refused alike', async () => {
    const { body } = await graph.query('{ applications(status: APPROVED, first: 1) { nodes { id } } }');
    const closed = body.data.applications.nodes[0].id;
    const missing = '20260101440106999999';
    const ask = (caseId: string) => graph.queryAs({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId }, `{ application(id: "${caseId}") { status } }`);
    const [a, b] = [await ask(closed), await ask(missing)];
    expect(a.status).toBe(403);
    expect(b.status).toBe(a.status);
    expect(JSON.stringify(b.body).replaceAll(missing, 'ID')).toBe(JSON.stringify(a.body).replaceAll(closed, 'ID'));
  });

  const same = (existing: GraphQLResponse, missing: GraphQLResponse) => {
    expect(missing.status).toBe(existing.status);
    expect(missing.body).toEqual(existing.body);
  };

  test.each([
    ['__typename only', '{ cityEvent(id: "__ID__") { __typename } }'],
    ['its key only', '{ cityEvent(id: "__ID__") { id } }'],
    ['__typename in a fragment', '{ ...E } fragment E on Query { cityEvent(id: "__ID__") { ... on CityEvent { __typename } } }'],
    ['data', '{ cityEvent(id: "__ID__") { id description } }'],
  ])('an event outside the app’s region, asked for by id (%s)', async (_what, query) => {
    const ops = { app: 'city-ops-center' };
    const existing = await graph.queryAs(ops, query.replace('__ID__', shanghaiEvent));
    const missing = await graph.queryAs(ops, query.replace('__ID__', 'CE-00000000-nobody'));
    expect(existing.body.data).toEqual({ cityEvent: null });
    expect(existing.body.errors).toEqual([expect.objectContaining({ path: ['cityEvent'], extensions: { code: 'FORBIDDEN' } })]);
    same(existing, missing);
  });

  test.each([
    ['__typename only', '{ application(id: "__ID__") { __typename } }'],
    ['its key only', '{ application(id: "__ID__") { id } }'],
    ['data', '{ application(id: "__ID__") { id status mode } }'],
  ])('an application outside the desk’s case (%s)', async (_what, query) => {
    const inCase = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id };
    const own = await graph.queryAs(inCase, query.replace('__ID__', openCase.id));
    expect(own.body.errors).toBeUndefined();
    const existing = await graph.queryAs(inCase, query.replace('__ID__', otherApplication));
    const missing = await graph.queryAs(inCase, query.replace('__ID__', '20260101440106999999'));
    expect(existing.body.data).toEqual({ application: null });
    same(existing, missing);
  });
});

describe('a row withheld on an edge looks like a row that is not there', () => {
  test('a legal representative outside the centre’s region comes back null, with no error to tell it from none', async () => {
    const query = '{ cityEvents(first: 100) { nodes { id enterprise { creditCode legalRepresentative { __typename } } } } }';
    const all = await graph.query(query.replace('legalRepresentative { __typename }', 'legalRepresentative { household { regionCode } }').replace('cityEvents(first: 100)', 'cityEvents(regionCode: "440100", first: 100)'));
    const outside = new Set(
      all.body.data.cityEvents.nodes
        .filter((n: any) => n.enterprise?.legalRepresentative && !n.enterprise.legalRepresentative.household.regionCode.startsWith('4401'))
        .map((n: any) => n.id),
    );
    expect(outside.size).toBeGreaterThan(0);
    const ops = await graph.queryAs({ app: 'city-ops-center', purpose: 'EVENT_ENTERPRISE_CONTACT' }, query);
    expect(ops.body.errors).toBeUndefined();
    const checked = ops.body.data.cityEvents.nodes.filter((node: any) => outside.has(node.id));
    expect(checked.length).toBeGreaterThan(0);
    for (const node of checked) expect(node.enterprise.legalRepresentative).toBeNull();
  });
});
