import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import { composeSupergraph, referenceSubgraphs } from './compose-supergraph';
import type { CompositionProblem } from './explain-composition-error';

const dir = mkdtempSync(join(tmpdir(), 'explain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const reference = referenceSubgraphs();

/** The reference departments and a new one, `hr`, whose schema file is `sdl`: the problems composition finds. */
function problemsWith(sdl: string, name = 'hr'): { explained: CompositionProblem[]; text: string[] } {
  const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, sdl);
  const others = reference.filter((s) => s.name !== name);
  const result = composeSupergraph([...others, { name, url: 'http://127.0.0.1:1/graphql', typeDefs: loadSubgraphTypeDefs(file) }]);
  if (result.ok) throw new Error('composed, but a problem was expected');
  return { explained: result.explained!, text: result.problems };
}

describe('a forgotten @key', () => {
  test('on an entity extended with its key field: named, with the key the other departments use', () => {
    const { explained, text } = problemsWith('type Person {\n  idNumber: IdNumber!\n  pension: Float @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
    expect(explained).toHaveLength(1);
    expect(explained[0]).toMatchObject({
      code: 'INVALID_FIELD_SHARING',
      message: expect.stringContaining('Non-shareable field "Person.idNumber" is resolved from multiple subgraphs'),
      explanation: 'hr defines Person without @key, so the gateway has no way to ask hr about a Person it found elsewhere (Person is an entity that public-security identifies by idNumber).',
      fix: `declare the key in hr's schema, with the key field itself: type Person @key(fields: "idNumber") { idNumber: IdNumber! … }`,
    });
    expect(text[0]).toMatch(/^hr defines Person without @key.*\n {4}fix: .*@key\(fields: "idNumber"\).*\n {4}federation said: INVALID_FIELD_SHARING: Non-shareable field "Person\.idNumber"/);
  });

  test('on an entity extended without its key field: one problem for every query path federation cannot plan', () => {
    const { explained, text } = problemsWith('type Person {\n  pension: Float @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
    expect(explained).toHaveLength(1);
    expect(explained[0]!.code).toBe('SATISFIABILITY_ERROR');
    expect(explained[0]!.explanation).toMatch(/^hr defines Person without @key/);
    expect(explained[0]!.fix).toContain('type Person @key(fields: "idNumber") { idNumber: IdNumber! … }');
    expect(explained[0]!.sameCause.length).toBeGreaterThan(0);
    expect(explained[0]!.sameCause.every((e) => e.code === 'SATISFIABILITY_ERROR' && e.message.includes('type "Person" has no @key defined in subgraph "hr"'))).toBe(true);
    expect(text[0]).toMatch(new RegExp(`\\(and ${explained[0]!.sameCause.length} more errors? of the same cause: SATISFIABILITY_ERROR\\)$`));
  });
});

test('a misspelt sharing class: the value, where it is, and every valid class', () => {
  const { explained } = problemsWith('type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  pension: Float @sharing(class: CONDITINAL, sensitivity: PERSONAL)\n}\n');
  expect(explained).toEqual([
    {
      code: 'INVALID_GRAPHQL',
      message: '[hr] Invalid value for "@sharing(class:)" of type "SharingClass!" in application of "@sharing" to "Person.pension".',
      explanation: 'CONDITINAL is not a sharing class: @sharing(class: CONDITINAL) on Person.pension in hr. The valid sharing classes are UNCONDITIONAL (无条件共享), CONDITIONAL (有条件共享), NONE (不予共享).',
      fix: 'write one of them, e.g. @sharing(class: CONDITIONAL, sensitivity: PERSONAL) — see docs/departments.md for how to choose',
      sameCause: [],
    },
  ]);
});

test('a misspelt sensitivity on a type lists the valid sensitivities', () => {
  const { explained } = problemsWith('type Query {\n  pensions: [Pension!]! @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\ntype Pension @sharing(class: CONDITIONAL, sensitivity: PRIVATE) {\n  amount: Float\n}\n');
  expect(explained.map((p) => p.explanation)).toEqual(['PRIVATE is not a sensitivity: @sharing(sensitivity: PRIVATE) on Pension in hr. The valid sensitivities are PUBLIC, INTERNAL, PERSONAL, SENSITIVE.']);
});

test('a field type that differs between departments: the types, who has which, and the one to take', () => {
  const { explained } = problemsWith('type Person @key(fields: "idNumber") {\n  idNumber: String!\n  pension: Float @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
  expect(explained).toEqual([
    expect.objectContaining({
      code: 'FIELD_TYPE_MISMATCH',
      message: expect.stringContaining('Type of field "Person.idNumber" is incompatible across subgraphs'),
      explanation:
        'The field Person.idNumber has a different type in different departments (IdNumber! in audit, civil-affairs, licence-library, market-regulation, public-security and service-hall, String! in hr). Departments that define the same field must give it the same type: the gateway may read it from any of them.',
      fix: 'give Person.idNumber the type IdNumber! in hr, as audit, civil-affairs, licence-library, market-regulation, public-security and service-hall have it — or, if it means something else there, give it a name of its own',
    }),
  ]);
});

test('a field two departments both define, with different types: both problems explained', () => {
  const { explained } = problemsWith('type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  name: Int @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
  expect(explained.map((p) => [p.code, p.explanation])).toEqual([
    ['FIELD_TYPE_MISMATCH', expect.stringContaining('The field Person.name has a different type in different departments (Int in hr, String in public-security)')],
    ['INVALID_FIELD_SHARING', 'Person.name is defined by hr and public-security. A field belongs to one department: the gateway must know which one to ask.'],
  ]);
  expect(explained[0]!.fix).toBe('agree on one type for Person.name in hr and public-security — or, if it means something else in one of them, give it a name of its own there');
});

test('a type that is an object in one department and an interface in another', () => {
  const { explained } = problemsWith('interface Household {\n  number: String\n}\ntype Query {\n  households: [Household!]! @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
  expect(explained[0]).toMatchObject({ code: 'TYPE_KIND_MISMATCH', fix: 'define Household as the other departments do, or give your type a name of its own' });
});

test('a field with no sharing class: where it is and the classes to choose from', () => {
  const { explained, text } = problemsWith('type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  pension: Float\n}\n');
  expect(explained).toEqual([
    {
      code: 'NO_SHARING_CLASS',
      message: 'Person.pension has no @sharing declaration on the field or its type',
      explanation: 'Person.pension (in hr) has no sharing class, so the gateway would have to guess whether apps may read it — and it never guesses.',
      fix: 'add @sharing(class: …, sensitivity: …) to the field, or to type Person to cover all its fields; classes: UNCONDITIONAL (无条件共享), CONDITIONAL (有条件共享), NONE (不予共享); sensitivities: PUBLIC, INTERNAL, PERSONAL, SENSITIVE',
      sameCause: [],
    },
  ]);
  expect(text).toEqual([`${explained[0]!.explanation}\n    fix: ${explained[0]!.fix}\n    federation said: NO_SHARING_CLASS: Person.pension has no @sharing declaration on the field or its type`]);
});

test('an error no explanation covers keeps federation’s code and message as they are', () => {
  const { explained, text } = problemsWith('type Query {\n  a: Int @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) @provides(fields: "x")\n}\n');
  expect(explained[0]!.explanation).toBeUndefined();
  expect(text[0]).toBe(`${explained[0]!.code}: ${explained[0]!.message}`);
});
