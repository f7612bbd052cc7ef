/** `npm run compose`: writes supergraph.graphql, or lists every composition problem and exits 1. */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeSupergraph, referenceSubgraphs, type CompositionResult } from './compose-supergraph';

function compose(): CompositionResult {
  try {
    return composeSupergraph(referenceSubgraphs());
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
}

const result = compose();
if (!result.ok) {
  process.stderr.write(`Composition failed:\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
const file = resolve(__dirname, '..', 'supergraph.graphql');
writeFileSync(file, result.supergraph);
process.stdout.write(`wrote ${file}\n`);
