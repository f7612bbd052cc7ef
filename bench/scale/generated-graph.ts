/**
 * A generated provincial graph: the reference departments plus generated ones up to `departments`, each
 * with its own object types (the first an entity, the others reached through it) and a field on the
 * shared Person entity, so that an operation about a person fans out to many departments — the planning
 * a large federation asks for. Every field carries its sharing class, as the kit requires.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type DocumentNode } from 'graphql';
import { loadSubgraphTypeDefs } from '../../subgraphs/kit/federation';
import { referenceSubgraphs, type SubgraphSource } from '../../scripts/compose-supergraph';

const SHARED = '@sharing(class: CONDITIONAL, sensitivity: PERSONAL)';

export function generatedDepartmentName(index: number): string {
  return `scale-dept-${String(index).padStart(2, '0')}`;
}

/** The type name prefix of a generated department (a GraphQL name). */
function prefix(index: number): string {
  return `ScaleDept${String(index).padStart(2, '0')}`;
}

/** The schema of the `index`th generated department: `types` object types in a chain, the first an entity. */
export function generatedDepartmentSchema(index: number, types: number): string {
  const p = prefix(index);
  const root = `${p}Record0`;
  const lines = [
    `type Query {\n  ${p.charAt(0).toLowerCase()}${p.slice(1)}Records(first: Int = 20): [${root}!]! ${SHARED}\n}`,
    `type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  ${p.charAt(0).toLowerCase()}${p.slice(1)}Records: [${root}!]! ${SHARED}\n}`,
  ];
  for (let t = 0; t < types; t++) {
    const key = t === 0 ? ' @key(fields: "id")' : '';
    const next = t + 1 < types ? `\n  detail: ${p}Record${t + 1} ${SHARED}` : '';
    lines.push(`type ${p}Record${t}${key} {\n  id: ID! ${SHARED}\n  title: String! ${SHARED}\n  status: String ${SHARED}\n  amount: Float ${SHARED}\n  recordedOn: Date ${SHARED}${next}\n}`);
  }
  return `${lines.join('\n\n')}\n`;
}

/** Object types a subgraph's schema defines (not the kit's header). */
export function objectTypeNames(subgraphs: readonly SubgraphSource[]): Set<string> {
  const names = new Set<string>();
  for (const subgraph of subgraphs) for (const d of subgraph.typeDefs.definitions) if (d.kind === Kind.OBJECT_TYPE_DEFINITION) names.add(d.name.value);
  return names;
}

export interface GeneratedGraph {
  subgraphs: SubgraphSource[];
  generatedDepartments: number;
  types: number;
}

/** The reference departments plus generated ones, `departments` in all and about `types` object types. */
export function generatedGraph(dir: string, departments: number, types: number): GeneratedGraph {
  const reference = referenceSubgraphs();
  const generatedDepartments = departments - reference.length;
  if (generatedDepartments < 1) throw new Error(`a generated graph needs more than the ${reference.length} reference departments`);
  const perDepartment = Math.max(1, Math.ceil((types - objectTypeNames(reference).size) / generatedDepartments));
  mkdirSync(dir, { recursive: true });
  const generated = Array.from({ length: generatedDepartments }, (_, i) => {
    const name = generatedDepartmentName(i + 1);
    const file = join(dir, `${name}.graphql`);
    writeFileSync(file, generatedDepartmentSchema(i + 1, perDepartment));
    return { name, url: `http://127.0.0.1:9/${name}/graphql`, typeDefs: loadSubgraphTypeDefs(file) };
  });
  const subgraphs = [...reference, ...generated];
  return { subgraphs, generatedDepartments, types: objectTypeNames(subgraphs).size };
}

/** An operation about one person that reads from the first `departments` generated departments, two types deep. */
export function fanOutOperation(departments: number): DocumentNode {
  const fields = Array.from({ length: departments }, (_, i) => {
    const p = prefix(i + 1);
    return `${p.charAt(0).toLowerCase()}${p.slice(1)}Records { id title status detail { id amount } }`;
  });
  return parse(`query FanOut($id: IdNumber!) { person(idNumber: $id) { idNumber name ${fields.join(' ')} } }`);
}
