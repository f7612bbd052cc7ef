import { buildSchema, execute, isObjectType, parse, type GraphQLFieldResolver } from 'graphql';
import type { AccessDecision } from '../../contracts/access-policy';
import { platformSchema } from '../../contracts/platform-schema';
import { createRowGate, type WithheldRows } from './row-gate';

const schema = buildSchema(`
  scalar Any
  type Query { places: [Place!]!  maybePlaces: [Place]  place(id: ID!): Place  people: [Person!]!  tickets: [Ticket]  entities(representations: [Any!]!): [Place] }
  type Place { id: ID!  region: Region }
  type Region { code: String }
  type Person { idNumber: ID!  name: String }
  type Ticket { id: ID!  holder: Person }
`);
const places = [
  { id: 'gz', region: '440106' },
  { id: 'sh', region: '310101' },
  { id: 'gz2', region: '440103' },
];
const people = [{ idNumber: 'A', name: 'a' }, { idNumber: 'B', name: 'b' }];
const resolvers: Record<string, Record<string, GraphQLFieldResolver<any, unknown>>> = {
  Query: {
    places: () => places,
    maybePlaces: () => places,
    place: (_, { id }) => places.find((p) => p.id === id) ?? null,
    people: () => people,
    tickets: () => [{ id: 't1', holder: { idNumber: 'A' } }, { id: 't2', holder: { idNumber: 'B' } }],
    // Like a department without __resolveReference: a representation answered as the row itself, or looked up.
    entities: (_, { representations }) => representations.map((r: { id: string; lookUp?: boolean }) => (r.lookUp ? places.find((p) => p.id === r.id) ?? null : r)),
  },
  // Asynchronous on purpose: the gate waits for a region it must follow through a loader.
  Place: { region: async (place) => ({ code: place.region }) },
};
for (const [typeName, fields] of Object.entries(resolvers)) {
  const type = schema.getType(typeName);
  if (isObjectType(type)) for (const [name, resolve] of Object.entries(fields)) type.getFields()[name]!.resolve = resolve;
}
const platform = platformSchema.parse({ regionOf: { Place: 'region.code' }, subjectKeys: { Person: 'idNumber' }, ownerOf: { Ticket: 'holder.idNumber' }, operatorSubject: 'Person' });
const gate = createRowGate(platform, schema, (coordinate) => coordinate === 'Person.idNumber' || coordinate === 'Place.id');

/** Runs a query with every row-returning field gated for a caller, as the department's resolver wrapper does. */
async function run(query: string, caller: { regions?: string[]; operator?: string }, decisions: ReadonlyMap<string, AccessDecision> = new Map()) {
  const rules = gate.rulesFor({ app: 'test', requestId: 'r', ...caller }, decisions)!;
  const withheld: WithheldRows = { errors: [] };
  const root = schema.getQueryType()!;
  const originals = new Map(Object.entries(root.getFields()).map(([name, field]) => [name, field.resolve!]));
  for (const [name, field] of Object.entries(root.getFields())) {
    const original = originals.get(name)!;
    field.resolve = gate.returnsRows(field) ? (p, a, c, i) => gate.gate(original(p, a, c, i), field.type, rules, withheld, a, c, i) : original;
  }
  try {
    const result = await execute({ schema, document: parse(query) });
    return { result, withheld: withheld.errors };
  } finally {
    for (const [name, field] of Object.entries(root.getFields())) field.resolve = originals.get(name)!;
  }
}

const operatorBound: AccessDecision = { allowed: true, purpose: 'SELF', caseBound: false, operatorBound: true };

test('rows of another region are left out of a list of non-null rows, each reported at its index', async () => {
  const { result, withheld } = await run('{ places { id } }', { regions: ['4401'] });
  expect(result).toEqual({ data: { places: [{ id: 'gz' }, { id: 'gz2' }] } });
  expect(withheld).toEqual([{ message: "Forbidden: this Place lies outside the app's region.", path: ['places', 1], extensions: { code: 'FORBIDDEN', rowWithheld: true } }]);
});

test('in a list of nullable rows a withheld row is null in place, with its error', async () => {
  const { result } = await run('{ maybePlaces { id } }', { regions: ['4401'] });
  expect(result.data).toEqual({ maybePlaces: [{ id: 'gz' }, null, { id: 'gz2' }] });
  expect(result.errors?.map((e) => e.path)).toEqual([['maybePlaces', 1]]);
});

test('a row asked by id that is withheld and one that does not exist give the same answer', async () => {
  const withheld = await run('{ place(id: "sh") { id } }', { regions: ['4401'] });
  const absent = await run('{ place(id: "nowhere") { id } }', { regions: ['4401'] });
  expect(withheld.result.data).toEqual({ place: null });
  expect(JSON.stringify(absent.result)).toBe(JSON.stringify(withheld.result));
  expect((await run('{ place(id: "gz") { id } }', { regions: ['44', '4401'] })).result).toEqual({ data: { place: { id: 'gz' } } });
});

test("an operator-bound read keeps the operator's own row only, and no row without an operator", async () => {
  expect((await run('{ people { name } }', { operator: 'B' }, new Map([['Person.name', operatorBound]]))).result.data).toEqual({ people: [{ name: 'b' }] });
  expect((await run('{ people { name } }', {}, new Map([['Person.name', operatorBound]]))).result.data).toEqual({ people: [] });
  expect(gate.rulesFor({ app: 'test', requestId: 'r' }, new Map())).toBeUndefined();
});

test("an entity answered with the caller's own representation cannot be placed by the region it claims", async () => {
  const { result } = await run('{ entities(representations: [{ id: "sh", region: "440106" }, { id: "gz", lookUp: true }]) { id } }', { regions: ['4401'] });
  expect(result.data).toEqual({ entities: [null, { id: 'gz' }] });
  expect(result.errors?.map((e) => e.path)).toEqual([['entities', 0]]);
});

test("a row that belongs to a person (ownerOf) is the operator's own only when its owner is the operator", async () => {
  const own = await run('{ tickets { id } }', { operator: 'A' }, new Map([['Query.tickets', operatorBound]]));
  expect(own.result.data).toEqual({ tickets: [{ id: 't1' }, null] });
  expect(own.result.errors?.map((e) => [e.path, e.message])).toEqual([[['tickets', 1], "Forbidden: this Ticket is not the operator's own data."]]);
  const nobody = await run('{ tickets { id } }', {}, new Map([['Query.tickets', operatorBound]]));
  expect(nobody.result.data).toEqual({ tickets: [null, null] });
});
