/**
 * `@skip` / `@include` decided before the access gate (skip-include.ts): the document every later step
 * sees holds exactly the selections graphql-js's executor would run with the request's variables — checked
 * against graphql-js itself over generated documents — and no condition any later step could decide
 * differently; a condition graphql-js could not decide refuses the request; each combination of values
 * is its own document, with its own plan-cache key.
 */
import fc from 'fast-check';
import {
  Kind,
  NoUnusedVariablesRule,
  buildSchema,
  execute,
  getOperationAST,
  parse,
  print,
  responsePathAsArray,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog } from './supergraph-catalog';
import { createSkipInclude, type SwitchedDocument, type Switched } from './skip-include';

const api = buildCatalog(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8')).apiSchema;
const FIRM = '91350100M000100Y43';
/** Another valid credit code: `creditCode('91', '350100', 2)` of the synthetic world's generator. */
const OTHER_FIRM = '91350100MA0041E865';
const PERSON = '110101199003070011';

function switchedOf(text: string, variables: Record<string, unknown> = {}, operationName?: string): { document: DocumentNode; switched: Switched } {
  const document = parse(text);
  return { document, switched: createSkipInclude(api)(document, getOperationAST(document, operationName)!, variables) };
}

function documentOf(switched: Switched): SwitchedDocument {
  if (!switched || 'problem' in switched) throw new Error(`expected a switched document, got ${JSON.stringify(switched)}`);
  return switched;
}

/** The switched document's text, to compare with the text the later steps should see. */
const textOf = (switched: Switched) => print(documentOf(switched).document);
const printed = (text: string) => print(parse(text));

/** The issue's example: one document, the legal representative an optional part. */
const WITH_REPRESENTATIVE = `query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) {
  enterprise(creditCode: $creditCode) { name legalRepresentative @include(if: $withRepresentative) { name idNumber } }
}`;

describe('a document without @skip or @include', () => {
  test('is used as it is: nothing is rewritten, whatever the variables', () => {
    expect(switchedOf(`{ enterprise(creditCode: "${FIRM}") { name } }`).switched).toBeUndefined();
    expect(switchedOf(`query($id: IdNumber!) { person(idNumber: $id) { name } }`, { id: PERSON }).switched).toBeUndefined();
  });

  test('a directive other than @skip or @include does not make the document conditional', () => {
    expect(switchedOf(`{ enterprise(creditCode: "${FIRM}") { name @specifiedBy(url: "x") } }`).switched).toBeUndefined();
  });
});

describe('what the conditions switch off is removed, what they keep loses the condition', () => {
  test.each([
    ['@include(if: false) removes a field', `{ enterprise(creditCode: "${FIRM}") { name status @include(if: false) } }`, `{ enterprise(creditCode: "${FIRM}") { name } }`],
    ['@include(if: true) keeps it', `{ enterprise(creditCode: "${FIRM}") { name status @include(if: true) } }`, `{ enterprise(creditCode: "${FIRM}") { name status } }`],
    ['@skip(if: true) removes a field', `{ enterprise(creditCode: "${FIRM}") { name status @skip(if: true) } }`, `{ enterprise(creditCode: "${FIRM}") { name } }`],
    ['@skip(if: false) keeps it', `{ enterprise(creditCode: "${FIRM}") { name status @skip(if: false) } }`, `{ enterprise(creditCode: "${FIRM}") { name status } }`],
    ['both: kept only when not skipped and included', `{ enterprise(creditCode: "${FIRM}") { a: name @skip(if: false) @include(if: true) b: name @skip(if: true) @include(if: true) c: name @skip(if: false) @include(if: false) } }`, `{ enterprise(creditCode: "${FIRM}") { a: name } }`],
    ['an inline fragment switched off goes with its fields', `{ enterprise(creditCode: "${FIRM}") { name ... @include(if: false) { legalRepresentative { name } } } }`, `{ enterprise(creditCode: "${FIRM}") { name } }`],
    ['a typed inline fragment kept keeps its type condition', `{ enterprise(creditCode: "${FIRM}") { ... on Enterprise @skip(if: false) { name } } }`, `{ enterprise(creditCode: "${FIRM}") { ... on Enterprise { name } } }`],
    [
      'a fragment spread switched off goes, and so does its definition when nothing else spreads it',
      `{ enterprise(creditCode: "${FIRM}") { name ...Rep @include(if: false) } } fragment Rep on Enterprise { legalRepresentative { name } }`,
      `{ enterprise(creditCode: "${FIRM}") { name } }`,
    ],
    [
      'a fragment switched off at one spread is kept where another spreads it',
      `{ a: enterprise(creditCode: "${FIRM}") { name ...Rep @skip(if: true) } b: enterprise(creditCode: "${FIRM}") { ...Rep } } fragment Rep on Enterprise { legalRepresentative { name } }`,
      `{ a: enterprise(creditCode: "${FIRM}") { name } b: enterprise(creditCode: "${FIRM}") { ...Rep } } fragment Rep on Enterprise { legalRepresentative { name } }`,
    ],
    [
      'a condition inside a fragment applies wherever it is spread',
      `{ enterprise(creditCode: "${FIRM}") { ...Firm } } fragment Firm on Enterprise { name legalRepresentative @include(if: false) { name } }`,
      `{ enterprise(creditCode: "${FIRM}") { ...Firm } } fragment Firm on Enterprise { name }`,
    ],
    [
      'the same field twice, once switched off and once not, is kept: it is read',
      `{ enterprise(creditCode: "${FIRM}") { legalRepresentative @include(if: false) { name } legalRepresentative { idNumber } } }`,
      `{ enterprise(creditCode: "${FIRM}") { legalRepresentative { idNumber } } }`,
    ],
    [
      'a field whose every sub-selection is off still reads its row, as __typename',
      `{ enterprise(creditCode: "${FIRM}") { name legalRepresentative { name @skip(if: true) } } }`,
      `{ enterprise(creditCode: "${FIRM}") { name legalRepresentative { __typename } } }`,
    ],
    [
      'a fragment left empty is not spread, and an inline fragment left empty is dropped',
      `{ enterprise(creditCode: "${FIRM}") { name ...Empty ... { status @include(if: false) } } } fragment Empty on Enterprise { status @skip(if: true) }`,
      `{ enterprise(creditCode: "${FIRM}") { name } }`,
    ],
    ['other directives are kept', `{ enterprise(creditCode: "${FIRM}") { name @include(if: true) @specifiedBy(url: "x") } }`, `{ enterprise(creditCode: "${FIRM}") { name @specifiedBy(url: "x") } }`],
  ])('%s', (_name, text, expected) => {
    expect(textOf(switchedOf(text).switched)).toBe(printed(expected));
  });

  test("the issue's example: with the part off, the legal representative is not in the document; with it on, it is, unconditionally", () => {
    const off = documentOf(switchedOf(WITH_REPRESENTATIVE, { creditCode: FIRM, withRepresentative: false }).switched);
    const on = documentOf(switchedOf(WITH_REPRESENTATIVE, { creditCode: FIRM, withRepresentative: true }).switched);
    expect(print(off.document)).toBe(printed('query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) { enterprise(creditCode: $creditCode) { name } }'));
    expect(print(on.document)).toBe(printed('query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) { enterprise(creditCode: $creditCode) { name legalRepresentative { name idNumber } } }'));
    expect([off.empty, on.empty]).toEqual([false, false]);
  });

  test('a variable left out takes its default; one sent overrides it', () => {
    const text = `query($rep: Boolean = false) { enterprise(creditCode: "${FIRM}") { name legalRepresentative @include(if: $rep) { name } } }`;
    expect(textOf(switchedOf(text).switched)).not.toContain('legalRepresentative');
    expect(textOf(switchedOf(text, { rep: true }).switched)).toContain('legalRepresentative');
    const skipping = `query($hide: Boolean! = true) { enterprise(creditCode: "${FIRM}") { name legalRepresentative @skip(if: $hide) { name } } }`;
    expect(textOf(switchedOf(skipping).switched)).not.toContain('legalRepresentative');
    expect(textOf(switchedOf(skipping, { hide: false }).switched)).toContain('legalRepresentative');
  });

  test('only the operation asked for is kept, decided with its own variables; the others and the fragments only they spread are left out', () => {
    const text = `query A($x: Boolean!) { enterprise(creditCode: "${FIRM}") { name status @include(if: $x) } }
      query B { person(idNumber: "${PERSON}") { ...P } }
      fragment P on Person { name phone @skip(if: $y) }`;
    expect(textOf(switchedOf(text, { x: false }, 'A').switched)).toBe(printed(`query A($x: Boolean!) { enterprise(creditCode: "${FIRM}") { name } }`));
  });

  test('with every root selection switched off, nothing is left to run', () => {
    const switched = documentOf(switchedOf(`query($on: Boolean!) { enterprise(creditCode: "${FIRM}") @include(if: $on) { name } ...Q @include(if: $on) } fragment Q on Query { person(idNumber: "${PERSON}") { name } }`, { on: false }).switched);
    expect(switched.empty).toBe(true);
    expect(switched.operation.selectionSet.selections).toEqual([]);
    expect(documentOf(switchedOf(`{ a: enterprise(creditCode: "${FIRM}") @skip(if: true) { name } b: enterprise(creditCode: "${FIRM}") { name } }`).switched).empty).toBe(false);
  });
});

describe('conditions graphql-js could not decide refuse the request', () => {
  test('an explicit null for a condition variable with a default (graphql-js fails the field; the gateway refuses the request)', () => {
    const { switched } = switchedOf(`query($rep: Boolean = true) { enterprise(creditCode: "${FIRM}") { name legalRepresentative @include(if: $rep) { name } } }`, { rep: null });
    expect(switched).toEqual({ problem: 'Argument "if" of non-null type "Boolean!" must not be null.' });
  });

  test('a required condition variable left out, or of the wrong type', () => {
    expect(switchedOf(WITH_REPRESENTATIVE, { creditCode: FIRM })).toMatchObject({ switched: { problem: expect.stringContaining('"$withRepresentative" of required type "Boolean!" was not provided') } });
    expect(switchedOf(WITH_REPRESENTATIVE, { creditCode: FIRM, withRepresentative: 'false' })).toMatchObject({ switched: { problem: expect.stringContaining('Boolean cannot represent a non boolean value') } });
  });

  test('a nullable condition variable with no default, left out (a document validation lets through only in other positions)', () => {
    const { switched } = switchedOf(`query($rep: Boolean) { enterprise(creditCode: "${FIRM}") { legalRepresentative @include(if: $rep) { name } } }`);
    expect(switched).toEqual({ problem: expect.stringContaining('was provided the variable "$rep" which was not provided a runtime value') });
  });

  test('only the variables the conditions read are coerced: a wrong value elsewhere is left to the variables check', () => {
    const text = `query($id: IdNumber!, $on: Boolean!) { person(idNumber: $id) { name phone @include(if: $on) } }`;
    expect(textOf(switchedOf(text, { id: 42, on: true }).switched)).toContain('phone');
  });
});

describe('each combination of values is one document', () => {
  test('the same values give the same document object, other values another, with their own plan-cache keys', () => {
    const document = parse(WITH_REPRESENTATIVE);
    const operation = getOperationAST(document)!;
    const apply = createSkipInclude(api);
    const off = documentOf(apply(document, operation, { creditCode: FIRM, withRepresentative: false }));
    const on = documentOf(apply(document, operation, { creditCode: FIRM, withRepresentative: true }));
    expect(apply(document, operation, { creditCode: OTHER_FIRM, withRepresentative: false })).toBe(off);
    expect(apply(document, operation, { creditCode: FIRM, withRepresentative: true })).toBe(on);
    expect(on.operation).not.toBe(off.operation);
    expect(new Set([off.queryHash, on.queryHash]).size).toBe(2);
    expect(off.queryHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a combination decided again after many others is still decided from its own values', () => {
    const vars = Array.from({ length: 7 }, (_, i) => `$v${i}: Boolean!`).join(', ');
    const fields = Array.from({ length: 7 }, (_, i) => `f${i}: name @include(if: $v${i})`).join(' ');
    const document = parse(`query(${vars}) { enterprise(creditCode: "${FIRM}") { ${fields} } }`);
    const operation = getOperationAST(document)!;
    const apply = createSkipInclude(api);
    const valuesOf = (n: number) => Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`v${i}`, ((n >> i) & 1) === 1]));
    for (let n = 0; n < 128; n++) apply(document, operation, valuesOf(n));
    for (const n of [0, 5, 127]) {
      const text = textOf(apply(document, operation, valuesOf(n)));
      for (let i = 0; i < 7; i++) expect(text.includes(`f${i}: name`)).toBe(((n >> i) & 1) === 1);
    }
  });
});

describe('the document every later step sees runs exactly what graphql-js would run (generated documents)', () => {
  const schema = buildSchema(`
    type Query { enterprise: Enterprise person: Person }
    type Enterprise { name: String creditCode: String legalRepresentative: Person }
    type Person { name: String idNumber: String employer: Enterprise }
  `);
  const FIELDS: Record<string, Array<[string, string | undefined]>> = {
    Query: [['enterprise', 'Enterprise'], ['person', 'Person']],
    Enterprise: [['name', undefined], ['creditCode', undefined], ['legalRepresentative', 'Person']],
    Person: [['name', undefined], ['idNumber', undefined], ['employer', 'Enterprise']],
  };
  const condition = fc.constantFrom('true', 'false', '$a', '$b');
  const directives = fc.oneof(
    fc.constant(''),
    condition.map((c) => ` @skip(if: ${c})`),
    condition.map((c) => ` @include(if: ${c})`),
    fc.tuple(condition, condition).map(([s, i]) => ` @skip(if: ${s}) @include(if: ${i})`),
  );
  /** Selections of a type; named fragments (`EnterprisePart`, `PersonPart`) are spread only where `spreads` allows (no cycles). */
  const selections = (type: string, depth: number, spreads: boolean): fc.Arbitrary<string> => {
    const field = fc.tuple(fc.constantFrom(...FIELDS[type]!), directives).chain(([[name, child], directive]) =>
      child && depth > 0 ? selections(child, depth - 1, spreads).map((inner) => `${name}${directive} { ${inner} }`) : fc.constant(child ? `${name}${directive} { __typename }` : `${name}${directive}`),
    );
    const inline = depth > 0 ? [fc.tuple(fc.boolean(), directives, fc.constant(null)).chain(([typed, directive]) => selections(type, depth - 1, spreads).map((inner) => `...${typed ? ` on ${type}` : ''}${directive} { ${inner} }`))] : [];
    const spread = spreads && type !== 'Query' ? [directives.map((directive) => `...${type}Part${directive}`)] : [];
    return fc.array(fc.oneof(field, ...inline, ...spread), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
  };
  const documents = fc.record({
    root: selections('Query', 3, true),
    enterprisePart: selections('Enterprise', 1, false),
    personPart: selections('Person', 1, false),
  });
  const values = fc.record({ a: fc.boolean(), b: fc.option(fc.boolean(), { nil: undefined }) });

  /** Runs a document with graphql-js, recording the path of every field it resolves. */
  const run = (document: DocumentNode, variableValues: Record<string, unknown>) => {
    const resolved = new Set<string>();
    const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (_source, _args, _context, info) => {
      resolved.add(responsePathAsArray(info.path).join('.'));
      return FIELDS[info.parentType.name]!.find(([name]) => name === info.fieldName)![1] ? {} : info.fieldName;
    };
    return { result: execute({ schema, document, variableValues, fieldResolver }) as ExecutionResult, resolved };
  };
  /** The data without `__typename`: a field whose sub-selections are all off answers `{ __typename }` where graphql-js answers `{}`. */
  const withoutTypename = (value: unknown): unknown =>
    value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== '__typename').map(([k, v]) => [k, withoutTypename(v)])) : value;

  test('the same fields resolved, the same answer, a valid document, no condition left', () => {
    const apply = createSkipInclude(schema);
    fc.assert(
      fc.property(documents, values, ({ root, enterprisePart, personPart }, variables) => {
        const text = `query($a: Boolean!, $b: Boolean = true) { ${root} } fragment EnterprisePart on Enterprise { ${enterprisePart} } fragment PersonPart on Person { ${personPart} }`;
        const document = parse(text);
        const sent = variables.b === undefined ? { a: variables.a } : variables;
        const switched = apply(document, getOperationAST(document)!, sent);
        const original = run(document, sent);
        expect(original.result.errors).toBeUndefined();
        if (!switched) {
          expect(text).not.toMatch(/@(skip|include)/);
          return;
        }
        const { document: seen, empty } = documentOf(switched);
        let conditions = 0;
        visit(seen, { Directive: () => void conditions++ });
        expect(conditions).toBe(0);
        // Unused variables are allowed: a variable read only by a condition is left declared.
        expect(validate(schema, seen, specifiedRules.filter((rule) => rule !== NoUnusedVariablesRule))).toEqual([]);
        const after = run(seen, sent);
        expect([...after.resolved].sort()).toEqual([...original.resolved].sort());
        expect(withoutTypename(after.result.data)).toEqual(withoutTypename(original.result.data));
        expect(empty).toBe(Object.keys(original.result.data ?? {}).length === 0);
        expect(seen.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)).toHaveLength(1);
      }),
      { numRuns: 400 },
    );
  });
});

test('two operations of one document with the same values each get their own switched document', () => {
  const skipInclude = createSkipInclude(api);
  const document = parse(`
    query Names($on: Boolean!) { enterprise(creditCode: "${FIRM}") { name @include(if: $on) } }
    query Codes($on: Boolean!) { enterprise(creditCode: "${FIRM}") { creditCode @include(if: $on) } }`);
  const names = documentOf(skipInclude(document, getOperationAST(document, 'Names')!, { on: true }));
  const codes = documentOf(skipInclude(document, getOperationAST(document, 'Codes')!, { on: true }));
  expect(print(names.document)).toBe(printed(`query Names($on: Boolean!) { enterprise(creditCode: "${FIRM}") { name } }`));
  expect(print(codes.document)).toBe(printed(`query Codes($on: Boolean!) { enterprise(creditCode: "${FIRM}") { creditCode } }`));
  expect(codes.queryHash).not.toBe(names.queryHash);
});
