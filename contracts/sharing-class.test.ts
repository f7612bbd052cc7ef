import { buildSchema, parse } from 'graphql';
import { sharingOf, undeclaredFields } from './sharing-class';

const SDL = `
  directive @sharing(class: SharingClass!, sensitivity: Sensitivity!) on FIELD_DEFINITION | OBJECT
  enum SharingClass { UNCONDITIONAL CONDITIONAL NONE }
  enum Sensitivity { PUBLIC INTERNAL PERSONAL SENSITIVE }
  type Query { person: Person @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }
  type Person {
    name: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL)
    secret: String @sharing(class: NONE, sensitivity: SENSITIVE)
    undeclared: String
  }
  type PageInfo @sharing(class: UNCONDITIONAL, sensitivity: PUBLIC) { hasNextPage: Boolean }
  type join__Thing { x: String }
`;

test('a field takes its own class, else its type’s, else none', () => {
  const schema = buildSchema(SDL);
  const person = schema.getType('Person') as any;
  const pageInfo = schema.getType('PageInfo') as any;
  expect(sharingOf(person, person.getFields().secret)).toEqual({ class: 'NONE', sensitivity: 'SENSITIVE' });
  expect(sharingOf(pageInfo, pageInfo.getFields().hasNextPage)).toEqual({ class: 'UNCONDITIONAL', sensitivity: 'PUBLIC' });
  expect(sharingOf(person, person.getFields().undeclared)).toBeUndefined();
});

test('undeclared fields are listed as coordinates; federation machinery is skipped', () => {
  expect(undeclaredFields(parse(SDL))).toEqual(['Person.undeclared']);
});
