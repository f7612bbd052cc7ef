import { parseSupergraph, subgraphsOf } from './supergraph-subgraphs';

const SUPERGRAPH = parseSupergraph(`
enum join__Graph {
  FLEET @join__graph(name: "fleet", url: "http://fleet.example/graphql")
  COSTS @join__graph(name: "costs", url: "http://costs.example/graphql")
}`);

test('each subgraph with its URL, overridden by name, and its health URL when one is configured', () => {
  expect(subgraphsOf(SUPERGRAPH, { costs: 'http://10.0.0.2/graphql' }, { fleet: 'http://10.0.0.1/readyz' })).toEqual([
    { name: 'fleet', url: 'http://fleet.example/graphql', healthUrl: 'http://10.0.0.1/readyz' },
    { name: 'costs', url: 'http://10.0.0.2/graphql' },
  ]);
});

test('a health URL for a subgraph the supergraph does not name stops start-up, naming it and the subgraphs there are', () => {
  expect(() => subgraphsOf(SUPERGRAPH, {}, { fleet: 'http://10.0.0.1/readyz', cost: 'http://10.0.0.2/readyz' })).toThrow(
    'SUBGRAPH_HEALTH_URLS names cost, which the supergraph does not: its subgraphs are fleet, costs',
  );
});
