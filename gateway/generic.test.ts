import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog } from '../contracts/supergraph-catalog';

test('the gateway names no department, type or field of the reference deployment', () => {
  const catalog = buildCatalog(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
  // "audit" is also the platform's own concept (the gateway writes the trail), not a department it knows.
  const names = new Set<string>(catalog.subgraphs.filter((name) => name !== 'audit'));
  for (const facts of catalog.fields.values()) if (!['Query', 'Mutation', 'PageInfo'].includes(facts.type)) names.add(facts.type);
  const sources = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const found = sources.flatMap((file) => {
    const code = readFileSync(join(__dirname, file), 'utf8');
    return [...names].filter((name) => new RegExp(`\\b${name}\\b`).test(code)).map((name) => `${file}: ${name}`);
  });
  expect(found).toEqual([]);
});
