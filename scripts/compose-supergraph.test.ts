import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isScalarType, isSpecifiedScalarType, parse } from 'graphql';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { SUBGRAPH_HEADER, loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import { scalarResolvers } from '../subgraphs/kit/scalars';
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

test('every custom scalar reaches the API schema with the description and @specifiedBy URL the kit gives it', () => {
  const result = composeSupergraph();
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const { apiSchema } = buildCatalog(result.supergraph);
  const custom = Object.values(apiSchema.getTypeMap()).filter((t) => isScalarType(t) && !isSpecifiedScalarType(t));
  expect(custom.map((t) => t.name).sort()).toEqual(Object.values(scalarResolvers).map((s) => s.name).sort());
  for (const composed of custom) {
    const kit = Object.values(scalarResolvers).find((s) => s.name === composed.name);
    const facts = (s: typeof kit) => ({ name: s?.name, description: s?.description, specifiedByURL: isScalarType(s) && s.specifiedByURL });
    expect(facts(composed as typeof kit)).toEqual(facts(kit));
    expect(composed.description && isScalarType(composed) && composed.specifiedByURL).toMatch(/^https:\/\//);
  }
  expect(result.supergraph).toContain('@specifiedBy(url: "https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E")');
  const standards = Object.fromEntries(Object.values(scalarResolvers).map((s) => [s.name, [/GB\/T 2260|GB 32100|GB 11643|RFC 3339/.exec(s.description ?? '')?.[0], s.specifiedByURL]]));
  expect(standards).toEqual({
    IdNumber: ['GB 11643', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E'],
    CreditCode: ['GB 32100', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=24691C25985C1073D3A7C85629378AC0'],
    RegionCode: ['GB/T 2260', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=C9C488FD717AFDCD52157F41C3302C6D'],
    Date: ['RFC 3339', 'https://www.rfc-editor.org/rfc/rfc3339'],
    DateTime: ['RFC 3339', 'https://www.rfc-editor.org/rfc/rfc3339'],
  });
});

const source = (name: string, sdl: string) => ({ name, url: `http://127.0.0.1:1/${name}`, typeDefs: parse(SUBGRAPH_HEADER + sdl) });
const OWNER = 'type Query { person(idNumber: IdNumber!): Person @sharing(class: CONDITIONAL, sensitivity: PERSONAL) } type Person @key(fields: "idNumber") { idNumber: IdNumber! @sharing(class: CONDITIONAL, sensitivity: SENSITIVE) name: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }';

describe('who owns an entity’s key', () => {
  const compose = (...sources: Array<ReturnType<typeof source>>) => {
    const result = composeSupergraph(sources);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    return result.supergraph;
  };

  test('a department that restates the key without a sharing class extends the entity, and the key is the owner’s', () => {
    const supergraph = compose(source('alpha', OWNER), source('beta', 'type Person @key(fields: "idNumber") { idNumber: IdNumber! age: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }'));
    expect(supergraph).toContain('@join__type(graph: BETA, key: "idNumber", extension: true)');
    expect(supergraph).toMatch(/@join__type\(graph: ALPHA, key: "idNumber"\)\n/);
    const { fields } = buildCatalog(supergraph);
    expect(['Person.idNumber', 'Person.name', 'Person.age'].map((c) => fields.get(c)?.subgraphs)).toEqual([['alpha'], ['alpha'], ['beta']]);
  });

  test('a department that writes `extend type` itself is an extender too', () => {
    const { fields } = buildCatalog(compose(source('alpha', OWNER), source('beta', 'extend type Person @key(fields: "idNumber") { idNumber: IdNumber! age: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }')));
    expect(fields.get('Person.idNumber')?.subgraphs).toEqual(['alpha']);
  });

  test('a department that declares another’s key as its owner does is refused: an entity has one owner', () => {
    const claims = (how: string) => source('beta', `type Person @key(fields: "idNumber") ${how} age: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }`);
    for (const claim of [claims('{ idNumber: IdNumber! @sharing(class: CONDITIONAL, sensitivity: SENSITIVE)'), claims('@sharing(class: CONDITIONAL, sensitivity: SENSITIVE) { idNumber: IdNumber!')]) {
      const result = composeSupergraph([source('alpha', OWNER), claim]);
      expect(result).toMatchObject({ ok: false, explained: [{ code: 'ENTITY_OWNED_TWICE', message: 'alpha and beta both declare the key of Person' }] });
      expect(!result.ok && result.problems[0]).toMatch(/\n {4}fix: the department that does not own Person restates its key without @sharing/);
    }
  });
});

describe('composition problems name the subgraph and the field', () => {

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
    expect(result).toMatchObject({ ok: false, explained: [{ code: 'NO_SHARING_CLASS', message: 'Query.b has no @sharing declaration on the field or its type' }] });
    expect(!result.ok && result.problems).toEqual([expect.stringMatching(/^Query\.b \(in alpha\) has no sharing class.*\n {4}fix: add @sharing\(class: …, sensitivity: …\) to the field/)]);
  });

  test('two departments that give one field different sharing classes: the owner is not outvoted', () => {
    const extender = (name: string) => source(name, `type Person @key(fields: "idNumber") { idNumber: IdNumber! @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) ${name}: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }`);
    const result = composeSupergraph([source('alpha', OWNER), extender('beta'), extender('gamma')]);
    expect(result).toMatchObject({ ok: false, explained: [{ code: 'SHARING_CLASS_CONFLICT', message: 'Person.idNumber is declared CONDITIONAL/SENSITIVE by alpha but UNCONDITIONAL/PUBLIC by beta and gamma' }] });
    expect(!result.ok && result.problems).toEqual([expect.stringMatching(/^Person\.idNumber is declared .*\n {4}fix: a department that adds fields to another department's entity restates its key without @sharing/)]);
  });

  test('a department’s @sharing on another department’s type does not outvote the class its owner gives the type', () => {
    const household = 'type Household @sharing(class: CONDITIONAL, sensitivity: PERSONAL) { address: String policeStation: String @sharing(class: NONE, sensitivity: INTERNAL) }';
    const owner = source('security', `${OWNER.replace('name: String', 'household: Household @sharing(class: CONDITIONAL, sensitivity: PERSONAL) name: String')} ${household}`);
    // The value type's own field is hidden, so that the graph still composes with it.
    const outvoter = (name: string) => source(name, `type Household @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) { ${name}Note: String @inaccessible }`);
    for (const others of [[outvoter('beta')], [outvoter('beta'), outvoter('gamma')]]) {
      const result = composeSupergraph([owner, ...others]);
      expect(result).toMatchObject({
        ok: false,
        explained: expect.arrayContaining([
          expect.objectContaining({ code: 'SHARING_CLASS_OVERRIDDEN', message: `Household.address is declared CONDITIONAL/PERSONAL by security, but the composed graph gives it UNCONDITIONAL/PUBLIC (from the type's @sharing in ${others.map((o) => o.name).join(' and ')})` }),
        ]),
      });
      expect(!result.ok && result.problems.join('\n')).toMatch(/\n {4}fix: a department that adds fields to another department's type puts @sharing on its own fields, not on the type/);
    }
  });

  test('a department cannot take another department’s field with @override, nor have its fields handed over with @requires', () => {
    const takeover = source('beta', 'type Query { person(idNumber: IdNumber!): Person @override(from: "alpha") @sharing(class: CONDITIONAL, sensitivity: PERSONAL) } type Person @key(fields: "idNumber") { idNumber: IdNumber! name: String @override(from: "alpha") @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }');
    const taken = composeSupergraph([source('alpha', OWNER), takeover]);
    expect(taken).toMatchObject({
      ok: false,
      explained: [
        { code: 'FIELD_OF_ANOTHER_DEPARTMENT', message: 'beta applies @override(from: "alpha") to Query.person' },
        { code: 'FIELD_OF_ANOTHER_DEPARTMENT', message: 'beta applies @override(from: "alpha") to Person.name' },
      ],
    });
    expect(!taken.ok && taken.problems[0]).toMatch(/^beta takes Query\.person from alpha with @override: .*\n {4}fix: .*remove @override/);
    const requirer = source('beta', 'type Person @key(fields: "idNumber") { idNumber: IdNumber! name: String @external age: Int @requires(fields: "name") @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }');
    const required = composeSupergraph([source('alpha', OWNER), requirer]);
    expect(required).toMatchObject({ ok: false, explained: [{ code: 'FIELD_OF_ANOTHER_DEPARTMENT', message: 'beta applies @requires(fields: "name") to Person.age' }] });
    expect(!required.ok && required.problems[0]).toMatch(/no contract grants beta .*\n {4}fix: read other departments' data through the gateway as beta's own platform app/);
  });

  test('a schema that declares the kit’s @sharing itself, or names a type as the supergraph’s own, is refused naming the file and line, not by an assertion inside federation', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'schema-')), 'schema.graphql');
    writeFileSync(file, 'type Query { a: Int @sharing(class: "UNCONDITIONAL", sensitivity: "PUBLIC") }\n\ndirective @sharing(class: String, sensitivity: String) on FIELD_DEFINITION\n');
    expect(() => loadSubgraphTypeDefs(file)).toThrow(/schema\.graphql:3:1: declares @sharing, which the kit's header declares for every department: remove the declaration/);
    writeFileSync(file, 'type Query { a: link__Secret @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) }\ntype link__Secret { b: Int }\n');
    expect(() => loadSubgraphTypeDefs(file)).toThrow(/schema\.graphql:2:1: names a type link__Secret: the prefixes link__, join__ and federation__ are the supergraph's own, so give the type a name of your own/);
  });

  test('a syntax error names the schema file and line', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'schema-')), 'schema.graphql');
    writeFileSync(file, 'type Query {\n  a: Int\n  b Int\n}\n');
    expect(() => loadSubgraphTypeDefs(file)).toThrow(/schema\.graphql:3:5: Syntax Error/);
  });
});
