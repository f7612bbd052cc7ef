import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  graphqlSync,
  isInputObjectType,
  isScalarType,
  printSchema,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { AccessPolicy, type GrantInForce } from './access-policy';
import { accessNote, appSchemaNotes, cacheKeyNote, describedAppSchema } from './app-schema-notes';
import type { ContractDocument } from './contract-schema';
import { loadContracts, loadPlatform } from './load-contracts';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const contracts = loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract);
const policy = new AccessPolicy(contracts, catalog, platform!);
const june = new Date('2026-06-01T10:00:00+08:00');

const own = (app: string, now = june) => describedAppSchema(policy, catalog.apiSchema, app, now)!;
const field = (schema: GraphQLSchema, coordinate: string) => {
  const [type, name] = coordinate.split('.') as [string, string];
  return (schema.getType(type) as GraphQLObjectType).getFields()[name]!;
};
const grant = (purpose: string, more: Partial<GrantInForce> = {}): GrantInForce => ({ purpose, caseBound: false, operatorBound: false, ...more });

describe('the note on a field', () => {
  test('a conditional field names each purpose that grants it, with its conditions', () => {
    expect(accessNote('CONDITIONAL', [grant('A'), grant('B', { caseBound: true }), grant('C', { operatorBound: true })])).toBe(
      "Purposes: A, B (needs X-Case-Id), C (the operator's own data only).",
    );
  });

  test('an unconditional field needs no purpose; the conditions of the grant taken without one are named', () => {
    expect(accessNote('UNCONDITIONAL', [grant('A')])).toBe('Purposes: none needed (shared unconditionally).');
    expect(accessNote('UNCONDITIONAL', [grant('A', { caseBound: true }), grant('B', { operatorBound: true })])).toBe(
      "Purposes: none needed (shared unconditionally; the operator's own data only).",
    );
  });

  test('a field of unknown class is described as conditional: it needs a purpose', () => {
    expect(accessNote(undefined, [grant('A')])).toBe('Purposes: A.');
  });

  test('the same mask under every purpose is named once, with what it shows', () => {
    expect(accessNote('CONDITIONAL', [grant('A', { mask: 'NAME' }), grant('B', { mask: 'NAME' })])).toBe('Purposes: A, B. Masked: NAME — name: surname only (张**).');
  });

  test('masks that differ by purpose are named per purpose, and an unmasked purpose says so', () => {
    expect(accessNote('CONDITIONAL', [grant('A', { mask: 'ID_NUMBER' }), grant('B'), grant('C', { mask: 'ID_NUMBER' })])).toBe(
      'Purposes: A, B, C. Masked: ID_NUMBER — ID number: first 6 and last 4 characters shown (110105********1234) under A, C; not masked under B.',
    );
  });

  test('an unconditional field masked differently by purpose says which applies without X-Purpose', () => {
    expect(accessNote('UNCONDITIONAL', [grant('A', { caseBound: true }), grant('B', { mask: 'PHONE' })])).toBe(
      'Purposes: none needed (shared unconditionally). Masked: not masked under A; PHONE — mobile number: first 3 and last 4 digits shown (138****5678) under B. Without X-Purpose, as under B.',
    );
  });
});

describe('the cache key of an entity type', () => {
  const grants = new Map([
    ['Person.idNumber', [grant('A')]],
    ['Enterprise.creditCode', [grant('A'), grant('B', { mask: 'CREDIT_CODE' })]],
  ]);

  test('is its key field when the app reads it unmasked', () => {
    expect(cacheKeyNote(['idNumber'], grants, 'Person')).toBe('Cache key: idNumber (Apollo Client: keyFields: ["idNumber"]).');
  });

  test('is none when the key comes masked under any purpose', () => {
    expect(cacheKeyNote(['creditCode'], grants, 'Enterprise')).toBe(
      'Cache key: none for this app: creditCode comes masked, and masked values may repeat (Apollo Client: keyFields: false).',
    );
  });

  test('is none, naming no field, when the app may not read the key', () => {
    const note = cacheKeyNote(['code'], grants, 'Grid');
    expect(note).toBe('Cache key: none for this app, which may not read the whole key (Apollo Client: keyFields: false).');
    expect(note).not.toContain('code');
  });
});

describe("an app's own schema, from the real contracts and supergraph", () => {
  test('a masked field names its purpose and mask for market-supervision', () => {
    expect(field(own('market-supervision'), 'Person.name').description).toBe('Purposes: LEGAL_REPRESENTATIVE_CHECK. Masked: NAME — name: surname only (张**).');
    expect(field(own('market-supervision'), 'Person.phone').description).toBe(
      'Mobile phone number on file.\n\nPurposes: LEGAL_REPRESENTATIVE_CHECK. Masked: PHONE — mobile number: first 3 and last 4 digits shown (138****5678).',
    );
  });

  test("the same field for another app carries that app's purpose and no mask", () => {
    expect(field(own('oneservice-portal'), 'Person.name').description).toBe("Purposes: SELF_SERVICE (the operator's own data only).");
    expect(field(own('crossprovince-desk'), 'Person.name').description).toBe('Purposes: CROSS_PROVINCE_CASE (needs X-Case-Id).');
  });

  test('unconditional fields say they need no purpose', () => {
    expect(field(own('market-supervision'), 'Enterprise.name').description).toBe('Purposes: none needed (shared unconditionally).');
    expect(field(own('market-supervision'), 'Query.enterprises').description).toMatch(/ordered by credit code\.\n\nPurposes: none needed \(shared unconditionally\)\.$/);
  });

  test('an argument naming a subject says that naming it is a read, and what it needs', () => {
    const person = field(own('oneservice-portal'), 'Query.person').args.find((a) => a.name === 'idNumber')!;
    expect(person.description).toBe("Names a data subject: giving it is a read of that subject. Purposes: SELF_SERVICE (the operator's own data only).");
    const input = own('oneservice-portal').getType('SubmitApplicationInput');
    expect(isInputObjectType(input) && input.getFields()['applicant']!.description).toMatch(/^Names a data subject: .* Purposes: SELF_SERVICE/);
    // An argument that names no subject carries no note.
    expect(field(own('oneservice-portal'), 'Query.serviceItem').args[0]!.description).toBeUndefined();
  });

  test("no app's schema names a purpose of another app's contract", () => {
    for (const contract of contracts) {
      const schema = describedAppSchema(policy, catalog.apiSchema, contract.app, june);
      if (!schema) continue;
      const text = printSchema(schema);
      const mine = new Set(contract.purposes.map((p) => p.code));
      const others = contracts.flatMap((c) => c.purposes.map((p) => p.code)).filter((code) => !mine.has(code));
      for (const code of others) expect({ app: contract.app, code, named: new RegExp(`\\b${code}\\b`).test(text) }).toEqual({ app: contract.app, code, named: false });
    }
  });

  test("each note says what the gate decides for that app: every purpose named grants the field, with the mask named", () => {
    for (const contract of contracts) {
      const { grants, fields } = appSchemaNotes(policy, contract.app, june);
      for (const [coordinate, entries] of grants) {
        const note = fields.get(coordinate)!;
        const unconditional = policy.sharingOf(coordinate)?.class === 'UNCONDITIONAL';
        for (const entry of entries) {
          const decision = policy.decide({ app: contract.app, purpose: entry.purpose, caseId: 'case-1' }, coordinate, june);
          expect({ coordinate, decision }).toMatchObject({ coordinate, decision: { allowed: true, purpose: entry.purpose } });
          expect(decision.allowed ? decision.mask : 'denied').toBe(entry.mask);
          if (!unconditional) expect(note).toContain(entry.purpose);
          if (entry.mask) expect(note).toContain(entry.mask);
        }
        const withoutPurpose = policy.decide({ app: contract.app, caseId: 'case-1' }, coordinate, june);
        expect({ coordinate, note, allowed: withoutPurpose.allowed }).toEqual({ coordinate, note, allowed: unconditional && note.includes('Purposes: none needed') });
        // Without X-Purpose an unconditional field comes as under its first grant that needs no case.
        const fallback = entries.find((e) => !e.caseBound) ?? entries[0]!;
        if (withoutPurpose.allowed) expect({ coordinate, mask: withoutPurpose.mask }).toEqual({ coordinate, mask: fallback.mask });
      }
    }
  });

  test('a purpose out of force is named neither on a field nor anywhere else', () => {
    // FOOD_SAFETY_CAMPAIGN_2025 ran until 2025-12-31 and alone granted Enterprise.applications.
    expect(field(own('market-supervision', new Date('2025-06-01T10:00:00+08:00')), 'Enterprise.applications').description).toBe('Purposes: FOOD_SAFETY_CAMPAIGN_2025.');
    const today = own('market-supervision');
    expect((today.getType('Enterprise') as GraphQLObjectType).getFields()['applications']).toBeUndefined();
    expect(printSchema(today)).not.toContain('FOOD_SAFETY_CAMPAIGN_2025');
  });

  test('entity types name their cache key for the app: unmasked it is the key, masked it is none', () => {
    expect(own('oneservice-portal').getType('Person')!.description).toBe(
      'A natural person as registered by public security.\n\nCache key: idNumber (Apollo Client: keyFields: ["idNumber"]).',
    );
    expect(own('market-supervision').getType('Person')!.description).toMatch(/Cache key: none for this app: idNumber comes masked.*keyFields: false/);
    expect(own('market-supervision').getType('Enterprise')!.description).toMatch(/\n\nCache key: creditCode \(Apollo Client: keyFields: \["creditCode"\]\)\.$/);
    expect(own('city-ops-center').getType('CityEvent')!.description).toMatch(/Cache key: id \(Apollo Client: keyFields: \["id"\]\)\.$/);
    // Not an entity: no cache key line.
    expect(own('oneservice-portal').getType('Household')!.description).not.toContain('Cache key');
  });

  test("the client schema built from an app's introspection keeps scalar descriptions, specifiedByURL and field notes", () => {
    const schema = own('crossprovince-desk');
    const result = graphqlSync({ schema, source: getIntrospectionQuery({ specifiedByUrl: true }) });
    const client = buildClientSchema(result.data as unknown as IntrospectionQuery);
    const scalars = Object.values(client.getTypeMap()).filter((t) => isScalarType(t) && !['String', 'Boolean', 'Int', 'Float', 'ID'].includes(t.name));
    expect(scalars.map((s) => s.name).sort()).toEqual(['CreditCode', 'Date', 'DateTime', 'IdNumber', 'RegionCode']);
    for (const scalar of scalars) {
      expect(isScalarType(scalar) && scalar.specifiedByURL).toBe(isScalarType(scalar) && catalog.apiSchema.getType(scalar.name) && (catalog.apiSchema.getType(scalar.name) as typeof scalar).specifiedByURL);
      expect(scalar.description).toMatch(/JSON string/);
    }
    expect((client.getType('IdNumber') as { specifiedByURL?: string }).specifiedByURL).toBe('https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E');
    expect(field(client, 'Person.idNumber').description).toBe(
      'Purposes: CROSS_PROVINCE_CASE (needs X-Case-Id). Masked: ID_NUMBER — ID number: first 6 and last 4 characters shown (110105********1234).',
    );
  });

  test('an app without a contract gets no schema', () => {
    expect(describedAppSchema(policy, catalog.apiSchema, 'no-such-app', june)).toBeUndefined();
  });
});

test('a contract of its own: the notes follow the grants in force, whatever the app', () => {
  const contract: ContractDocument = {
    app: 'desk', name: 'n', owner: 'o', contact: { name: 'c' }, legalBasis: 'basis',
    validFrom: '2026-01-01', validUntil: '2026-12-31', approvedBy: 'a', approvedOn: '2025-12-01', persistedOnly: false, operations: [],
    purposes: [
      { code: 'OPEN', description: 'd', caseRequired: false, subjectIsOperator: false, discloseToSubject: true, grants: ['Query.enterprise', 'Query.enterprise(creditCode:)', 'Enterprise.name', { field: 'Enterprise.creditCode', mask: 'CREDIT_CODE' }] },
      { code: 'CASE', description: 'd', caseRequired: true, subjectIsOperator: false, discloseToSubject: true, grants: ['Enterprise.legalRepresentative', { field: 'Person.name', mask: 'NAME' }] },
    ],
  };
  const desk = new AccessPolicy([contract], catalog, platform!);
  const schema = describedAppSchema(desk, catalog.apiSchema, 'desk', june)!;
  expect(field(schema, 'Person.name').description).toBe('Purposes: CASE (needs X-Case-Id). Masked: NAME — name: surname only (张**).');
  expect(schema.getType('Enterprise')!.description).toMatch(/Cache key: none for this app: creditCode comes masked/);
  expect(schema.getType('Person')!.description).toMatch(/Cache key: none for this app, which may not read the whole key/);
  expect(schema.getType('Person')!.description).not.toContain('idNumber');
  expect(describedAppSchema(desk, catalog.apiSchema, 'desk', new Date('2027-01-02T10:00:00+08:00'))).toBeUndefined();
});
