import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
