/**
 * The access gate over the real composed API schema and the shipped contracts: which fields of an operation
 * it refuses (and why, and where), what it decides for the rest, and what it remembers. Rejecting or filtering
 * is the gateway's choice (guarded-gateway.ts), made on this same outcome: each denial's code, reason and path,
 * and for a refused argument the field it was given to, which filtering removes with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, getOperationAST, parse, print, visit, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { createAccessGate, type AccessGate, type Denial, type GateOutcome } from './access-gate';
import { AccessPolicy, type AccessCaller } from './access-policy';
import { compileRuleTree, ruleContextKey } from './compile-rule-tree';
import { loadContracts, loadPlatform } from './load-contracts';
import { createSkipInclude, type SwitchedDocument } from './skip-include';
import { buildCatalog, catalogOf } from './supergraph-catalog';
import { loadSubgraphTypeDefs } from '../subgraphs/kit/federation';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const schema = catalog.apiSchema;
const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;
const contracts = loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract);
const policy = new AccessPolicy(contracts, catalog, platform);
const tree = compileRuleTree(policy, schema);
/** As the bench builds it: no per-operation limits, nothing remembered. */
const gate = createAccessGate(tree, schema, policy.subjects);
/** As the gateway builds it. */
const gatewayGate = createAccessGate(tree, schema, policy.subjects, platform.perOperation, ruleContextKey(policy));

const NOW = new Date('2026-06-01T12:00:00+08:00');
// A valid GB 11643 ID number and a valid GB 32100 credit code, as used across the repository's tests.
const PERSON = '110101199003070011';
const FIRM = '91350100M000100Y43';
/** Another valid credit code: `creditCode('91', '350100', 2)` of the synthetic world's generator. */
const OTHER_FIRM = '91350100MA0041E865';

const inspector: AccessCaller = { app: 'market-supervision', purpose: 'MARKET_INSPECTION' };
const investigator: AccessCaller = { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' };

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

function judge(text: string, caller: AccessCaller, options: { operationName?: string; gate?: AccessGate; now?: Date } = {}): Promise<GateOutcome> {
  const document = parse(text);
  return (options.gate ?? gate)(getOperationAST(document, options.operationName)!, fragmentsOf(document), { caller, now: options.now ?? NOW });
}

/** Denials in a stable order (rules answer asynchronously). */
const sorted = (denials: readonly Denial[]) => [...denials].sort((a, b) => `${a.path} ${a.coordinate}`.localeCompare(`${b.path} ${b.coordinate}`));
const notGranted = (coordinate: string, app: string, path: string, field?: string): Denial => ({
  coordinate,
  path,
  code: 'FORBIDDEN',
  reason: `${coordinate} is not granted to ${app}`,
  ...(field !== undefined && { field }),
});
const NOT_SHARED = (path: string): Denial => ({ coordinate: 'Enterprise.riskRating', path, code: 'FORBIDDEN', reason: 'Enterprise.riskRating is not shared by its department (不予共享)' });
const purposeRequired = (coordinate: string, path: string): Denial => ({
  coordinate,
  path,
  code: 'PURPOSE_REQUIRED',
  reason: `${coordinate} is shared conditionally: state a purpose of the grant in X-Purpose (LEGAL_REPRESENTATIVE_CHECK)`,
  purposes: ['LEGAL_REPRESENTATIVE_CHECK'],
});

describe('refused fields, wherever they are selected', () => {
  test('a root field the app is not granted is refused at its path, and so is the subject argument given to it', async () => {
    const outcome = await judge(`{ person(idNumber: "${PERSON}") { idNumber } }`, inspector);
    expect(sorted(outcome.denials)).toStrictEqual([
      notGranted('Query.person', 'market-supervision', 'person'),
      notGranted('Query.person(idNumber:)', 'market-supervision', 'person', 'Query.person'),
      purposeRequired('Person.idNumber', 'person.idNumber'),
    ]);
  });

  test('a nested field is refused alone; the granted fields beside it are decided and their types recorded as read', async () => {
    const outcome = await judge(`{ enterprise(creditCode: "${FIRM}") { name riskRating } }`, inspector);
    expect(outcome.denials).toStrictEqual([NOT_SHARED('enterprise.riskRating')]);
    expect(outcome.decisions.get('Query.enterprise')).toMatchObject({ allowed: true, purpose: 'MARKET_INSPECTION' });
    expect(outcome.decisions.get('Enterprise.name')).toMatchObject({ allowed: true, purpose: 'MARKET_INSPECTION' });
    expect(outcome.decisions.get('Enterprise.riskRating')).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Query']);
    expect(outcome.overused).toEqual([]);
  });

  test('paths name the alias a field was asked under, at the root and below', async () => {
    const outcome = await judge(
      `{ firm: enterprise(creditCode: "${FIRM}") { riskRating } enterprise(creditCode: "${FIRM}") { rating: riskRating } }`,
      inspector,
    );
    expect(sorted(outcome.denials)).toStrictEqual([NOT_SHARED('enterprise.rating'), NOT_SHARED('firm.riskRating')]);
  });

  test('inline fragments, typed or not, are walked as part of their parent', async () => {
    const outcome = await judge(
      `{ enterprise(creditCode: "${FIRM}") { ... on Enterprise { riskRating } ... @include(if: true) { legalRepresentative { name } } } }`,
      inspector,
    );
    expect(sorted(outcome.denials)).toStrictEqual([
      purposeRequired('Enterprise.legalRepresentative', 'enterprise.legalRepresentative'),
      purposeRequired('Person.name', 'enterprise.legalRepresentative.name'),
      NOT_SHARED('enterprise.riskRating'),
    ]);
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Person', 'Query']);
  });

  test('a named fragment is walked once per path it is spread at, however often it is spread there', async () => {
    const outcome = await judge(
      `{ a: enterprise(creditCode: "${FIRM}") { ...Firm ...Firm } b: enterprise(creditCode: "${FIRM}") { ...Firm } }
       fragment Firm on Enterprise { name riskRating }`,
      inspector,
    );
    expect(sorted(outcome.denials)).toStrictEqual([NOT_SHARED('a.riskRating'), NOT_SHARED('b.riskRating')]);
  });

  test('a fragment spread inside itself ends: it is not walked again at the same path', async () => {
    const outcome = await judge(`{ enterprise(creditCode: "${FIRM}") { ...Firm } } fragment Firm on Enterprise { riskRating ...Firm }`, inspector);
    expect(outcome.denials).toStrictEqual([NOT_SHARED('enterprise.riskRating')]);
  });
});

describe('a conditional field', () => {
  const text = `{ enterprise(creditCode: "${FIRM}") { legalRepresentative { name phone } } }`;
  const refused = [
    purposeRequired('Enterprise.legalRepresentative', 'enterprise.legalRepresentative'),
    purposeRequired('Person.name', 'enterprise.legalRepresentative.name'),
    purposeRequired('Person.phone', 'enterprise.legalRepresentative.phone'),
  ];

  test('is refused with PURPOSE_REQUIRED when no purpose is stated', async () => {
    expect(sorted((await judge(text, { app: 'market-supervision' })).denials)).toStrictEqual(refused);
  });

  test("is refused with PURPOSE_REQUIRED under the app's other purpose, which does not grant it", async () => {
    expect(sorted((await judge(text, inspector)).denials)).toStrictEqual(refused);
  });

  test('is allowed under the purpose that grants it, with the mask of the grant', async () => {
    const outcome = await judge(text, investigator);
    expect(outcome.denials).toEqual([]);
    expect(outcome.decisions.get('Person.name')).toStrictEqual({ allowed: true, purpose: 'LEGAL_REPRESENTATIVE_CHECK', mask: 'NAME', caseBound: false, operatorBound: false });
    expect(outcome.decisions.get('Person.phone')).toMatchObject({ allowed: true, mask: 'PHONE' });
  });

  test('under a case-bound purpose, is refused with CASE_REQUIRED without a case and allowed within one', async () => {
    const text = `query($id: IdNumber!) { person(idNumber: $id) { name } }`;
    const prefill = { app: 'service-hall', purpose: 'PREFILL' };
    const caseRequired = (coordinate: string, path: string, field?: string): Denial => ({
      coordinate,
      path,
      code: 'CASE_REQUIRED',
      reason: `purpose PREFILL opens ${coordinate} only within a case: name it in X-Case-Id`,
      ...(field !== undefined && { field }),
    });
    expect(sorted((await judge(text, prefill)).denials)).toStrictEqual([
      caseRequired('Query.person', 'person'),
      caseRequired('Query.person(idNumber:)', 'person', 'Query.person'),
      caseRequired('Person.name', 'person.name'),
    ]);
    const within = await judge(text, { ...prefill, caseId: '20260601440106000001' });
    expect(within.denials).toEqual([]);
    expect(within.decisions.get('Query.person(idNumber:)')).toMatchObject({ allowed: true, caseBound: true });
  });
});

describe('arguments naming a subject', () => {
  test('a literal key is a read of its subject: decided like a field, and its source kept', async () => {
    const outcome = await judge(`{ enterprise(creditCode: "${FIRM}") { name } enterprises(first: 5) { totalCount } }`, inspector);
    expect(outcome.denials).toEqual([]);
    expect(outcome.decisions.get('Query.enterprise(creditCode:)')).toMatchObject({ allowed: true, purpose: 'MARKET_INSPECTION' });
    expect(outcome.subjectSources).toStrictEqual([{ coordinate: 'Query.enterprise(creditCode:)', subjects: ['Enterprise'], literal: FIRM }]);
  });

  test('a key given through a variable is kept as that variable, to be read per request', async () => {
    const outcome = await judge(`query($id: IdNumber!) { person(idNumber: $id) { name } }`, { app: 'oneservice-portal', purpose: 'SELF_SERVICE' });
    expect(outcome.denials).toEqual([]);
    expect(outcome.subjectSources).toHaveLength(1);
    expect(outcome.subjectSources[0]).toMatchObject({ coordinate: 'Query.person(idNumber:)', variable: 'id' });
    expect(String((outcome.subjectSources[0] as { type: unknown }).type)).toBe('IdNumber!');
  });

  test('an argument is matched to its own definition: one naming no subject beside one that does is no read', async () => {
    const outcome = await judge(`{ applications(regionCode: "440106", enterprise: "${FIRM}") { totalCount } }`, { app: 'auditor', purpose: 'GOVERNANCE_STATISTICS' });
    expect(outcome.denials).toStrictEqual([notGranted('Query.applications(enterprise:)', 'auditor', 'applications', 'Query.applications')]);
    expect(outcome.subjectSources).toStrictEqual([{ coordinate: 'Query.applications(enterprise:)', subjects: ['Enterprise'], literal: FIRM }]);
  });
});

describe('mutations', () => {
  test('a mutation the app is not granted is refused, and so is each key in its input object, naming the field it was given to', async () => {
    const text = `mutation { submitApplication(input: {
      itemCode: "440100-SL-001", applicant: "${PERSON}", enterprise: "${FIRM}", mode: FULL_ONLINE,
      acceptingRegion: "440106", handlingRegion: "440106", idempotencyKey: "k1" }) { id } }`;
    const outcome = await judge(text, inspector);
    expect(sorted(outcome.denials)).toStrictEqual([
      notGranted('Mutation.submitApplication', 'market-supervision', 'submitApplication'),
      notGranted('SubmitApplicationInput.applicant', 'market-supervision', 'submitApplication', 'Mutation.submitApplication'),
      notGranted('SubmitApplicationInput.enterprise', 'market-supervision', 'submitApplication', 'Mutation.submitApplication'),
      {
        coordinate: 'Application.id',
        path: 'submitApplication.id',
        code: 'FORBIDDEN',
        reason: 'the grant of Application.id to market-supervision for purpose FOOD_SAFETY_CAMPAIGN_2025 expired on 2025-12-31',
      },
    ]);
    expect(outcome.subjectSources).toStrictEqual([
      { coordinate: 'SubmitApplicationInput.applicant', subjects: ['Person'], literal: PERSON },
      { coordinate: 'SubmitApplicationInput.enterprise', subjects: ['Enterprise'], literal: FIRM },
    ]);
  });

  test("a granted mutation is judged against the Mutation type: the citizen's portal may submit its operator's application", async () => {
    const text = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }`;
    const outcome = await judge(text, { app: 'oneservice-portal', purpose: 'SELF_SERVICE' });
    expect(outcome.denials).toEqual([]);
    expect(outcome.decisions.get('Mutation.submitApplication')).toMatchObject({ allowed: true, purpose: 'SELF_SERVICE', operatorBound: true });
    expect(outcome.decisions.get('SubmitApplicationInput.applicant')).toMatchObject({ allowed: true, operatorBound: true });
    expect([...outcome.typesRead].sort()).toEqual(['Application', 'Mutation']);
    expect(outcome.subjectSources.map((s) => ('variable' in s ? `${s.coordinate} $${s.variable}` : s.coordinate))).toEqual(['Mutation.submitApplication(input:) $input']);
  });
});

describe('__typename and introspection', () => {
  test('__typename is never refused, but still reads the row: its type is recorded', async () => {
    const outcome = await judge(`{ __typename enterprise(creditCode: "${FIRM}") { __typename } }`, inspector);
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()].sort()).toEqual(['Query.enterprise', 'Query.enterprise(creditCode:)']);
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Query']);
  });

  test('introspection fields are not judged here and read no row', async () => {
    const outcome = await judge('{ __schema { queryType { name } } __type(name: "Person") { name } }', inspector);
    expect(outcome.denials).toEqual([]);
    expect(outcome.decisions.size).toBe(0);
    expect(outcome.typesRead.size).toBe(0);
  });
});

describe('documents', () => {
  const text = `query Firms { enterprise(creditCode: "${FIRM}") { ...Firm } }
    query People { person(idNumber: "${PERSON}") { name } }
    fragment Firm on Enterprise { name status }`;

  test('of several operations, only the one named in operationName is judged', async () => {
    const firms = await judge(text, inspector, { operationName: 'Firms' });
    expect(firms.denials).toEqual([]);
    expect([...firms.decisions.keys()].sort()).toEqual(['Enterprise.name', 'Enterprise.status', 'Query.enterprise', 'Query.enterprise(creditCode:)']);
    const people = await judge(text, inspector, { operationName: 'People' });
    expect(people.denials.map((d) => d.coordinate).sort()).toEqual(['Person.name', 'Query.person', 'Query.person(idNumber:)']);
  });

  test('a field node built without an arguments list (graphql-js allows it) is judged like its parsed text', async () => {
    // Query.enterprises has arguments (all optional), so the gate looks for the ones given.
    const document = visit(parse('{ enterprises { totalCount } }'), { Field: { leave: ({ arguments: _arguments, ...field }) => field } });
    const operation = getOperationAST(document)!;
    expect(operation.selectionSet.selections[0]).not.toHaveProperty('arguments');
    const outcome = await gate(operation, {}, { caller: inspector, now: NOW });
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()].sort()).toEqual(['EnterpriseConnection.totalCount', 'Query.enterprises']);
  });

  test('a subscription is not judged against the query type (the schema has no subscriptions)', async () => {
    const outcome = await judge(`subscription { enterprise(creditCode: "${FIRM}") { riskRating } }`, inspector);
    expect(outcome).toStrictEqual({ denials: [], overused: [], typesRead: new Set(), decisions: new Map(), subjectSources: [] });
  });

  test('what validation refuses is passed over without failing: unknown fields, arguments, fragments and types, selections under a leaf', async () => {
    const outcome = await judge(
      `{ enterprise(creditCode: "${FIRM}", region: "44") { name { length } nickname ...Missing ...Ghost ... on Company { riskRating } } }
       fragment Ghost on Company { riskRating }`,
      inspector,
    );
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()].sort()).toEqual(['Enterprise.name', 'Query.enterprise', 'Query.enterprise(creditCode:)']);
  });
});

describe('per-operation limits', () => {
  const lookups = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `e${i}: enterprise(creditCode: "${FIRM}") { name }`).join(' ')} }`;

  test('a subject may be looked up as often as the platform allows in one operation', async () => {
    expect((await judge(lookups(10), inspector, { gate: gatewayGate })).overused).toEqual([]);
  });

  test('once more is overused, with the count and the limit', async () => {
    expect((await judge(lookups(11), inspector, { gate: gatewayGate })).overused).toStrictEqual([{ coordinate: 'Query.enterprise', count: 11, limit: 10 }]);
  });
});

describe('rules that cannot answer', () => {
  test('a rule that throws refuses its field: the gate fails closed, in its own words', async () => {
    // An unreadable clock makes every grant rule throw; graphql-shield turns that into a bare refusal.
    const outcome = await judge(`{ enterprise(creditCode: "${FIRM}") { name } }`, inspector, { now: new Date(Number.NaN) });
    expect(sorted(outcome.denials)).toStrictEqual([
      notGranted('Query.enterprise', 'market-supervision', 'enterprise'),
      notGranted('Query.enterprise(creditCode:)', 'market-supervision', 'enterprise', 'Query.enterprise'),
      notGranted('Enterprise.name', 'market-supervision', 'enterprise.name'),
    ]);
  });
});

describe("a department's own schema", () => {
  // market-regulation's subgraph: its entities Enterprise and Person make the union _Entity.
  const typeDefs = loadSubgraphTypeDefs(join(ROOT, 'subgraphs', 'market-regulation', 'schema.graphql'));
  const subgraph = buildSubgraphSchema([{ typeDefs }]);
  const own = new AccessPolicy(contracts, catalogOf(typeDefs, subgraph, platform.undeclaredSharingClass), platform);
  const departmentGate = createAccessGate(compileRuleTree(own, subgraph, { alwaysAllow: (c) => c === 'Query._entities' }), subgraph, own.subjects);
  const entities = (selection: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;

  test('fragments on the members of a union are judged on each member', async () => {
    const outcome = await judge(entities('... on Enterprise { name riskRating } ... on Person { enterprises { name } }'), inspector, { gate: departmentGate });
    expect(sorted(outcome.denials)).toStrictEqual([
      notGranted('Person.enterprises', 'market-supervision', '_entities.enterprises'),
      NOT_SHARED('_entities.riskRating'),
    ]);
    expect(outcome.decisions.get('Enterprise.name')).toMatchObject({ allowed: true });
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Person', 'Query']);
  });

  test('__typename on a union reads every member it may be', async () => {
    const outcome = await judge(entities('__typename'), inspector, { gate: departmentGate });
    expect(outcome.denials).toEqual([]);
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Person', 'Query']);
  });

  test('a field directly on a union is judged on the members that have it', async () => {
    const outcome = await judge(entities('name'), inspector, { gate: departmentGate });
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()]).toEqual(['Enterprise.name']);
  });

  test('a field without any rule is refused: default deny', async () => {
    const outcome = await judge('{ _service { sdl } }', inspector, { gate: departmentGate });
    expect(sorted(outcome.denials)).toStrictEqual([notGranted('Query._service', 'market-supervision', '_service'), notGranted('_Service.sdl', 'market-supervision', '_service.sdl')]);
  });
});

describe('remembered outcomes', () => {
  const text = `{ enterprise(creditCode: "${FIRM}") { legalRepresentative { name } } }`;

  test('the same operation under the same decision key gets the same outcome; another key its own', async () => {
    const operation = getOperationAST(parse(text))!;
    const first = gatewayGate(operation, {}, { caller: inspector, now: NOW });
    expect(gatewayGate(operation, {}, { caller: { ...inspector }, now: NOW })).toBe(first);
    const other = gatewayGate(operation, {}, { caller: investigator, now: NOW });
    expect(other).not.toBe(first);
    expect((await first).denials).toHaveLength(2);
    expect((await other).denials).toEqual([]);
  });

  test('without a decision key nothing is remembered', () => {
    const operation = getOperationAST(parse(text))!;
    expect(gate(operation, {}, { caller: inspector, now: NOW })).not.toBe(gate(operation, {}, { caller: inspector, now: NOW }));
  });

  test('an operation keeps 256 decision keys; a 257th clears them', async () => {
    const operation = getOperationAST(parse(text))!;
    const ask = (purpose: string) => gatewayGate(operation, {}, { caller: { app: 'market-supervision', purpose }, now: NOW });
    const first = ask('P0');
    for (let i = 1; i < 256; i++) ask(`P${i}`);
    expect(ask('P0')).toBe(first);
    ask('P256');
    expect(ask('P0')).not.toBe(first);
  });

  test('a check that fails is forgotten, so the next request walks the operation again', async () => {
    // A fragment on a scalar cannot be walked (validation refuses it before the gateway's gate runs).
    const document = parse(`{ enterprise(creditCode: "${FIRM}") { ...Odd } } fragment Odd on String { length }`);
    const operation = getOperationAST(document)!;
    const first = gatewayGate(operation, fragmentsOf(document), { caller: inspector, now: NOW });
    await expect(first).rejects.toThrow(TypeError);
    const second = gatewayGate(operation, fragmentsOf(document), { caller: inspector, now: NOW });
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow(TypeError);
  });
});

describe('@skip / @include: the gate judges the operation as the request switches it (skip-include.ts)', () => {
  const applySkipInclude = createSkipInclude(schema);
  /** The issue's example: one document whose legal representative is an optional part. */
  const document = parse(`query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) {
    enterprise(creditCode: $creditCode) { name legalRepresentative @include(if: $withRepresentative) { name idNumber } }
  }`);
  const switched = (doc: DocumentNode, variables: Record<string, unknown>) => applySkipInclude(doc, getOperationAST(doc)!, variables) as SwitchedDocument;
  /** As the guarded gateway asks it: the operation with its switched-off parts removed, remembered per decision key. */
  const judgeSwitched = (doc: DocumentNode, variables: Record<string, unknown>, caller: AccessCaller) => {
    const { document: seen, operation } = switched(doc, variables);
    return gatewayGate(operation, fragmentsOf(seen), { caller, now: NOW });
  };
  const OFF = { creditCode: FIRM, withRepresentative: false };
  const ON = { creditCode: FIRM, withRepresentative: true };

  test('a part switched off is not judged: nothing refused, nothing decided, its type not read', async () => {
    const outcome = await judgeSwitched(document, OFF, inspector);
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()].sort()).toEqual(['Enterprise.name', 'Query.enterprise', 'Query.enterprise(creditCode:)']);
    expect([...outcome.typesRead].sort()).toEqual(['Enterprise', 'Query']);
  });

  test('a part switched on is judged exactly as the same document without the condition', async () => {
    const plain = `query Firm($creditCode: CreditCode!) { enterprise(creditCode: $creditCode) { name legalRepresentative { name idNumber } } }`;
    const on = await judgeSwitched(document, ON, inspector);
    const without = await judge(plain, inspector);
    expect(sorted(on.denials)).toStrictEqual(sorted(without.denials));
    expect(on.denials.map((d) => d.code)).toEqual(['PURPOSE_REQUIRED', 'PURPOSE_REQUIRED', 'PURPOSE_REQUIRED']);
    expect([...on.decisions.keys()].sort()).toEqual([...without.decisions.keys()].sort());
    expect(on.typesRead).toEqual(without.typesRead);
  });

  test('the outcome remembered with the part off is never the outcome with it on, in either order, for the same caller', async () => {
    const fresh = parse(print(document));
    const firstOn = judgeSwitched(fresh, ON, inspector);
    const off = judgeSwitched(fresh, OFF, inspector);
    expect(off).not.toBe(firstOn);
    expect((await off).denials).toEqual([]);
    expect((await firstOn).denials).toHaveLength(3);
    // Each combination keeps its own outcome: asked again, it is remembered, and still its own.
    expect(judgeSwitched(fresh, ON, inspector)).toBe(firstOn);
    expect(judgeSwitched(fresh, { ...OFF, creditCode: OTHER_FIRM }, inspector)).toBe(off);
    expect((await judgeSwitched(fresh, ON, investigator)).denials).toEqual([]);
  });

  test('handed an operation that still holds its conditions, the gate judges every part of it: a condition alone never hides a field', async () => {
    const outcome = await gate(getOperationAST(document)!, {}, { caller: inspector, now: NOW });
    expect(outcome.denials.map((d) => d.coordinate).sort()).toEqual(['Enterprise.legalRepresentative', 'Person.idNumber', 'Person.name']);
  });

  test('the same field switched off once and selected again is judged where it is selected', async () => {
    const twice = parse(`query($rep: Boolean!) { enterprise(creditCode: "${FIRM}") { legalRepresentative @include(if: $rep) { name } ... { legalRepresentative { phone } } } }`);
    const outcome = await judgeSwitched(twice, { rep: false }, inspector);
    expect(sorted(outcome.denials)).toStrictEqual([
      purposeRequired('Enterprise.legalRepresentative', 'enterprise.legalRepresentative'),
      purposeRequired('Person.phone', 'enterprise.legalRepresentative.phone'),
    ]);
  });

  test('an argument naming a subject in a switched-off part is no read: not judged, no subject taken from it', async () => {
    const lookup = parse(`query($id: IdNumber!, $who: Boolean!) { person(idNumber: $id) @include(if: $who) { name } enterprise(creditCode: "${FIRM}") { name } }`);
    const off = await judgeSwitched(lookup, { id: PERSON, who: false }, inspector);
    expect(off.denials).toEqual([]);
    expect(off.subjectSources).toStrictEqual([{ coordinate: 'Query.enterprise(creditCode:)', subjects: ['Enterprise'], literal: FIRM }]);
    const on = await judgeSwitched(lookup, { id: PERSON, who: true }, inspector);
    expect(on.denials.map((d) => d.coordinate)).toContain('Query.person(idNumber:)');
    expect(on.subjectSources.map((s) => s.coordinate)).toEqual(['Query.person(idNumber:)', 'Query.enterprise(creditCode:)']);
  });

  test('per-operation limits count only the lookups that run', async () => {
    const lookups = parse(`query($more: Boolean!) { ${Array.from({ length: 10 }, (_, i) => `e${i}: enterprise(creditCode: "${FIRM}") { name }`).join(' ')} e10: enterprise(creditCode: "${FIRM}") @include(if: $more) { name } }`);
    expect((await judgeSwitched(lookups, { more: false }, inspector)).overused).toEqual([]);
    expect((await judgeSwitched(lookups, { more: true }, inspector)).overused).toStrictEqual([{ coordinate: 'Query.enterprise', count: 11, limit: 10 }]);
  });
});

describe('an input object given through a variable is judged by what its value sends, as if written in the text', () => {
  const issuer: AccessCaller = { app: 'market-supervision', purpose: 'LICENCE_ISSUING' };
  const ISSUE = 'mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { number } }';
  const licence = { kind: 'BUSINESS_LICENCE', holderCreditCode: FIRM, representativeIdNumber: PERSON, regionCode: '440106' };
  const inline = (fields: string) => `mutation { issueCertificate(input: { kind: BUSINESS_LICENCE, holderCreditCode: "${FIRM}", representativeIdNumber: "${PERSON}", regionCode: "440106"${fields} }) { number } }`;
  const withVariables = (variables: Record<string, unknown>, operation = getOperationAST(parse(ISSUE))!) => gatewayGate(operation, {}, { caller: issuer, now: NOW }, variables);
  const refusedHolder = [notGranted('IssueCertificateInput.holderIdNumber', 'market-supervision', 'issueCertificate', 'Mutation.issueCertificate')];

  test('an ungranted field the value leaves out is not judged; the fields it sends are', async () => {
    const outcome = await withVariables({ input: licence });
    expect(outcome.denials).toEqual([]);
    expect([...outcome.decisions.keys()].filter((c) => c.startsWith('IssueCertificateInput')).sort()).toEqual(['IssueCertificateInput.holderCreditCode', 'IssueCertificateInput.representativeIdNumber']);
    expect((await judge(inline(''), issuer)).denials).toEqual([]);
  });

  test('an ungranted field the value sends is refused as the same field written in the text is; sent as null too', async () => {
    const written = await judge(inline(`, holderIdNumber: "${PERSON}"`), issuer);
    expect(written.denials).toStrictEqual(refusedHolder);
    expect((await withVariables({ input: { ...licence, holderIdNumber: PERSON } })).denials).toStrictEqual(refusedHolder);
    expect((await withVariables({ input: { ...licence, holderIdNumber: null } })).denials).toStrictEqual(refusedHolder);
    expect((await judge(inline(', holderIdNumber: null'), issuer)).denials).toStrictEqual(refusedHolder);
  });

  test("a variable's default is judged when the request gives no value", async () => {
    const defaulted = getOperationAST(parse(`mutation($input: IssueCertificateInput! = { kind: RESIDENT_ID_CARD, holderIdNumber: "${PERSON}", regionCode: "440106" }) { issueCertificate(input: $input) { number } }`))!;
    expect((await withVariables({}, defaulted)).denials).toStrictEqual(refusedHolder);
    expect((await withVariables({ input: licence }, defaulted)).denials).toEqual([]);
  });

  test('without the variables, every subject field the type can hold is judged', async () => {
    const outcome = await gatewayGate(getOperationAST(parse(ISSUE))!, {}, { caller: issuer, now: NOW });
    expect(outcome.denials).toStrictEqual(refusedHolder);
  });

  test('the outcome is remembered per what the variables send: one value never answers for another', async () => {
    const operation = getOperationAST(parse(ISSUE))!;
    const without = withVariables({ input: licence }, operation);
    const sending = withVariables({ input: { ...licence, holderIdNumber: PERSON } }, operation);
    expect(sending).not.toBe(without);
    expect((await sending).denials).toStrictEqual(refusedHolder);
    expect((await withVariables({ input: licence }, operation)).denials).toEqual([]);
    expect(withVariables({ input: { ...licence, regionCode: '440103' } }, operation)).toBe(without);
    expect(withVariables({ input: { ...licence, holderIdNumber: null } }, operation)).toBe(sending);
  });
});
