/**
 * Every entity reference and child list goes through a per-request DataLoader: a page of 100 enterprises
 * with their legal representatives and those persons' marriages runs as many SQL statements as a page of 10.
 */
import { startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const PAGE = `query($first: Int) {
  enterprises(first: $first) {
    nodes {
      name
      licences { number }
      penalties { decisionNumber }
      legalRepresentative { name household { head { name } } marriages { kind spouse { name } } subsistenceAllowance { status } applications { id item { name } } }
      applications { id }
      cityEvents { id dispatches { department } grid { name } }
    }
  }
}`;

async function statementsFor(first: number): Promise<number> {
  const before = await graph.subgraphCounter('govgraph_db_statements_total');
  const { body } = await graph.query(PAGE, { variables: { first } });
  expect(body.errors).toBeUndefined();
  expect(body.data.enterprises.nodes).toHaveLength(first);
  return (await graph.subgraphCounter('govgraph_db_statements_total')) - before;
}

test('SQL statements stay flat as the page grows from 10 to 100', async () => {
  const ten = await statementsFor(10);
  const hundred = await statementsFor(100);
  expect(ten).toBeGreaterThan(5);
  expect(hundred).toBe(ten);
});

test('each list level costs one statement, however many rows it has', async () => {
  const before = await graph.subgraphCounter('govgraph_db_statements_total');
  const { body } = await graph.query(`{ a: enterprises(first: 30) { nodes { legalRepresentative { name } } } b: enterprises(first: 30) { nodes { legalRepresentative { name } } } }`);
  expect(body.data.a).toEqual(body.data.b);
  // The gateway fetches each alias's references separately: per alias, one page and one batch of persons.
  expect((await graph.subgraphCounter('govgraph_db_statements_total')) - before).toBe(4);
});
