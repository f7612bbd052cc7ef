/**
 * Introspection however it is spelled (THREATS I1–I3): `__schema` and `__type` in named fragments, inline
 * fragments, under aliases and mixed with data are answered from the calling app's own schema or refused;
 * a document whose operation cannot be picked, and a subscription, are a clear 400 with an INVALID record;
 * a department describes its schema to no one. The property test at the end generates such documents for
 * random apps and checks that nothing outside the app's own schema comes back. A code generator's full
 * introspection gets the scalars' descriptions and @specifiedBy URLs, and each field's purposes and mask
 * for the asking app only.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isScalarType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type SelectionSetNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { AuditStore } from '../audit/audit-store';
import { AccessPolicy } from '../contracts/access-policy';
import { appSchema } from '../contracts/app-schema';
import { grantCoordinate } from '../contracts/contract-schema';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
const catalog = buildCatalog(readFileSync(join(__dirname, '..', 'supergraph.graphql'), 'utf8'));
const apiSchema = catalog.apiSchema;
const platform = loadPlatform(join(__dirname, '..', 'contracts', 'platform.yaml')).platform!;
const person = buildWorld(TEST_WORLD).persons[3]!.idNumber;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

async function lastRecord() {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    return (await store.recordsAfter(0, 100_000)).at(-1)!;
  } finally {
    await store.close();
  }
}

/** POSTs a whole GraphQL request body (with operationName, variables) as an app. */
async function post(app: string, request: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await graph.token({ app })}` },
    body: JSON.stringify(request),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
}

const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.['code']);

describe('introspection inside fragments, inline fragments and aliases', () => {
  const spellings = {
    'a named fragment': 'query { ...I } fragment I on Query { __type(name: "Person") { name fields { name } } }',
    'an inline fragment': '{ ... on Query { __schema { types { name fields { name } } } } }',
    'an inline fragment without a type': '{ ... { t: __type(name: "Person") { name fields { name } } } }',
    'a fragment inside a fragment': 'query { ...A } fragment A on Query { ...B } fragment B on Query { s: __schema { queryType { name fields { name } } } p: __type(name: "Person") { fields { name } } }',
  };

  test.each(Object.entries(spellings))('through %s, an app without a contract learns nothing', async (_, query) => {
    const response = await graph.queryAs({ app: 'unknown-app' }, query);
    expect(response.status).toBe(403);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.body.data ?? null).toBeNull();
    expect(await lastRecord()).toMatchObject({ app: 'unknown-app', decision: 'DENY' });
  });

  test.each(Object.entries(spellings))("through %s, an app sees only its own schema", async (_, query) => {
    const response = await graph.queryAs({ app: 'market-supervision' }, query);
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body.data);
    // market-supervision reads a person's name, ID number and phone; nothing else of Person, no audit types.
    expect(text).toContain('"idNumber"');
    for (const hidden of ['maritalStatus', 'household', 'accessLog', 'AuditRecord', 'auditRecords', 'submitApplication']) expect(text).not.toContain(hidden);
    expect(await lastRecord()).toMatchObject({ decision: 'PERMIT', rule: "introspection of market-supervision's own schema" });
  });

  test('mixed with data fields, at the root or through a fragment, it is refused and recorded as INVALID', async () => {
    for (const query of [
      '{ serviceItems { code } ...I } fragment I on Query { __schema { types { name } } }',
      '{ ... on Query { serviceItems { code } } t: __type(name: "Person") { fields { name } } }',
    ]) {
      const response = await graph.query(query);
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body.data ?? null).toBeNull();
      expect(await lastRecord()).toMatchObject({ decision: 'INVALID', rule: 'introspection mixed with data fields' });
    }
  });

  test("an introspection document is validated against the app's own schema before it runs", async () => {
    const response = await post('market-supervision', {
      query: 'query Own { __schema { types { name } } } query Other { auditRecords(first: 1) { nodes { app } } }',
      operationName: 'Own',
    });
    const body = response.body;
    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([expect.objectContaining({ message: 'Cannot query field "auditRecords" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    expect(await lastRecord()).toMatchObject({ decision: 'INVALID', rule: "the operation does not match market-supervision's own schema" });
  });

  test('variables that do not fit are a 400, recorded as INVALID', async () => {
    const response = await post('market-supervision', { query: 'query($n: String!) { __type(name: $n) { name } }', variables: { n: 5 } });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await lastRecord()).toMatchObject({ decision: 'INVALID' });
    const named = await post('market-supervision', { query: 'query($n: String!) { __type(name: $n) { name fields { name } } }', variables: { n: 'Person' } });
    expect(named.body).toEqual({ data: { __type: { name: 'Person', fields: [{ name: 'idNumber' }, { name: 'name' }, { name: 'phone' }] } } });
  });

  test('__typename stays allowed, whoever asks', async () => {
    const response = await graph.queryAs({ app: 'unknown-app' }, '{ __typename ... on Query { t: __typename } }');
    expect(response.body).toEqual({ data: { __typename: 'Query', t: 'Query' } });
  });
});

describe("a code generator's introspection", () => {
  const introspect = async (app: string) => {
    const response = await graph.queryAs({ app }, getIntrospectionQuery({ specifiedByUrl: true, descriptions: true }));
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 200, errors: undefined });
    return { text: JSON.stringify(response.body.data), schema: buildClientSchema(response.body.data as IntrospectionQuery) };
  };
  const descriptionOf = (schema: GraphQLSchema, type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field]!.description;

  test('gets every identifier and date scalar with its description and specifiedByURL', async () => {
    const { schema } = await introspect('crossprovince-desk');
    const scalars = Object.fromEntries(
      ['IdNumber', 'CreditCode', 'RegionCode', 'Date', 'DateTime'].map((name) => {
        const type = schema.getType(name);
        return [name, isScalarType(type) ? [/GB\/T 2260|GB 32100|GB 11643|RFC 3339/.exec(type.description ?? '')?.[0], type.specifiedByURL] : undefined];
      }),
    );
    expect(scalars).toEqual({
      IdNumber: ['GB 11643', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E'],
      CreditCode: ['GB 32100', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=24691C25985C1073D3A7C85629378AC0'],
      RegionCode: ['GB/T 2260', 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=C9C488FD717AFDCD52157F41C3302C6D'],
      Date: ['RFC 3339', 'https://www.rfc-editor.org/rfc/rfc3339'],
      DateTime: ['RFC 3339', 'https://www.rfc-editor.org/rfc/rfc3339'],
    });
    expect(await lastRecord()).toMatchObject({ app: 'crossprovince-desk', decision: 'PERMIT', rule: "introspection of crossprovince-desk's own schema" });
  });

  test("gets on each field the asking app's purposes and mask, never another app's", async () => {
    const inspector = await introspect('market-supervision');
    expect(descriptionOf(inspector.schema, 'Person', 'name')).toBe('Purposes: LEGAL_REPRESENTATIVE_CHECK. Masked: NAME — name: surname only (张**).');
    expect(descriptionOf(inspector.schema, 'Enterprise', 'name')).toBe('Purposes: none needed (shared unconditionally).');
    expect(inspector.schema.getType('Person')!.description).toMatch(/Cache key: none for this app: idNumber comes masked/);
    expect(inspector.text).not.toMatch(/SELF_SERVICE|CROSS_PROVINCE_CASE|EVENT_ENTERPRISE_CONTACT/);

    const portal = await introspect('oneservice-portal');
    expect(descriptionOf(portal.schema, 'Person', 'name')).toBe("Purposes: SELF_SERVICE (the operator's own data only).");
    expect(portal.schema.getType('Person')!.description).toMatch(/Cache key: idNumber \(Apollo Client: keyFields: \["idNumber"\]\)/);
    expect(portal.text).not.toMatch(/LEGAL_REPRESENTATIVE_CHECK|MARKET_INSPECTION|Masked: NAME/);
  });
});

describe('documents whose operation cannot be run', () => {
  test('several operations and no operationName: 400 BAD_USER_INPUT, recorded as INVALID', async () => {
    const response = await graph.query('query A { serviceItems { code } } query B { __typename }');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ message: 'The document holds several operations: name the one to run in operationName.', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await lastRecord()).toMatchObject({ decision: 'INVALID', errorCodes: ['BAD_USER_INPUT'] });
  });

  test('an operationName the document does not hold: 400 BAD_USER_INPUT, recorded as INVALID', async () => {
    const response = await post('test-everything', { query: 'query A { __typename } query B { __schema { types { name } } }', operationName: 'C' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ message: 'The document has no operation named "C".', extensions: { code: 'BAD_USER_INPUT' } }]);
    expect(await lastRecord()).toMatchObject({ decision: 'INVALID', errorCodes: ['BAD_USER_INPUT'] });
  });

  test('a subscription: 400 BAD_USER_INPUT, recorded as INVALID', async () => {
    for (const query of ['subscription { __typename }', 'subscription S { serviceItems { code } }']) {
      const response = await graph.query(query);
      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(await lastRecord()).toMatchObject({ decision: 'INVALID', rule: 'subscriptions are not served', errorCodes: ['BAD_USER_INPUT'] });
    }
  });
});

let directCalls = 0;
/** A document sent straight to a department with a valid gateway token of its own (one token serves one request). */
async function askDepartment(department: { name: string; url: string }, query: string) {
  const sign = await signer;
  const requestId = `introspection-direct-${++directCalls}`;
  const token = await sign({ app: 'test-everything', purpose: 'TEST', requestId }, department.name);
  const response = await fetch(department.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return { response, body: (await response.json()) as GraphQLResponse['body'] };
}
let signer: ReturnType<typeof createSubgraphTokenSigner>;
beforeAll(() => {
  signer = createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 60 });
});

test('a department describes its schema to no one, not even to a valid gateway token', async () => {
  const department = graph.subgraphs.find((s) => s.name === 'public-security')!;
  for (const query of [
    '{ __schema { types { name } } }',
    '{ ... on Query { t: __type(name: "Person") { fields { name } } } }',
    'query { ...S } fragment S on Query { _service { sdl } }',
  ]) {
    const { response, body } = await askDepartment(department, query);
    expect(response.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/idNumber|maritalStatus|"Person"/);
  }
});

/** What an app may see, computed from its contract file directly (every grant, whatever its dates) and from its own schema. */
interface Oracle {
  grants: ReadonlySet<string>;
  own: GraphQLSchema | undefined;
  purposes: string[];
}

/** The coordinates, type names and fields an answer carries, read by walking it with the document. */
interface Seen {
  data: Set<string>;
  types: Set<string>;
  fields: Set<string>;
}

const META_FIELDS: Record<string, string> = { __schema: '__Schema', __type: '__Type' };

function collect(value: unknown, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, fragments: Record<string, FragmentDefinitionNode>, seen: Seen, typeName?: string): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, selectionSet, parent, fragments, seen, typeName);
    return;
  }
  const object = value as Record<string, unknown>;
  const enclosing = parent.name === '__Type' && typeof object['name'] === 'string' ? object['name'] : typeName;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) collect(value, selection.selectionSet, parent, fragments, seen, typeName);
    else if (selection.kind === Kind.FRAGMENT_SPREAD) collect(value, fragments[selection.name.value]!.selectionSet, parent, fragments, seen, typeName);
    else {
      const name = selection.name.value;
      const child = object[selection.alias?.value ?? name];
      if (child === null || child === undefined || name === '__typename') continue;
      const metaType = META_FIELDS[name];
      const definition = metaType ? undefined : isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
      if (!metaType && !parent.name.startsWith('__')) seen.data.add(`${parent.name}.${name}`);
      if (parent.name === '__Type' && name === 'name') seen.types.add(String(child));
      if (parent.name === '__Field' && name === 'name' && enclosing) seen.fields.add(`${enclosing}.${String(child)}`);
      const next = metaType ? apiSchema.getType(metaType) : definition && getNamedType(definition.type);
      if (selection.selectionSet && next && isCompositeType(next)) collect(child, selection.selectionSet, next, fragments, seen, enclosing);
    }
  }
}

function seenIn(query: string, data: unknown): Seen {
  const document = parse(query);
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  const seen: Seen = { data: new Set(), types: new Set(), fields: new Set() };
  if (operation.kind === Kind.OPERATION_DEFINITION) collect(data, operation.selectionSet, apiSchema.getQueryType()!, fragments, seen);
  return seen;
}

/** Whether a type may be named to the app: it is in its own schema and, if it holds fields, the contract grants one of them. */
function typeVisible(oracle: Oracle, name: string): boolean {
  if (!oracle.own?.getType(name)) return false;
  if (name.startsWith('__')) return true;
  const type = apiSchema.getType(name);
  if (isObjectType(type)) return Object.keys(type.getFields()).some((f) => oracle.grants.has(`${name}.${f}`));
  if (isInterfaceType(type)) return apiSchema.getPossibleTypes(type).some((o) => typeVisible(oracle, o.name));
  return true;
}

function fieldVisible(oracle: Oracle, coordinate: string): boolean {
  const [typeName, field] = coordinate.split('.') as [string, string];
  const own = oracle.own?.getType(typeName);
  if (!own || !(isObjectType(own) || isInterfaceType(own)) || !own.getFields()[field]) return false;
  if (typeName.startsWith('__')) return true;
  const type = apiSchema.getType(typeName);
  if (isObjectType(type)) return oracle.grants.has(coordinate);
  return isInterfaceType(type) && apiSchema.getPossibleTypes(type).some((o) => oracle.grants.has(`${o.name}.${field}`));
}

describe('property: nothing outside the app’s own schema comes back', () => {
  const TYPE_NAMES = ['Person', 'Enterprise', 'Household', 'Application', 'AuditRecord', 'AppContract', 'Query', 'Mutation', 'ServiceItem', 'CityEvent', 'IdNumber', 'MaritalStatus', '__Type', 'NoSuchType'];
  const TYPE_PARTS = 'fragment TypeParts on __Type { name kind fields { name type { name ofType { name } } } enumValues { name } inputFields { name } }';
  const introspection = fc.oneof(
    fc.constant('__schema { types { name fields { name } } }'),
    fc.constant('__schema { queryType { name fields { name type { name ofType { name } } } } mutationType { name fields { name } } }'),
    fc.constantFrom(...TYPE_NAMES).map((t) => `__type(name: "${t}") { name kind fields { name } possibleTypes { name } interfaces { name } }`),
    fc.constantFrom(...TYPE_NAMES).map((t) => `__type(name: "${t}") { ...TypeParts }`),
    fc.constant('__typename'),
  );
  const data = fc.constantFrom(
    'serviceItems { code name __typename }',
    'enterprises(first: 2) { nodes { name creditCode legalRepresentative { name } } }',
    'cityEvents(first: 2) { nodes { id regionCode } }',
    'applications(first: 2) { nodes { id status } }',
    `person(idNumber: "${person}") { name idNumber maritalStatus }`,
    'auditRecords(first: 1) { nodes { app } }',
    'enterprises(first: 1) { nodes { __type(name: "Person") { name } } }',
  );
  // How a root selection is wrapped, innermost first: an alias, an inline fragment (typed or not), a named fragment.
  const wrapper = fc.constantFrom('alias', 'alias', 'inline', 'bare', 'named');
  const pieces = (field: fc.Arbitrary<string>) => fc.array(fc.record({ field, wrappers: fc.array(wrapper, { maxLength: 3 }) }), { minLength: 1, maxLength: 4 });
  // Documents of introspection alone are answered; with data they are refused; data alone is read under the contract.
  const documents = fc.oneof({ arbitrary: pieces(introspection), weight: 3 }, { arbitrary: pieces(fc.oneof(introspection, data)), weight: 2 }, { arbitrary: pieces(data), weight: 2 });

  function documentOf(pieces: Array<{ field: string; wrappers: string[] }>): string {
    const fragments: string[] = [];
    const selections = pieces.map(({ field, wrappers }, i) =>
      wrappers.reduce((text, wrap, depth) => {
        if (wrap === 'alias') return /^[_A-Za-z]\w*(\s|\(|\{|$)/.test(text) ? `a${i}_${depth}: ${text}` : text;
        if (wrap === 'inline') return `... on Query { ${text} }`;
        if (wrap === 'bare') return `... { ${text} }`;
        fragments.push(`fragment F${i}_${depth} on Query { ${text} }`);
        return `...F${i}_${depth}`;
      }, field),
    );
    const text = `query Generated { ${selections.join(' ')} } ${fragments.join(' ')}`;
    return text.includes('...TypeParts') ? `${text} ${TYPE_PARTS}` : text;
  }

  test('for random documents mixing introspection, fragments, aliases and data, and random apps', async () => {
    const { contracts } = loadContracts(graph.contractsDir);
    const policy = new AccessPolicy(contracts.map((c) => c.contract), catalog, platform);
    const oracles = new Map<string, Oracle>();
    for (const { contract } of contracts) {
      const grants = new Set(contract.purposes.flatMap((p) => p.grants.map(grantCoordinate)));
      oracles.set(contract.app, { grants, own: appSchema(apiSchema, policy.grantedCoordinates(contract.app, new Date()), policy.subjects), purposes: contract.purposes.map((p) => p.code) });
    }
    oracles.set('no-contract-app', { grants: new Set(), own: undefined, purposes: [] });
    const apps = [...oracles.keys()];
    // In filter mode denied fields are removed rather than refusing the operation: the rest must still be granted.
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const gateways = [graph.gateway.url, filtering.url];

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...apps), fc.constantFrom(...gateways), fc.nat(), documents, async (app, url, purposePick, selections) => {
        const oracle = oracles.get(app)!;
        const purpose = oracle.purposes.length > 0 && purposePick % 3 !== 0 ? oracle.purposes[purposePick % oracle.purposes.length] : undefined;
        const query = documentOf(selections);
        const response = await graph.queryAs({ app, url, ...(purpose !== undefined && { purpose }) }, query);
        expect(response.status).not.toBe(500);
        expect(codes(response)).not.toContain('INTERNAL_SERVER_ERROR');
        const seen = seenIn(query, response.body.data);
        for (const coordinate of seen.data) expect({ app, url, query, coordinate, granted: oracle.grants.has(coordinate) }).toMatchObject({ granted: true });
        for (const type of seen.types) expect({ app, query, type, visible: typeVisible(oracle, type) }).toMatchObject({ visible: true });
        for (const field of seen.fields) expect({ app, query, field, visible: fieldVisible(oracle, field) }).toMatchObject({ visible: true });
      }),
      { numRuns: 100 },
    );
  }, 300_000);

  test('for the same documents sent straight to a department with a valid gateway token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...graph.subgraphs), pieces(introspection), async (department, selections) => {
        const query = documentOf(selections);
        const { response, body } = await askDepartment(department, query);
        expect(response.status).not.toBe(500);
        if (/__schema|__type\(/.test(query)) {
          expect({ query, status: response.status, data: body.data }).toEqual({ query, status: 400, data: undefined });
        } else {
          expect(JSON.stringify(body.data ?? null)).not.toMatch(/"name"|"fields"/);
        }
      }),
      { numRuns: 50 },
    );
  }, 300_000);
});
