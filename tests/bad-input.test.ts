/** Invalid identifiers and oversized pages are BAD_USER_INPUT naming the argument, and no SQL runs. */
import { startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

async function expectBadInput(query: string, argument: string | undefined, message: RegExp, variables?: Record<string, unknown>) {
  const statements = await graph.subgraphCounter('govgraph_db_statements_total');
  const { body } = await graph.query(query, { variables });
  expect(body.errors).toHaveLength(1);
  expect(body.errors![0]!.message).toMatch(message);
  expect(body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', ...(argument && { argument }) });
  expect(JSON.stringify(body)).not.toMatch(/SELECT|sqlite|127\.0\.0\.1|at \//i);
  expect(await graph.subgraphCounter('govgraph_db_statements_total')).toBe(statements);
}

test.each([
  ['a wrong check character', '11010519491231002Y', /idNumber.*person.*ID number/],
  ['a wrong check digit', '110105194912310021', /wrong check character/],
  ['an impossible birth date', '110105194902300025', /birth date/],
  ['a bad province', '990105194912310021', /province/],
  ['SQL in the argument', "' OR 1=1--", /17 digits/],
])('an ID number with %s', (_name, value, message) =>
  expectBadInput(`{ person(idNumber: ${JSON.stringify(value)}) { name } }`, 'idNumber', message));

test.each([
  ['a wrong check character', '91350100M000100Y44', /wrong check character/],
  ['a wrong organisation-code check', '91350100M000100Z43', /0-9 and A-Y|organisation-code/],
  ['letters outside the charset', '91350100M0001O0Y43', /without I, O, S, V and Z/],
])('a credit code with %s', (_name, value, message) =>
  expectBadInput(`{ enterprise(creditCode: ${JSON.stringify(value)}) { name } }`, 'creditCode', message));

test('a region code that is not a division code', () =>
  expectBadInput('{ cityEvents(regionCode: "4401") { totalCount } }', 'regionCode', /6 digits/));

test('an invalid ID number sent as a variable names the variable', () =>
  expectBadInput('query($id: IdNumber!) { person(idNumber: $id) { name } }', undefined, /Variable "\$id".*check character/, { id: '110105194912310021' }));

test('first: 100000 is refused before any work as too costly (the cost counts list sizes)', async () => {
  const { body } = await graph.query('{ enterprises(first: 100000) { totalCount } }');
  expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(/too costly/), extensions: { code: 'LIMIT_EXCEEDED' } });
});

test.each([101, -1])('first: %i is refused', async (first) => {
  const { body } = await graph.query(`{ enterprises(first: ${first}) { totalCount } }`);
  expect(body.errors![0]).toMatchObject({ message: expect.stringMatching(/"first" must be between 0 and 100/), extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
});

test('a cursor that was not issued by the list is refused', async () => {
  const { body } = await graph.query('{ enterprises(after: "bm9wZQ") { totalCount } }');
  expect(body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after' });
});

test('valid identifiers pass: the examples of GB 11643 and GB 32100', async () => {
  const { body } = await graph.query('{ p1: person(idNumber: "11010519491231002X") { name } p2: person(idNumber: "440524188001010014") { name } e: enterprise(creditCode: "91350100M000100Y43") { name } }');
  expect(body).toEqual({ data: { p1: null, p2: null, e: null } });
});

test('malformed JSON is a clean 400', async () => {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token()}` },
    body: '{"query": ',
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'BAD_REQUEST' } }] });
});
