import { buildSchema, execute, isObjectType, parse, type GraphQLFieldResolver } from 'graphql';
import type { AccessDecision } from '../../contracts/access-policy';
import { platformSchema } from '../../contracts/platform-schema';
import { createRowGate, type RowGate, type WithheldRows } from './row-gate';

const schema = buildSchema(`
  scalar Any
  type Query { places: [Place!]!  maybePlaces: [Place]  place(id: ID!): Place  people: [Person!]!  tickets: [Ticket]  licences: [Licence]  entities(representations: [Any!]!): [Place] }
  type Place { id: ID!  region: Region }
  type Region { code: String }
  type Person { idNumber: ID!  name: String }
  type Ticket { id: ID!  holder: Person }
  type Licence { id: ID!  holderKey: String!  representativeKey: String }
`);
const places = [
  { id: 'gz', region: '440106' },
  { id: 'sh', region: '310101' },
  { id: 'gz2', region: '440103' },
  // Shenzhen: the same province as Guangzhou, another city.
  { id: 'sz', region: '440305' },
  { id: 'unplaced', region: null },
];
// The last has no key: it must not pass for the own row of a caller whose token names no operator (an empty one either).
const people = [{ idNumber: 'A', name: 'a' }, { idNumber: 'B', name: 'b' }, { idNumber: '', name: 'nameless' }];
const resolvers: Record<string, Record<string, GraphQLFieldResolver<any, unknown>>> = {
  Query: {
    places: () => places,
    maybePlaces: () => places,
    place: (_, { id }) => places.find((p) => p.id === id) ?? null,
    people: () => people,
    // The last belongs to no one: it must not pass for the own row of a caller whose token names no operator.
    tickets: () => [{ id: 't1', holder: { idNumber: 'A' } }, { id: 't2', holder: { idNumber: 'B' } }, { id: 't3', holder: { idNumber: '' } }],
    // Held by a firm and represented by A; held by B with no representative; held by the firm, represented by B; no one's.
    licences: () => [
      { id: 'l1', holderKey: 'FIRM', representativeKey: 'A' },
      { id: 'l2', holderKey: 'B', representativeKey: null },
      { id: 'l3', holderKey: 'FIRM', representativeKey: 'B' },
      { id: 'l4', holderKey: '', representativeKey: '' },
    ],
    // Like a department without __resolveReference: a representation answered as the row itself, or looked up.
    entities: (_, { representations }) => representations.map((r: { id: string; lookUp?: boolean }) => (r.lookUp ? places.find((p) => p.id === r.id) ?? null : r)),
  },
  // Asynchronous on purpose: the gate waits for a region it must follow through a loader.
  Place: { region: async (place) => ({ code: place.region }) },
  // Asynchronous too: one owner path may wait while the other is at hand.
  Licence: { representativeKey: async (licence) => licence.representativeKey },
};
for (const [typeName, fields] of Object.entries(resolvers)) {
  const type = schema.getType(typeName);
  if (isObjectType(type)) for (const [name, resolve] of Object.entries(fields)) type.getFields()[name]!.resolve = resolve;
}
const platform = platformSchema.parse({
  regionOf: { Place: 'region.code' }, subjectKeys: { Person: 'idNumber' }, ownerOf: { Ticket: 'holder.idNumber', Licence: ['holderKey', 'representativeKey', 'agent.idNumber'] },
  operatorSubject: 'Person',
});
const gate = createRowGate(platform, schema, (coordinate) => coordinate === 'Person.idNumber' || coordinate === 'Place.id');

/** Runs a query with every row-returning field gated for a caller, as the department's resolver wrapper does. */
async function run(query: string, caller: { regions?: string[]; operator?: string }, decisions: ReadonlyMap<string, AccessDecision> = new Map(), rowGate: RowGate = gate) {
  const rules = rowGate.rulesFor({ app: 'test', requestId: 'r', ...caller }, decisions)!;
  const withheld: WithheldRows = { errors: [] };
  const root = schema.getQueryType()!;
  const originals = new Map(Object.entries(root.getFields()).map(([name, field]) => [name, field.resolve!]));
  for (const [name, field] of Object.entries(root.getFields())) {
    const original = originals.get(name)!;
    field.resolve = rowGate.returnsRows(field) ? (p, a, c, i) => rowGate.gate(original(p, a, c, i), field.type, rules, withheld, a, c, i) : original;
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
  const error = (index: number) => ({ message: "Forbidden: this Place lies outside the app's region.", path: ['places', index], extensions: { code: 'FORBIDDEN', rowWithheld: true } });
  expect(withheld).toEqual([error(1), error(3), error(4)]);
});

test('in a list of nullable rows a withheld row is null in place, with its error', async () => {
  const { result } = await run('{ maybePlaces { id } }', { regions: ['4401'] });
  expect(result.data).toEqual({ maybePlaces: [{ id: 'gz' }, null, { id: 'gz2' }, null, null] });
  expect(result.errors?.map((e) => e.path)).toEqual([['maybePlaces', 1], ['maybePlaces', 3], ['maybePlaces', 4]]);
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
  expect((await run('{ people { name } }', { operator: '' }, new Map([['Person.name', operatorBound]]))).result.data).toEqual({ people: [] });
  expect(gate.rulesFor({ app: 'test', requestId: 'r' }, new Map())).toBeUndefined();
});

test("an entity answered with the caller's own representation cannot be placed by the region it claims", async () => {
  const { result } = await run('{ entities(representations: [{ id: "sh", region: "440106" }, { id: "gz", lookUp: true }]) { id } }', { regions: ['4401'] });
  expect(result.data).toEqual({ entities: [null, { id: 'gz' }] });
  expect(result.errors?.map((e) => e.path)).toEqual([['entities', 0]]);
});

test("a row that belongs to a person (ownerOf) is the operator's own only when its owner is the operator", async () => {
  const own = await run('{ tickets { id } }', { operator: 'A' }, new Map([['Query.tickets', operatorBound]]));
  expect(own.result.data).toEqual({ tickets: [{ id: 't1' }, null, null] });
  const notOwn = "Forbidden: this Ticket is not the operator's own data.";
  expect(own.result.errors?.map((e) => [e.path, e.message])).toEqual([[['tickets', 1], notOwn], [['tickets', 2], notOwn]]);
  const nobody = await run('{ tickets { id } }', {}, new Map([['Query.tickets', operatorBound]]));
  expect(nobody.result.data).toEqual({ tickets: [null, null, null] });
});

test("a row with several owners (ownerOf: a list) is the own row of each of them, and of no one else", async () => {
  const licences = async (operator?: string) => {
    const { result } = await run('{ licences { id } }', operator === undefined ? {} : { operator }, new Map([['Query.licences', operatorBound]]));
    return (result.data!['licences'] as Array<{ id: string } | null>).flatMap((licence) => (licence ? [licence.id] : []));
  };
  // A by the representative's path alone; B as a holder and as a representative; the firm's key is no operator here.
  expect(await licences('A')).toEqual(['l1']);
  expect(await licences('B')).toEqual(['l2', 'l3']);
  expect(await licences('C')).toEqual([]);
  // No operator, or an empty one: not even the row whose owners are all empty.
  expect(await licences()).toEqual([]);
  expect(await licences('')).toEqual([]);
});

test('an owner path the department cannot follow makes no one an owner; the others still do', async () => {
  // `agent.idNumber` is not in this schema: with only that path, no licence would be anyone's own.
  const agentOnly = createRowGate(platformSchema.parse({ subjectKeys: { Person: 'idNumber' }, ownerOf: { Licence: ['agent.idNumber'] }, operatorSubject: 'Person' }), schema, () => false);
  const { result } = await run('{ licences { id } }', { operator: 'A' }, new Map([['Query.licences', operatorBound]]), agentOnly);
  expect(result.data).toEqual({ licences: [null, null, null, null] });
});

describe('the region rule at its boundary: the row one step from an allowed one', () => {
  /** The places a caller bound to these regions (its contract's, then its token's) is shown. */
  const placesShown = async (regions: string[]) => {
    const { result } = await run('{ maybePlaces { id } }', { regions });
    return (result.data!['maybePlaces'] as Array<{ id: string } | null>).flatMap((place) => (place ? [place.id] : []));
  };

  test.each([
    ["the contract's city: its districts, not another city of the same province", ['4401'], ['gz', 'gz2']],
    ['the province: each of its cities, no other province, no row without a region', ['44'], ['gz', 'gz2', 'sz']],
    ["a token narrower than the contract: the token's district, not the next one in the same city", ['4401', '440106'], ['gz']],
    ["a token outside the contract: nothing, neither the contract's rows nor the token's", ['4401', '4403'], []],
    ['a token wider than the contract widens nothing', ['4401', '44'], ['gz', 'gz2']],
  ])('%s', async (_name, regions, shown) => {
    expect(await placesShown(regions)).toEqual(shown);
  });
});
