/**
 * A department from another organisation is handed only its extract of the contracts
 * (`npm run contracts -- extract`): the grants of its own fields, with what it needs to enforce them, and
 * nothing of any other department's fields or any app's contacts. Each department of this graph (the audit
 * service aside, the platform's own) runs on its extract alone, and still enforces every rule itself when
 * called directly: masks, lapsed purposes, the case, the operator, the contract's region.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { departmentCoordinates, EXTRACT_FILE, type DepartmentExtract } from '../contracts/department-extract';
import { grantCoordinate } from '../contracts/contract-schema';
import { loadContracts } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { departmentCall, type DepartmentCall } from './support/department-call';
import { startGraph, type TestGraph } from './support/graph';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const shipped = loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract);
const EXTRACTED = ['public-security', 'civil-affairs', 'market-regulation', 'service-hall', 'city-operations'];

describe('npm run contracts -- extract', () => {
  const out = mkdtempSync(join(tmpdir(), 'govgraph-extract-'));
  let extract: DepartmentExtract;
  let text: string;
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'contracts', 'cli.ts'), 'extract', '--department', 'public-security', '--out', out], { cwd: ROOT });
    expect(stdout).toMatch(/contracts-extract\.json: \d+ grants of public-security's fields to \d+ apps\n$/);
    text = readFileSync(join(out, EXTRACT_FILE), 'utf8');
    extract = JSON.parse(text) as DepartmentExtract;
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test("holds no grant of another department's fields, and every grant of its own", () => {
    const own = departmentCoordinates(catalog, 'public-security');
    const extracted = extract.contracts.flatMap((c) => c.purposes.flatMap((p) => p.grants.map((g) => `${c.app} ${p.code} ${grantCoordinate(g)}`)));
    const expected = shipped.flatMap((c) => c.purposes.flatMap((p) => p.grants.filter((g) => own.has(grantCoordinate(g))).map((g) => `${c.app} ${p.code} ${grantCoordinate(g)}`)));
    expect(extracted.sort()).toEqual(expected.sort());
    expect(extracted.length).toBeGreaterThan(0);
    // The shipped contracts do grant other departments' fields (civil affairs', market regulation's...): none came along.
    expect(shipped.some((c) => c.purposes.some((p) => p.grants.some((g) => grantCoordinate(g) === 'Person.maritalStatus')))).toBe(true);
    expect(text).not.toContain('Person.maritalStatus');
    expect(text).not.toContain('Enterprise.status');
  });

  test('keeps what enforcing needs — app, region, validity, conditions, masks — and no name, owner, contact or legal basis', () => {
    for (const contract of extract.contracts) {
      expect(Object.keys(contract).every((key) => ['app', 'region', 'validFrom', 'validUntil', 'purposes'].includes(key))).toBe(true);
      for (const purpose of contract.purposes) expect(Object.keys(purpose).every((key) => ['code', 'caseRequired', 'subjectIsOperator', 'validFrom', 'validUntil', 'grants'].includes(key))).toBe(true);
    }
    for (const contract of shipped) {
      for (const secret of [contract.owner, contract.contact.name, contract.contact.phone, contract.contact.email, contract.name, contract.approvedBy]) if (secret) expect(text).not.toContain(secret);
    }
    expect(extract.contracts.find((c) => c.app === 'city-ops-center')?.region).toBe('4401');
    expect(extract.contracts.find((c) => c.app === 'market-supervision')?.purposes.find((p) => p.code === 'LEGAL_REPRESENTATIVE_CHECK')?.grants).toContainEqual({ field: 'Person.name', mask: 'NAME' });
  });

  test('leaves out an app granted none of its fields', () => {
    const own = departmentCoordinates(catalog, 'public-security');
    const none = shipped.filter((c) => !c.purposes.some((p) => p.grants.some((g) => own.has(grantCoordinate(g))))).map((c) => c.app);
    expect(none).toContain('auditor');
    for (const app of none) expect(extract.contracts.map((c) => c.app)).not.toContain(app);
  });
});

describe('departments running on their extracts alone', () => {
  let graph: TestGraph;
  let direct: DepartmentCall;
  let openCase: { id: string; applicant: string };
  let stranger: string;
  let enterprise: string;
  const entities = (type: string, keys: Record<string, string>) => ({ r: [{ __typename: type, ...keys }] });
  const codes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (body.errors ?? []).map((e) => e.extensions?.['code']);

  beforeAll(async () => {
    graph = await startGraph({ extractsFor: EXTRACTED });
    direct = await departmentCall(graph, 'extract');
    const { body } = await graph.query(`{
      open: applications(status: IN_PROGRESS, first: 1) { nodes { id applicant { idNumber } } }
      shFirms: enterprises(regionCode: "310000", first: 1) { nodes { creditCode legalRepresentative { idNumber name } } }
    }`);
    openCase = { id: body.data.open.nodes[0].id, applicant: body.data.open.nodes[0].applicant.idNumber };
    stranger = body.data.shFirms.nodes[0].legalRepresentative.idNumber;
    enterprise = body.data.shFirms.nodes[0].creditCode;
  }, 120_000);
  afterAll(() => graph?.stop());

  test("each holds no grant of another department's fields", () => {
    for (const department of EXTRACTED) {
      const extract = JSON.parse(readFileSync(join(graph.dataDir, 'extracts', department, EXTRACT_FILE), 'utf8')) as DepartmentExtract;
      const own = departmentCoordinates(catalog, department);
      const foreign = extract.contracts.flatMap((c) => c.purposes.flatMap((p) => p.grants.map(grantCoordinate))).filter((c) => !own.has(c));
      expect([department, foreign]).toEqual([department, []]);
    }
  });

  test('through the gateway, a masked grant is still masked at its department', async () => {
    const response = await graph.queryAs({ app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, `{ enterprise(creditCode: "${enterprise}") { legalRepresentative { name phone } } }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.enterprise.legalRepresentative.name).toMatch(/\*/);
    expect(response.body.data.enterprise.legalRepresentative.phone).toMatch(/\*/);
  });

  test('called directly, a department masks as its extract says, and refuses what it does not grant', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name phone } } }';
    const masked = await direct('public-security', { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' }, query, entities('Person', { idNumber: stranger }));
    expect(masked.body.errors).toBeUndefined();
    expect(masked.body.data._entities[0].name).toMatch(/\*/);
    // Fields it does not grant are refused in place: nothing of the person is released.
    const released = (body: { data?: { _entities?: Array<Record<string, unknown> | null> } | null }) => (body.data?._entities ?? []).flatMap((row) => Object.values(row ?? {}).filter((v) => v !== null));
    const ungranted = await direct('public-security', { app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, query, entities('Person', { idNumber: stranger }));
    expect(released(ungranted.body)).toEqual([]);
    // Granted under another purpose of the extract, and said so.
    expect(new Set(codes(ungranted.body))).toEqual(new Set(['PURPOSE_REQUIRED']));
    const auditor = await direct('public-security', { app: 'auditor', purpose: 'AUDIT_REVIEW' }, query, entities('Person', { idNumber: stranger }));
    expect(released(auditor.body)).toEqual([]);
    expect(codes(auditor.body)).toContain('FORBIDDEN');
  });

  test('a purpose that has lapsed grants nothing', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { applications { id } } } }';
    const lapsed = await direct('service-hall', { app: 'market-supervision', purpose: 'FOOD_SAFETY_CAMPAIGN_2025' }, query, entities('Enterprise', { creditCode: enterprise }));
    expect(lapsed.body.data).toEqual({ _entities: [null] });
    expect(codes(lapsed.body)).toEqual(['FORBIDDEN']);
  });

  test('the case, the operator and the contract’s region still bind the rows', async () => {
    const desk = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id, caseSubjects: [openCase.applicant] };
    const named = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name } } }';
    const own = await direct('public-security', desk, named, entities('Person', { idNumber: openCase.applicant }));
    expect(own.body.errors).toBeUndefined();
    const outside = await direct('public-security', desk, named, entities('Person', { idNumber: stranger }));
    expect(outside.body.data).toEqual({ _entities: [null] });
    expect(codes(outside.body)).toEqual(['FORBIDDEN']);

    const portal = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: openCase.applicant };
    const marital = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { maritalStatus } } }';
    expect((await direct('civil-affairs', portal, marital, entities('Person', { idNumber: openCase.applicant }))).body.errors).toBeUndefined();
    const another = await direct('civil-affairs', portal, marital, entities('Person', { idNumber: stranger }));
    expect(another.body.data._entities).toEqual([null]);
    expect(codes(another.body)).toEqual(['FORBIDDEN']);

    // The token leaves the region out: the contract's region, from the extract, still narrows the list.
    const list = await direct('city-operations', { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' }, '{ cityEvents(regionCode: "310000", first: 5) { nodes { id } } }');
    expect(list.body.data.cityEvents.nodes).toEqual([]);
  });
});
