/**
 * The result gate over the real API schema and platform file, with row rules planned by `planRowRules`
 * for hand-made decisions: which lookups answer FORBIDDEN when nothing is found, how a row's region is
 * read (a nested path, either of two paths, a value that is no code), whose keys are recorded as subjects,
 * and what the gate returns besides the data (refusals as errors, the departments' faulty values apart).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import type { AccessDecision } from '../contracts/access-policy';
import type { Caller } from '../contracts/caller';
import { loadPlatform } from '../contracts/load-contracts';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { createResultGate } from './result-gate';
import { KEY_ALIAS, REGION_ALIAS, ownerAlias, planRowRules, type CaseInfo } from './row-rules';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;
const resultGate = createResultGate(catalog.apiSchema);

/** Valid GB 11643 ID numbers and GB 32100 credit codes. */
const WANG_FANG = '110101199003070011';
const LI_NA = '110101199003070038';
const YUNTU = '91440106MA5CUR4N0Y';

const granted = (operatorBound = false, caseBound = false): AccessDecision => ({ allowed: true, purpose: 'P', caseBound, operatorBound });
const caller = (extra: Partial<Caller> = {}): Caller => ({ app: 'app', requestId: 'r', ...extra });

/** The rules for reading these types with these grants, as the gateway plans them. */
function rules(types: string[], options: { regions?: string[]; operator?: string; caseInfo?: CaseInfo } = {}) {
  const decisions = new Map([['Query.x', granted(options.operator !== undefined, options.caseInfo !== undefined)]]);
  const planned = planRowRules(platform, caller(options.operator ? { operator: options.operator } : {}), options.regions ?? [], decisions, new Set(['Query', ...types]), options.caseInfo);
  expect(planned).toBeDefined();
  return planned!;
}

const gate = (document: DocumentNode, data: Record<string, unknown>, planned: ReturnType<typeof rules>, subjects?: Set<string>) =>
  resultGate(document, undefined, {}, data, planned, subjects);

const NOT_FOUND = (type: string) => ({ message: `Forbidden: no ${type} the app may read answers this lookup.`, extensions: { code: 'FORBIDDEN' } });

describe('a lookup that finds nothing answers FORBIDDEN exactly where a row rule applies to its type', () => {
  const person = parse(`{ person(idNumber: "${WANG_FANG}") { name } }`);
  const enterprise = parse(`{ enterprise(creditCode: "${YUNTU}") { name } }`);
  const caseInfo: CaseInfo = { id: 'SQ-1', subjects: new Set([WANG_FANG]) };

  test('no rule but recording its key as a subject: a plain null, no error, nothing withheld', async () => {
    const result = await gate(person, { person: null }, rules(['Person']));
    expect(result).toEqual({ data: { person: null } });
    expect(Object.keys(result)).toEqual(['data']);
  });

  test("the app's region", async () => {
    expect((await gate(person, { person: null }, rules(['Person'], { regions: ['4401'] }))).errors).toMatchObject([NOT_FOUND('Person')]);
  });

  test('the operator: the person type, and no other subject type', async () => {
    expect((await gate(person, { person: null }, rules(['Person'], { operator: WANG_FANG }))).errors).toMatchObject([NOT_FOUND('Person')]);
    expect((await gate(enterprise, { enterprise: null }, rules(['Enterprise'], { operator: WANG_FANG }))).errors).toBeUndefined();
  });

  test('a case: the types it binds (a person), not a subject type it leaves free (an enterprise)', async () => {
    expect((await gate(person, { person: null }, rules(['Person'], { caseInfo }))).errors).toMatchObject([NOT_FOUND('Person')]);
    expect(await gate(enterprise, { enterprise: null }, rules(['Enterprise'], { caseInfo }))).toEqual({ data: { enterprise: null } });
  });
});

describe("a row's region", () => {
  const person = parse(`{ person(idNumber: "${WANG_FANG}") { name } }`);
  const inGuangzhou = rules(['Person', 'Household'], { regions: ['4401'] });
  const answer = (region: unknown) => ({ person: { name: '王芳', [KEY_ALIAS]: WANG_FANG, [`${REGION_ALIAS}_0`]: region } });

  test("is read along its path (a person's household): inside the region shown, outside withheld", async () => {
    expect((await gate(person, answer({ regionCode: '440106' }), inGuangzhou)).data).toEqual({ person: { name: '王芳' } });
    const outside = await gate(person, answer({ regionCode: '440305' }), inGuangzhou);
    expect(outside.data).toEqual({ person: null });
    expect(outside.withheld).toBe("this Person lies outside the app's region");
  });

  test.each([
    ['no household', null],
    ['a household the department sent no region for', undefined],
    ['a household whose region is null', { regionCode: null }],
    ['a region that is a number, not a code', { regionCode: 440106 }],
    ['a code where the household should be', '440106'],
  ])('is outside every region when it is missing or no code: %s', async (_name, region) => {
    const result = await gate(person, answer(region), inGuangzhou);
    expect(result.data).toEqual({ person: null });
    expect(result.withheld).toBe("this Person lies outside the app's region");
  });

  test('of an application is either of its two regions: accepted in one, handled in another, it is in both', async () => {
    const document = parse('{ application(id: "20260601440106000001") { status } }');
    const row = { application: { status: 'FORWARDED', [`${REGION_ALIAS}_0`]: '440106', [`${REGION_ALIAS}_1`]: '310101', [ownerAlias(0)]: { idNumber: WANG_FANG } } };
    for (const region of ['4401', '31']) expect((await gate(document, row, rules(['Application'], { regions: [region] }))).data).toEqual({ application: { status: 'FORWARDED' } });
    expect((await gate(document, row, rules(['Application'], { regions: ['32'] }))).data).toEqual({ application: null });
  });
});

describe('the subjects recorded are the keys of the people and enterprises released, and their owners', () => {
  test("a case's application records its applicant, not the application's own id", async () => {
    const caseInfo: CaseInfo = { id: '20260601440106000001', subjects: new Set([WANG_FANG]) };
    const document = parse('{ application(id: "20260601440106000001") { status } }');
    const row = { application: { status: 'ACCEPTED', [KEY_ALIAS]: '20260601440106000001', [ownerAlias(0)]: { idNumber: WANG_FANG } } };
    const subjects = new Set<string>();
    expect((await gate(document, row, rules(['Application'], { caseInfo }), subjects)).data).toEqual({ application: { status: 'ACCEPTED' } });
    expect([...subjects]).toEqual([WANG_FANG]);
  });

  test('a row released without a key or an owner records nothing for it', async () => {
    const document = parse('{ applications { nodes { status applicant { name } } } }');
    const inRegion = { [`${REGION_ALIAS}_0`]: '440106', [`${REGION_ALIAS}_1`]: '440106' };
    const data = {
      applications: {
        nodes: [
          { status: 'SUBMITTED', ...inRegion, [ownerAlias(0)]: { idNumber: null }, applicant: { name: '李娜', [KEY_ALIAS]: null, [`${REGION_ALIAS}_0`]: { regionCode: '440106' } } },
          { status: 'ACCEPTED', ...inRegion, [ownerAlias(0)]: null, applicant: { name: '王芳', [KEY_ALIAS]: LI_NA, [`${REGION_ALIAS}_0`]: { regionCode: '440106' } } },
        ],
      },
    };
    const subjects = new Set<string>();
    const result = await gate(document, data, rules(['ApplicationConnection', 'Application', 'Person', 'Household'], { regions: ['4401'] }), subjects);
    expect(result.data).toEqual({ applications: { nodes: [{ status: 'SUBMITTED', applicant: { name: '李娜' } }, { status: 'ACCEPTED', applicant: { name: '王芳' } }] } });
    expect([...subjects]).toEqual([LI_NA]);
  });
});

describe('a row with several owners (a licence: its holder and its representative) is the own data of each', () => {
  const document = parse('{ certificate(number: "YZ440106202606010001") { number } }');
  const licence = (representative: string | null) => ({ certificate: { number: 'YZ440106202606010001', [ownerAlias(0)]: YUNTU, [ownerAlias(1)]: representative } });

  test('released to its representative, who is recorded as a subject beside the enterprise holding it', async () => {
    const subjects = new Set<string>();
    const result = await gate(document, licence(WANG_FANG), rules(['Certificate'], { operator: WANG_FANG }), subjects);
    expect(result).toEqual({ data: { certificate: { number: 'YZ440106202606010001' } } });
    expect([...subjects].sort()).toEqual([WANG_FANG, YUNTU].sort());
  });

  test.each<[string, string | null, string]>([
    ['another person represents the enterprise', LI_NA, WANG_FANG],
    ['no representative recorded', null, WANG_FANG],
    ['no operator in the token', WANG_FANG, ''],
  ])('withheld from anyone else: %s', async (_name, representative, operator) => {
    const subjects = new Set<string>();
    const planned = operator === '' ? { ...rules(['Certificate'], { operator: WANG_FANG }), operator: { type: 'Person', id: '' } } : rules(['Certificate'], { operator });
    const result = await gate(document, licence(representative), planned, subjects);
    expect(result.data).toEqual({ certificate: null });
    expect(result.withheld).toBe("this Certificate is not the operator's own data");
    expect(subjects.size).toBe(0);
  });

  test("a person's certificate (no representative) is its holder's own", async () => {
    const card = { certificate: { number: 'SF440106202606010001', [ownerAlias(0)]: WANG_FANG, [ownerAlias(1)]: null } };
    expect((await gate(document, card, rules(['Certificate'], { operator: WANG_FANG }))).data).toEqual({ certificate: { number: 'SF440106202606010001' } });
    expect((await gate(document, card, rules(['Certificate'], { operator: LI_NA }))).data).toEqual({ certificate: null });
  });
});

test("the client's variables decide its @include and @skip", async () => {
  const document = parse(`query($full: Boolean!) { person(idNumber: "${WANG_FANG}") { name @include(if: $full) gender @skip(if: $full) } }`);
  const data = { person: { name: '王芳', gender: 'FEMALE', [KEY_ALIAS]: WANG_FANG } };
  const planned = rules(['Person'], { operator: WANG_FANG });
  expect((await resultGate(document, undefined, { full: true }, data, planned)).data).toEqual({ person: { name: '王芳' } });
  expect((await resultGate(document, undefined, { full: false }, data, planned)).data).toEqual({ person: { gender: 'FEMALE' } });
});

test('each operation of a document is shaped as itself; without a name, a document of two is refused', async () => {
  const document = parse(`query Name { person(idNumber: "${WANG_FANG}") { name } } query Gender { person(idNumber: "${WANG_FANG}") { gender } }`);
  const data = { person: { name: '王芳', gender: 'FEMALE', [KEY_ALIAS]: WANG_FANG } };
  const planned = rules(['Person'], { operator: WANG_FANG });
  const shaped = async (name: string | undefined) => (await resultGate(document, name, {}, data, planned)).data;
  expect(await shaped('Name')).toEqual({ person: { name: '王芳' } });
  expect(await shaped('Gender')).toEqual({ person: { gender: 'FEMALE' } });
  expect(await shaped('Name')).toEqual({ person: { name: '王芳' } });
  await expect(shaped(undefined)).rejects.toThrow(new Error('the result gate was given a document without that operation'));
  await expect(shaped('Neither')).rejects.toThrow(new Error('the result gate was given a document without that operation'));
});

test("refusals are the client's errors; a value the department got wrong is reported apart, as value completion", async () => {
  const document = parse(`{ person(idNumber: "${LI_NA}") { name } application(id: "20260601440106000001") { status } }`);
  const planned = rules(['Person', 'Application'], { operator: WANG_FANG });
  const data = {
    person: { name: '李娜', [KEY_ALIAS]: LI_NA },
    application: { status: 'NOT_A_STATUS', [ownerAlias(0)]: { idNumber: WANG_FANG } },
  };
  const result = await resultGate(document, undefined, {}, data, planned);
  expect(result.data).toEqual({ person: null, application: null });
  expect(result.errors).toMatchObject([{ ...NOT_FOUND('Person'), path: ['person'] }]);
  expect(result.extensions?.['valueCompletion']).toMatchObject([{ path: ['application', 'status'], extensions: { code: 'INVALID_GRAPHQL' } }]);
  expect(result.withheld).toBe("this Person is not the operator's own data");

  const faultyOnly = await resultGate(document, undefined, {}, { person: null, application: data.application }, rules(['Person', 'Application']));
  expect(faultyOnly.errors).toBeUndefined();
  expect(faultyOnly.extensions?.['valueCompletion']).toHaveLength(1);
});
