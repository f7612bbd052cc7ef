import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { SUBGRAPH_HEADER, loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import { composeSupergraph } from './compose-supergraph';

test('the committed supergraph.graphql is what npm run compose writes now', () => {
  const result = composeSupergraph();
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const committed = readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8');
  // If this fails, a department changed its schema: run `npm run compose` and commit the result.
  expect(committed).toBe(result.supergraph);
});

test('the supergraph keeps every department’s sharing classes', () => {
  const result = composeSupergraph();
  if (!result.ok) throw new Error(result.problems.join('\n'));
  expect(result.supergraph).toMatch(/riskRating: String @join__field\(graph: MARKET_REGULATION\) @sharing\(class: NONE, sensitivity: INTERNAL\)/);
  expect(result.supergraph).toMatch(/idNumber: IdNumber! @sharing\(class: CONDITIONAL, sensitivity: SENSITIVE\)/);
});

describe('composition problems name the subgraph and the field', () => {
  const source = (name: string, sdl: string) => ({ name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(SUBGRAPH_HEADER + sdl) });

  test('a field typed differently by two departments', () => {
    const result = composeSupergraph([
      source('alpha', 'type Query { a: Int @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) } type Person @key(fields: "idNumber") { idNumber: IdNumber! name: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }'),
      source('beta', 'type Person @key(fields: "idNumber") { idNumber: IdNumber! name: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }'),
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join('\n')).toMatch(/FIELD_TYPE_MISMATCH: .*"Person\.name".*subgraph "alpha".*subgraph "beta"/);
  });

  test('a field without a sharing class', () => {
    const result = composeSupergraph([source('alpha', 'type Query { a: Int @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) b: Int }')]);
    expect(result).toEqual({ ok: false, problems: ['NO_SHARING_CLASS: Query.b has no @sharing declaration on the field or its type'] });
  });

  test('a syntax error names the schema file and line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'schema-')), 'schema.graphql');
    writeFileSync(file, 'type Query {\n  a: Int\n  b Int\n}\n');
    expect(() => loadSubgraphTypeDefs(file)).toThrow(/schema\.graphql:3:5: Syntax Error/);
  });
});
