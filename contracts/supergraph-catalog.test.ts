/**
 * The catalog is what the contracts are checked against and the access matrix attributes grants from: it
 * holds the fields of the API schema, and names for each the departments that really resolve it.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_HEADER } from '../subgraphs/kit/federation';
import { checkContracts } from './check-contracts';
import { parseContracts } from './load-contracts';
import { buildCatalog } from './supergraph-catalog';

const OWNER = `
  type Query { person(idNumber: IdNumber!): Person @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }
  type Person @key(fields: "idNumber") {
    idNumber: IdNumber! @sharing(class: CONDITIONAL, sensitivity: SENSITIVE)
    name: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL)
    birthDate: Date @sharing(class: CONDITIONAL, sensitivity: PERSONAL)
  }`;

function supergraphOf(departments: Record<string, string>): string {
  const result = composeServices(Object.entries(departments).map(([name, sdl]) => ({ name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(SUBGRAPH_HEADER + sdl) })));
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

test('a field another department hides with @inaccessible is no field of the catalog, and a grant of it is a problem, not a crash', () => {
  const catalog = buildCatalog(
    supergraphOf({
      owner: OWNER,
      hider: 'type Person @key(fields: "idNumber") { idNumber: IdNumber! @inaccessible age: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }',
    }),
  );
  expect(catalog.apiSchema.getType('Person')).toBeDefined();
  expect(catalog.fields.has('Person.idNumber')).toBe(false);
  const contract = `app: reader\nname: r\nowner: o\ncontact: { name: c }\nvalidFrom: 2020-01-01\nvalidUntil: 2099-12-31\napprovedBy: a\napprovedOn: 2020-01-01\nlegalBasis: l\npurposes:\n  - code: P\n    description: d\n    grants: [Query.person, Person.idNumber]\n`;
  const { contracts } = parseContracts([{ file: 'reader.yaml', text: contract }]);
  expect(checkContracts(contracts, catalog, undefined).map((p) => `${p.coordinate}: ${p.message}`)).toEqual(['Person.idNumber: is not a field of the supergraph']);
});

test('a department that only names another department’s field @external (to require it) is not named as resolving it', () => {
  const { fields } = buildCatalog(
    supergraphOf({
      owner: OWNER,
      requirer: 'type Person @key(fields: "idNumber") { idNumber: IdNumber! birthDate: Date @external age: Int @requires(fields: "birthDate") @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }',
    }),
  );
  expect(fields.get('Person.birthDate')?.subgraphs).toEqual(['owner']);
  expect(fields.get('Person.age')?.subgraphs).toEqual(['requirer']);
});
