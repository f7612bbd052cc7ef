/** Cross-department queries through the real gateway return consistent data with valid identifiers. */
import { isCreditCode, isIdNumber } from '../subgraphs/kit/identifiers';
import { startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const ENTERPRISE_PROFILE = `
  query Profile($first: Int, $after: String) {
    enterprises(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        creditCode name status regionCode
        legalRepresentative {
          idNumber name gender birthDate
          household { address regionCode head { idNumber } }
          maritalStatus
          marriages { kind registeredOn spouse { idNumber gender marriages { spouse { idNumber } } } }
          enterprises { creditCode }
        }
        licences { kind number validUntil status }
        penalties { decisionNumber amount }
        applications { id item { code name } applicant { idNumber } enterprise { creditCode } }
        cityEvents { id enterprise { creditCode } }
      }
    }
  }`;

test('an enterprise profile joins four departments consistently', async () => {
  const { status, body } = await graph.query(ENTERPRISE_PROFILE, { variables: { first: 50 } });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const nodes = body.data.enterprises.nodes as any[];
  expect(nodes).toHaveLength(50);
  for (const enterprise of nodes) {
    expect(isCreditCode(enterprise.creditCode)).toBe(true);
    const representative = enterprise.legalRepresentative;
    // The legal representative exists in public security and points back to the enterprise.
    expect(isIdNumber(representative.idNumber)).toBe(true);
    expect(representative.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    expect(representative.enterprises.map((e: any) => e.creditCode)).toContain(enterprise.creditCode);
    expect(representative.household.address).toMatch(/区.+号/);
    // Spouses are married to each other, and of the other gender.
    for (const marriage of representative.marriages) {
      expect(marriage.spouse.gender).not.toBe(representative.gender);
      expect(marriage.spouse.marriages.map((m: any) => m.spouse.idNumber)).toContain(representative.idNumber);
    }
    const expected = representative.marriages.length === 0 ? 'SINGLE' : representative.marriages.at(-1).kind === 'MARRIAGE' ? 'MARRIED' : 'DIVORCED';
    expect(representative.maritalStatus).toBe(expected);
    for (const application of enterprise.applications) {
      expect(application.enterprise.creditCode).toBe(enterprise.creditCode);
      expect(application.applicant.idNumber).toBe(representative.idNumber);
    }
    for (const event of enterprise.cityEvents) expect(event.enterprise.creditCode).toBe(enterprise.creditCode);
  }
});

test('a person lookup reaches public security, civil affairs, market regulation and the service hall', async () => {
  const page = await graph.query('{ applications(first: 5) { nodes { id applicant { idNumber } } } }');
  const idNumber = page.body.data.applications.nodes[0].applicant.idNumber;
  const { body } = await graph.query(
    `query($id: IdNumber!) { person(idNumber: $id) { idNumber name household { regionCode } maritalStatus enterprises { name } applications { id } } }`,
    { variables: { id: idNumber } },
  );
  expect(body.errors).toBeUndefined();
  expect(body.data.person.idNumber).toBe(idNumber);
  expect(body.data.person.household.regionCode).toBe(idNumber.slice(0, 6));
  expect(body.data.person.applications.map((a: any) => a.id)).toContain(page.body.data.applications.nodes[0].id);
});

test('an unknown but valid ID number is null, not an error', async () => {
  const { body } = await graph.query('{ person(idNumber: "11010519491231002X") { name } }');
  expect(body).toEqual({ data: { person: null } });
});

test('connections page with cursors, count on demand and default to 20', async () => {
  const first = await graph.query('{ enterprises { totalCount pageInfo { hasNextPage endCursor } nodes { creditCode } } }');
  expect(first.body.data.enterprises.nodes).toHaveLength(20);
  expect(first.body.data.enterprises.totalCount).toBe(160);
  const seen = new Set<string>(first.body.data.enterprises.nodes.map((n: any) => n.creditCode));
  let cursor = first.body.data.enterprises.pageInfo.endCursor;
  let hasNext = first.body.data.enterprises.pageInfo.hasNextPage;
  while (hasNext) {
    const next = await graph.query('query($after: String) { enterprises(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { creditCode } } }', {
      variables: { after: cursor },
    });
    for (const node of next.body.data.enterprises.nodes) seen.add(node.creditCode);
    ({ endCursor: cursor, hasNextPage: hasNext } = next.body.data.enterprises.pageInfo);
  }
  expect(seen.size).toBe(160);
});

test('region filters take a province, a city or a district', async () => {
  const { body } = await graph.query(`{
    province: enterprises(regionCode: "440000", first: 100) { totalCount nodes { regionCode } }
    city: enterprises(regionCode: "440100", first: 100) { totalCount nodes { regionCode } }
    district: cityEvents(regionCode: "440106", first: 100) { totalCount nodes { regionCode grid { regionCode } } }
  }`);
  expect(body.errors).toBeUndefined();
  expect(body.data.province.nodes.every((n: any) => n.regionCode.startsWith('44'))).toBe(true);
  expect(body.data.city.nodes.every((n: any) => n.regionCode.startsWith('4401'))).toBe(true);
  expect(body.data.city.totalCount).toBeLessThanOrEqual(body.data.province.totalCount);
  expect(body.data.district.nodes.every((n: any) => n.regionCode === '440106' && n.grid.regionCode === '440106')).toBe(true);
});
