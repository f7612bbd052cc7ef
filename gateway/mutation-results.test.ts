/**
 * Mutation results pass the same row rules as query results, by construction: for every mutation of every
 * department, the rewritten operation fetches what the result gate needs on the rows it returns, and the
 * gate withholds rows outside the region or not the operator's own, masks, and records subjects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getNamedType, getOperationAST, isObjectType, parse, print, type DocumentNode } from 'graphql';
import { createAccessGate } from '../contracts/access-gate';
import { AccessPolicy, type AccessDecision } from '../contracts/access-policy';
import type { Caller } from '../contracts/caller';
import { compileRuleTree, ruleContextKey } from '../contracts/compile-rule-tree';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { createResultGate } from './result-gate';
import { KEY_ALIAS, REGION_ALIAS, injectRowFields, ownerAlias, planRowRules } from './row-rules';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const schema = catalog.apiSchema;
const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;
const policy = new AccessPolicy(loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract), catalog, platform);
const gate = createAccessGate(compileRuleTree(policy, schema), schema, policy.subjects, platform.perOperation, ruleContextKey(policy));
const resultGate = createResultGate(schema);

const ME = '110101199003070011';
const SOMEONE_ELSE = '440106198506150022';

async function plan(caller: Caller, document: DocumentNode) {
  const outcome = await gate(getOperationAST(document)!, {}, { caller, now: new Date('2026-06-01T00:00:00Z') });
  expect(outcome.denials).toEqual([]);
  const rules = planRowRules(platform, caller, caller.regions ?? [], outcome.decisions, outcome.typesRead, undefined)!;
  return { rules, injected: injectRowFields(document, schema, rules) };
}

test('every mutation returning a row type with row rules fetches the fields its rules read', () => {
  const mutations = Object.values(schema.getMutationType()!.getFields());
  const checked = mutations.filter((m) => {
    const type = getNamedType(m.type);
    return isObjectType(type) && (platform.regionOf[type.name] || platform.ownerOf[type.name] || platform.subjectKeys[type.name]);
  });
  expect(checked.length).toBeGreaterThanOrEqual(5);
  for (const mutation of checked) {
    const type = getNamedType(mutation.type).name;
    const decisions = new Map<string, AccessDecision>([[`Mutation.${mutation.name}`, { allowed: true, purpose: 'P', caseBound: false, operatorBound: true }]]);
    const rules = planRowRules(platform, { app: 'a', operator: ME, requestId: 'r' }, ['4401'], decisions, new Set(['Mutation', type]), undefined)!;
    const args = mutation.args.filter((a) => a.type.toString().endsWith('!')).map((a) => `${a.name}: $${a.name}`).join(', ');
    const variables = mutation.args.filter((a) => a.type.toString().endsWith('!')).map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const text = print(injectRowFields(parse(`mutation${variables ? `(${variables})` : ''} { ${mutation.name}${args ? `(${args})` : ''} { __typename } }`), schema, rules));
    if (platform.regionOf[type]) expect(text).toContain(`${REGION_ALIAS}_0`);
    for (const [index, path] of (platform.ownerOf[type] ?? []).entries()) expect(text).toContain(`${ownerAlias(index)}: ${path.split('.')[0]}`);
    if (platform.subjectKeys[type]) expect(text).toContain(KEY_ALIAS);
  }
});

describe("a citizen's submitApplication result", () => {
  const document = parse('mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status form { key value } } }');
  const caller: Caller = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: ME, requestId: 'r1' };
  const answer = (applicant: string) => ({
    submitApplication: { id: '20260601440106000001', status: 'PRE_REVIEWED', form: [{ key: 'name', value: '王芳' }], [ownerAlias(0)]: { idNumber: applicant } },
  });

  test('her own application is released, and she is recorded as its subject', async () => {
    const { rules, injected } = await plan(caller, document);
    expect(print(injected)).toContain(`${ownerAlias(0)}: applicant`);
    const subjects = new Set<string>();
    const gated = await resultGate(document, undefined, {}, answer(ME), rules, subjects);
    expect(gated.errors).toBeUndefined();
    expect(gated.data).toEqual({ submitApplication: { id: '20260601440106000001', status: 'PRE_REVIEWED', form: [{ key: 'name', value: '王芳' }] } });
    expect([...subjects]).toEqual([ME]);
  });

  test("someone else's application is withheld, whatever the department answered", async () => {
    const { rules } = await plan(caller, document);
    const subjects = new Set<string>();
    const gated = await resultGate(document, undefined, {}, answer(SOMEONE_ELSE), rules, subjects);
    expect(gated.data).toBeNull();
    expect(gated.errors?.[0]?.message).toMatch(/no Application the app may read answers this lookup/);
    expect(JSON.stringify(gated.data)).not.toContain('王芳');
    expect(subjects.size).toBe(0);
  });
});

test("a desk's advanceApplication result outside its region is withheld", async () => {
  const document = parse('mutation { advanceApplication(id: "x", action: ACCEPT) { id status } }');
  const caller: Caller = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '31', regions: ['31'], requestId: 'r2' };
  const { rules } = await plan(caller, document);
  const row = (region: string) => ({ advanceApplication: { id: 'x', status: 'ACCEPTED', [`${REGION_ALIAS}_0`]: region, [`${REGION_ALIAS}_1`]: region, [ownerAlias(0)]: { idNumber: ME } } });
  const subjects = new Set<string>();
  expect((await resultGate(document, undefined, {}, row('440106'), rules, subjects)).data).toBeNull();
  expect(subjects.size).toBe(0);
  expect((await resultGate(document, undefined, {}, row('310101'), rules, subjects)).data).toEqual({ advanceApplication: { id: 'x', status: 'ACCEPTED' } });
  expect([...subjects]).toEqual([ME]);
});

test("masks apply in a mutation's result, and every subject in it is recorded", async () => {
  const document = parse('mutation($input: ReportEventInput!) { reportEvent(input: $input) { id enterprise { name legalRepresentative { name } } } }');
  const granted = (mask?: 'NAME'): AccessDecision => ({ allowed: true, purpose: 'P', caseBound: false, operatorBound: false, ...(mask && { mask }) });
  const decisions = new Map<string, AccessDecision>([
    ['Mutation.reportEvent', granted()],
    ['CityEvent.id', granted()],
    ['CityEvent.enterprise', granted()],
    ['Enterprise.name', granted()],
    ['Enterprise.legalRepresentative', granted()],
    ['Person.name', granted('NAME')],
  ]);
  const caller: Caller = { app: 'city-ops-center', regions: ['4401'], requestId: 'r3' };
  const rules = planRowRules(platform, caller, ['4401'], decisions, new Set(['Mutation', 'CityEvent', 'Enterprise', 'Person']), undefined)!;
  const answer = {
    reportEvent: {
      id: 'E1',
      [`${REGION_ALIAS}_0`]: '440106',
      enterprise: {
        name: '广州云图科技有限公司',
        [KEY_ALIAS]: '91440106MA5CXXXX0X',
        [`${REGION_ALIAS}_0`]: '440106',
        legalRepresentative: { name: '王芳', [KEY_ALIAS]: ME, [`${REGION_ALIAS}_0`]: { regionCode: '440106' } },
      },
    },
  };
  const subjects = new Set<string>();
  const gated = await resultGate(document, undefined, {}, answer, rules, subjects);
  expect(gated.data).toEqual({ reportEvent: { id: 'E1', enterprise: { name: '广州云图科技有限公司', legalRepresentative: { name: '王*' } } } });
  expect([...subjects].sort()).toEqual(['91440106MA5CXXXX0X', ME].sort());
});
