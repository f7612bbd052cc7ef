/**
 * A department's own enforcement of the contracts (department-access.ts), in process: the real public
 * security and service hall schemas and resolvers over seeded in-memory SQLite, protected with the real
 * contracts and platform.yaml, executed with graphql-js for a caller read from gateway-token claims the way
 * server.ts builds the request context (its regions completed by the department's copy of the contracts).
 */
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse, validate, type GraphQLFormattedError } from 'graphql';
import type { Kysely } from 'kysely';
import { READINESS_PROBE_APP, callerFromClaims, type GatewayTokenClaims } from '../../contracts/caller';
import { department as publicSecurity } from '../public-security';
import { createPublicSecurityStore, type PersonRow, type PublicSecurityDatabase } from '../public-security/store';
import { department as serviceHall } from '../service-hall';
import type { PrefillData } from '../service-hall/pre-review';
import { createServiceHallStore, type ApplicationRow, type ServiceHallDatabase, type ServiceHallStore } from '../service-hall/store';
import { openDatabase } from './database';
import type { Department, DepartmentStore } from './department';
import { protectSchema, type DepartmentAccessOptions, type ProtectedSchema } from './department-access';
import { loadSubgraphTypeDefs } from './federation';
import type { GatewayClient } from './gateway-client';
import { idNumberCheckCharacter } from './identifiers';
import { scalarResolvers } from './scalars/scalar-resolvers';

const CONTRACTS: DepartmentAccessOptions = {
  department: 'public-security',
  contractsDir: join(__dirname, '../../contracts/apps'),
  platformFile: join(__dirname, '../../contracts/platform.yaml'),
};
// Inside every contract's validity (2026-01-01 – 2027-06-30 at the shortest): the test does not age.
const NOW = new Date('2026-06-01T10:00:00+08:00');

const idNumber = (first17: string) => first17 + idNumberCheckCharacter(first17);
/** 广州天河 (4401), 深圳南山 (4403: the same province, another city), 北京东城. */
const GZ = idNumber('44010619900307002');
const SZ = idNumber('44030519850615001');
const BJ = idNumber('11010119780912003');

const person = (id: string, name: string, regionCode: string, phone: string, address: string): PersonRow => ({
  idNumber: id,
  name,
  gender: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
  birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
  ethnicity: '汉族',
  phone,
  registrationStatus: 'NORMAL',
  householdNumber: `${regionCode}0001`,
  address,
  regionCode,
  householdHead: id,
  relation: '户主',
  policeStation: `${address.slice(0, 6)}派出所`,
});
const PERSONS = [
  person(GZ, '王芳', '440106', '13812345678', '广东省广州市天河区天河路1号'),
  person(SZ, '李明', '440305', '13923456789', '广东省深圳市南山区南海大道2号'),
  person(BJ, '欧阳志远', '110101', '13534567890', '北京市东城区东直门南大街3号'),
];

/** A1 is GZ's, in Tianhe; A2 is SZ's, in Nanshan; A3 is BJ's, accepted in Beijing and handled in Tianhe. */
const A1 = '20260520440106000001';
const A2 = '20260520440305000001';
const A3 = '20260520110101000001';
const application = (id: string, applicant: string, mode: ApplicationRow['mode'], status: ApplicationRow['status'], acceptingRegion: string, handlingRegion: string): ApplicationRow => ({
  id,
  itemCode: mode === 'PROXY' ? 'GA-HKQY-006' : 'ZW-DZZZ-007',
  applicant,
  enterprise: null,
  status,
  mode,
  acceptingRegion,
  handlingRegion,
  submittedAt: '2026-05-20T09:00:00+08:00',
  clerkNotes: '材料齐全',
  form: '[]',
  preReview: '[]',
  submittedBy: 'oneservice-portal',
  idempotencyKey: id,
  issuedCertificate: null,
});
const APPLICATIONS = [
  application(A1, GZ, 'FULL_ONLINE', 'PRE_REVIEWED', '440106', '440106'),
  application(A2, SZ, 'FULL_ONLINE', 'IN_REVIEW', '440305', '440305'),
  application(A3, BJ, 'PROXY', 'FORWARDED', '110101', '440106'),
];

/** The prefill the gateway answers the service hall with when an application is submitted. */
const PREFILL: PrefillData = {
  person: {
    name: '王芳', gender: 'FEMALE', birthDate: '1990-03-07', household: { address: '广东省广州市天河区天河路1号', regionCode: '440106' },
    certificates: [{ number: 'SF440106200800000001', kind: 'RESIDENT_ID_CARD', status: 'VALID', holderKey: GZ, representativeKey: null }],
  },
};
const gateway: GatewayClient = async <T>() => ({ data: PREFILL as T });

type Claims = Omit<GatewayTokenClaims, 'rid' | 'jti'>;
interface Answer {
  data: Record<string, unknown> | null | undefined;
  errors: Array<Pick<GraphQLFormattedError, 'message' | 'path'> & { code: unknown; rowWithheld?: unknown }>;
  ctx: object;
}

interface Served {
  guarded: ProtectedSchema;
  /** One request; `sameContext` runs it under an earlier request's context instead of a new one. */
  ask(claims: Claims, query: string, variables?: Record<string, unknown>, sameContext?: object): Promise<Answer>;
}

const databases: Array<Kysely<unknown>> = [];
afterAll(async () => {
  for (const db of databases) await db.destroy();
});

let requests = 0;
type Resolvers = Record<string, Record<string, unknown>>;
type ServedDepartment<S extends DepartmentStore, L> = Pick<Department<unknown, S, L>, 'schemaFile' | 'resolvers' | 'createLoaders'>;

/**
 * A department as server.ts serves it: its schema over its store, protected; each request with its own
 * context. `replaced` swaps some of its resolvers (a department that answers differently).
 */
function serve<S extends DepartmentStore, L>(department: ServedDepartment<S, L>, store: S, replaced: Resolvers = {}): Served {
  const typeDefs = loadSubgraphTypeDefs(department.schemaFile);
  const resolvers: Record<string, object> = { ...scalarResolvers, ...department.resolvers };
  for (const [type, fields] of Object.entries(replaced)) resolvers[type] = { ...resolvers[type], ...fields };
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
  const guarded = protectSchema(schema, typeDefs, CONTRACTS);
  return {
    guarded,
    async ask(claims, query, variables, sameContext) {
      let caller = callerFromClaims({ ...claims, rid: `req-${++requests}`, jti: `token-${String(requests).padStart(16, '0')}` });
      const regions = guarded.regionsOf(caller);
      if (regions.length > 0) caller = { ...caller, regions };
      const ctx = sameContext ?? { caller, store, loaders: department.createLoaders(store), gateway, now: NOW };
      const document = parse(query);
      expect(validate(guarded.schema, document)).toEqual([]);
      const result = await execute({ schema: guarded.schema, document, contextValue: ctx, ...(variables && { variableValues: variables }) });
      // As the access-log plugin does: rows left out of lists are reported with the answer's errors.
      const errors = [...(result.errors ?? []).map((e) => e.toJSON()), ...(guarded.accessOf(ctx)?.withheld.errors ?? [])];
      return {
        data: result.data as Answer['data'],
        errors: errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.['code'], ...(e.extensions?.['rowWithheld'] !== undefined && { rowWithheld: e.extensions['rowWithheld'] }) })),
        ctx,
      };
    },
  };
}

let police: Served;
let hall: Served;
let hallStore: ServiceHallStore;
/** Public security reading names and phones through promises (as through a loader). */
let asyncPolice: Served;
/** A service hall whose list of applications forgets the caller's regions at the source. */
let unnarrowedHall: Served;

beforeAll(async () => {
  const policeDb = openDatabase<PublicSecurityDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  const hallDb = openDatabase<ServiceHallDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  databases.push(policeDb as Kysely<unknown>, hallDb as Kysely<unknown>);
  const policeStore = createPublicSecurityStore(policeDb);
  await policeStore.migrate();
  await policeStore.insertPersons(PERSONS);
  hallStore = createServiceHallStore(hallDb);
  await hallStore.migrate();
  await hallStore.insertApplications(APPLICATIONS);
  police = serve(publicSecurity, policeStore);
  hall = serve(serviceHall, hallStore);
  asyncPolice = serve(publicSecurity, policeStore, {
    Person: { name: async (row: PersonRow) => row.name, phone: async (row: PersonRow) => row.phone },
  });
  unnarrowedHall = serve(serviceHall, hallStore, {
    Query: { applications: async () => ({ nodes: APPLICATIONS, totalCount: 3, pageInfo: { hasNextPage: false, endCursor: null } }) },
  });
});

const personEntities = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${fields} } } }`;
const persons = (...ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Person', idNumber: id })) });
const applicationEntities = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on Application { ${fields} } } }`;
const applications = (...ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Application', id })) });

const NOT_GRANTED = 'Forbidden: this field is not granted.';
const forbidden = (path: Array<string | number>) => ({ message: NOT_GRANTED, path, code: 'FORBIDDEN' });
const withheld = (path: Array<string | number>, message: string) => ({ message, path, code: 'FORBIDDEN', rowWithheld: true });

const OPS = { sub: 'city-ops-center', purpose: 'CITY_OPERATIONS' };
const CONTACT = { sub: 'city-ops-center', purpose: 'EVENT_ENTERPRISE_CONTACT' };
const portal = (operator?: string) => ({ sub: 'oneservice-portal', purpose: 'SELF_SERVICE', ...(operator !== undefined && { operator }) });
const desk = (caseSubjects?: string[]) => ({ sub: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', case: A1, ...(caseSubjects && { caseSubjects }) });
const queue = (regions?: string[]) => ({ sub: 'crossprovince-desk', purpose: 'CASE_QUEUE', ...(regions && { regions }) });

describe('fields: default deny, purposes and cases', () => {
  test("the gateway's readiness probe, a token naming no app: { __typename } is answered and judges nothing, any field is refused", async () => {
    const probe = { sub: READINESS_PROBE_APP };
    const answered = await police.ask(probe, '{ __typename }');
    expect({ data: answered.data, errors: answered.errors, access: police.guarded.accessOf(answered.ctx) }).toEqual({ data: { __typename: 'Query' }, errors: [], access: undefined });
    const refused = await police.ask(probe, `{ person(idNumber: "${GZ}") { __typename } }`);
    expect(refused.errors).toEqual([forbidden(['person'])]);
  });

  test('a root field no grant opens is refused with FORBIDDEN at the root', async () => {
    const answer = await police.ask(OPS, `{ person(idNumber: "${GZ}") { name } }`);
    expect(answer.data).toEqual({ person: null });
    expect(answer.errors).toEqual([forbidden(['person'])]);
  });

  test('a field its department does not share (不予共享) is refused inside a granted row, the rest answered', async () => {
    const answer = await police.ask(portal(GZ), `{ person(idNumber: "${GZ}") { name household { address policeStation } } }`);
    expect(answer.data).toEqual({ person: { name: '王芳', household: { address: '广东省广州市天河区天河路1号', policeStation: null } } });
    expect(answer.errors).toEqual([forbidden(['person', 'household', 'policeStation'])]);
  });

  test('a conditional field is refused without a purpose and with a purpose that does not grant it, and answered with the one that does', async () => {
    const query = `{ person(idNumber: "${GZ}") { name } }`;
    const purposeRequired = { message: 'Query.person(idNumber:) is shared conditionally: state a purpose of the grant in X-Purpose (SELF_SERVICE)', path: ['person'], code: 'PURPOSE_REQUIRED' };
    const none = await police.ask({ sub: 'oneservice-portal', operator: GZ }, query);
    expect(none).toMatchObject({ data: { person: null }, errors: [purposeRequired] });
    const wrong = await police.ask({ sub: 'oneservice-portal', purpose: 'SERVICE_CATALOGUE', operator: GZ }, query);
    expect(wrong).toMatchObject({ data: { person: null }, errors: [purposeRequired] });
    const right = await police.ask(portal(GZ), query);
    expect(right).toMatchObject({ data: { person: { name: '王芳' } }, errors: [] });
  });

  test('a case-bound purpose without a case is refused with CASE_REQUIRED', async () => {
    // The desk reaches the case's people as entities joined to the case, never by naming an ID number.
    const answer = await police.ask({ sub: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE' }, personEntities('name'), persons(GZ));
    expect(answer.data).toEqual({ _entities: [{ name: null }] });
    expect(answer.errors).toEqual([{ message: 'purpose CROSS_PROVINCE_CASE opens Person.name only within a case: name it in X-Case-Id', path: ['_entities', 0, 'name'], code: 'CASE_REQUIRED' }]);
  });

  test('a masked grant is masked by the department; a masked key is left for the gateway to mask after joining', async () => {
    const contact = await police.ask(CONTACT, personEntities('name phone'), persons(GZ));
    expect(contact).toMatchObject({ data: { _entities: [{ name: '王*', phone: '138****5678' }] }, errors: [] });
    const theCase = await police.ask(desk([GZ]), personEntities('idNumber name'), persons(GZ));
    expect(theCase).toMatchObject({ data: { _entities: [{ idNumber: GZ, name: '王芳' }] }, errors: [] });
  });

  test('a masked field is masked when its resolver answers through a promise too', async () => {
    const contact = await asyncPolice.ask(CONTACT, personEntities('name phone'), persons(BJ, GZ));
    expect(contact.data).toEqual({ _entities: [null, { name: '王*', phone: '138****5678' }] });
  });

  test("a masked field is answered only under the decision that allowed it: never raw from a verdict that did not judge it", async () => {
    // The verdict belongs to the request's context: a second operation under it is judged by the first's.
    const keysOnly = await police.ask(CONTACT, personEntities('idNumber'), persons(GZ));
    const names = await police.ask(CONTACT, personEntities('name'), persons(GZ), keysOnly.ctx);
    expect(names.data).toEqual({ _entities: [{ name: null }] });
    expect(names.errors).toEqual([forbidden(['_entities', 0, 'name'])]);
  });
});

describe('keys and row paths: read only for a field they serve (supporters)', () => {
  test('an entity fetch asking only for keys is answered to a caller granted another field of the row', async () => {
    const answer = await police.ask(CONTACT, personEntities('idNumber household { regionCode }'), persons(GZ));
    expect(answer).toMatchObject({ data: { _entities: [{ idNumber: GZ, household: { regionCode: '440106' } }] }, errors: [] });
  });

  test('a caller granted no field of the row gets neither its key nor its region path', async () => {
    const answer = await police.ask({ sub: 'auditor', purpose: 'AUDIT_REVIEW' }, personEntities('idNumber household { regionCode }'), persons(GZ));
    expect(answer.data).toEqual({ _entities: [null] });
    expect(answer.errors).toEqual([forbidden(['_entities', 0, 'idNumber'])]);
  });

  test('a caller whose purpose would open a field of the row is told to state it', async () => {
    const answer = await police.ask(OPS, personEntities('idNumber'), persons(GZ));
    expect(answer.data).toEqual({ _entities: [null] });
    expect(answer.errors).toEqual([{ message: 'Person.name is shared conditionally: state a purpose of the grant in X-Purpose (EVENT_ENTERPRISE_CONTACT)', path: ['_entities', 0, 'idNumber'], code: 'PURPOSE_REQUIRED' }]);
  });
});

describe("rows: the operator's own data", () => {
  test('a person named in an argument is read only when the operator is that person', async () => {
    const query = `{ person(idNumber: "${GZ}") { name } }`;
    expect(await police.ask(portal(GZ), query)).toMatchObject({ data: { person: { name: '王芳' } }, errors: [] });
    // Refused on the argument, before the row is read: not the row gate's withheld message.
    for (const other of [portal(SZ), portal()]) {
      expect(await police.ask(other, query)).toMatchObject({ data: { person: null }, errors: [forbidden(['person'])] });
    }
  });

  test("an entity fetch returns the operator's own row and withholds another's in place", async () => {
    const answer = await police.ask(portal(GZ), personEntities('name'), persons(GZ, SZ));
    expect(answer.data).toEqual({ _entities: [{ name: '王芳' }, null] });
    expect(answer.errors).toEqual([withheld(['_entities', 1], "Forbidden: this Person is not the operator's own data.")]);
    const nobody = await police.ask(portal(), personEntities('name'), persons(GZ));
    expect(nobody.data).toEqual({ _entities: [null] });
  });

  test("a row that belongs to a person (ownerOf) is the operator's own only when its applicant is the operator", async () => {
    const answer = await hall.ask(portal(GZ), applicationEntities('id status'), applications(A1, A2));
    expect(answer.data).toEqual({ _entities: [{ id: A1, status: 'PRE_REVIEWED' }, null] });
    expect(answer.errors).toEqual([withheld(['_entities', 1], "Forbidden: this Application is not the operator's own data.")]);
  });
});

describe('rows: the case', () => {
  test("the case's subject and application are read; another person and application are withheld", async () => {
    expect(await police.ask(desk([GZ]), personEntities('name'), persons(GZ))).toMatchObject({ data: { _entities: [{ name: '王芳' }] }, errors: [] });
    const other = await police.ask(desk([GZ]), personEntities('name'), persons(SZ));
    expect(other).toMatchObject({ data: { _entities: [null] }, errors: [withheld(['_entities', 0], `Forbidden: this Person is not part of case ${A1}.`)] });
    expect(await hall.ask(desk([GZ]), `{ application(id: "${A1}") { status } }`)).toMatchObject({ data: { application: { status: 'PRE_REVIEWED' } }, errors: [] });
    const otherApplication = await hall.ask(desk([GZ]), `{ application(id: "${A2}") { status } }`);
    expect(otherApplication).toMatchObject({ data: { application: null }, errors: [withheld(['application'], `Forbidden: this Application is not part of case ${A1}.`)] });
  });

  test('a case-bound token without case subjects opens no person', async () => {
    const answer = await police.ask(desk(), personEntities('name'), persons(GZ));
    expect(answer).toMatchObject({ data: { _entities: [null] }, errors: [withheld(['_entities', 0], `Forbidden: this Person is not part of case ${A1}.`)] });
  });
});

describe('rows: the region', () => {
  test("a Guangzhou contract sees Guangzhou's people, not Shenzhen's in the same province nor Beijing's", async () => {
    const answer = await police.ask(CONTACT, personEntities('name'), persons(GZ, SZ, BJ));
    expect(answer.data).toEqual({ _entities: [{ name: '王*' }, null, null] });
    const outside = "Forbidden: this Person lies outside the app's region.";
    expect(answer.errors).toEqual([withheld(['_entities', 1], outside), withheld(['_entities', 2], outside)]);
  });

  test("the caller's regions are the token's and the contract's together", () => {
    const caller = callerFromClaims({ sub: 'city-ops-center', rid: 'r', jti: 'token-0000000000000000', regions: ['440106'] });
    expect(police.guarded.regionsOf(caller)).toEqual(['440106', '4401']);
    expect(police.guarded.regionsOf({ app: 'city-ops-center', requestId: 'r' })).toEqual(['4401']);
    expect(police.guarded.regionsOf({ app: 'crossprovince-desk', requestId: 'r' })).toEqual([]);
  });

  test('an application is within a region when it is accepted or handled there', async () => {
    const answer = await hall.ask(queue(['4401']), applicationEntities('id'), applications(A1, A2, A3));
    expect(answer.data).toEqual({ _entities: [{ id: A1 }, null, { id: A3 }] });
    expect(answer.errors).toEqual([withheld(['_entities', 1], "Forbidden: this Application lies outside the app's region.")]);
  });

  test("a department that cannot place a person in a region answers only the person's key to a region-bound caller", async () => {
    const answer = await hall.ask({ ...portal(GZ), regions: ['4401'] }, personEntities('idNumber applications { id }'), persons(GZ));
    expect(answer.data).toEqual({ _entities: [null] });
    expect(answer.errors).toEqual([forbidden(['_entities', 0, 'applications'])]);
    const unbound = await hall.ask(portal(GZ), personEntities('idNumber applications { id }'), persons(GZ));
    expect(unbound).toMatchObject({ data: { _entities: [{ idNumber: GZ, applications: [{ id: A1 }] }] }, errors: [] });
  });
});

test('rows of another region that a list of non-null rows was given are left out of it and reported at their index', async () => {
  const answer = await unnarrowedHall.ask(queue(['4401']), '{ applications { nodes { id } totalCount } }');
  expect(answer.data).toEqual({ applications: { nodes: [{ id: A1 }, { id: A3 }], totalCount: 3 } });
  expect(answer.errors).toEqual([withheld(['applications', 'nodes', 1], "Forbidden: this Application lies outside the app's region.")]);
});

describe('mutations', () => {
  const advance = (id: string) => `mutation { advanceApplication(id: "${id}", action: ACCEPT) { id status } }`;

  test('a mutation no grant opens is refused and changes nothing', async () => {
    const answer = await hall.ask({ ...OPS, regions: ['440106'] }, advance(A1));
    expect(answer).toMatchObject({ data: null, errors: [forbidden(['advanceApplication'])] });
    expect((await hallStore.applicationsById([A1]))[0]!.status).toBe('PRE_REVIEWED');
  });

  test('a granted mutation runs, and its result passes the row gate', async () => {
    const answer = await hall.ask(queue(['440106']), advance(A1));
    expect(answer).toMatchObject({ data: { advanceApplication: { id: A1, status: 'ACCEPTED' } }, errors: [] });
  });

  test("an operator-bound submission naming someone else as applicant is refused on its input before it runs", async () => {
    const submit = (applicant: string) => `mutation { submitApplication(input: { itemCode: "ZW-DZZZ-007", applicant: "${applicant}", mode: FULL_ONLINE, acceptingRegion: "440106", handlingRegion: "440106", idempotencyKey: "k-${applicant}" }) { applicant { idNumber } status } }`;
    const other = await hall.ask(portal(SZ), submit(GZ));
    expect(other).toMatchObject({ data: null, errors: [forbidden(['submitApplication'])] });
    const own = await hall.ask(portal(GZ), submit(GZ));
    expect(own).toMatchObject({ data: { submitApplication: { applicant: { idNumber: GZ }, status: 'PRE_REVIEWED' } }, errors: [] });
  });
});

describe('the access log', () => {
  test('tells every field judged, the denials and the rows withheld, once the request was judged', async () => {
    const answer = await police.ask(portal(GZ), personEntities('name household { policeStation }'), persons(GZ, SZ));
    const access = police.guarded.accessOf(answer.ctx);
    expect(access?.fields.sort()).toEqual(['Household.policeStation', 'Person.household', 'Person.name']);
    expect(access?.denials.map((d) => [d.coordinate, d.code])).toEqual([['Household.policeStation', 'FORBIDDEN']]);
    expect(access?.withheld.errors.map((e) => e.path)).toEqual([]);
    expect(answer.errors.map((e) => e.path)).toEqual([['_entities', 0, 'household', 'policeStation'], ['_entities', 1]]);
    expect(police.guarded.accessOf({})).toBeUndefined();
  });

  test('names a field refused without any rule (the federation _service) among the fields judged', async () => {
    const answer = await police.ask(portal(GZ), '{ _service { sdl } }');
    expect(answer).toMatchObject({ data: null, errors: [forbidden(['_service'])] });
    expect(police.guarded.accessOf(answer.ctx)?.fields.sort()).toEqual(['Query._service', '_Service.sdl']);
  });
});

test('contracts that do not load stop the department from starting, each problem on its own line', () => {
  const typeDefs = loadSubgraphTypeDefs(publicSecurity.schemaFile);
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: { ...scalarResolvers, ...publicSecurity.resolvers } as never }]);
  const failure = (options: DepartmentAccessOptions) => {
    try {
      protectSchema(schema, typeDefs, options);
    } catch (error) {
      return (error as Error).message.split('\n');
    }
    throw new Error('the contracts loaded');
  };
  const [title, ...problems] = failure({ ...CONTRACTS, contractsDir: join(__dirname, '../../tests/fixtures/bad-contracts') });
  expect(title).toBe('The data-sharing contracts cannot be loaded:');
  expect(problems.length).toBeGreaterThan(1);
  for (const problem of problems) expect(problem).toMatch(/^ {2}- \S/);
  expect(failure({ ...CONTRACTS, platformFile: join(__dirname, 'no-such-platform.yaml') })).toEqual(['The data-sharing contracts cannot be loaded:', expect.stringMatching(/^ {2}- .*no-such-platform\.yaml/)]);
});
