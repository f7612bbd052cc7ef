/**
 * The gateway's row rules at their boundaries, over the demo contracts: the regions that bind a caller are
 * its contract's and its token's at once (`AccessPolicy.regionsOf`, as the server computes them), and the
 * result gate shows a row only within all of them; an operator-bound read shows only the operator's own
 * row, and without an operator it does not run at all.
 */
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import type { Caller } from '../contracts/caller';
import { gatewayAccessGate, loadShippedAccess } from '../tests/support/shipped-access';
import { createResultGate } from './result-gate';
import { KEY_ALIAS, REGION_ALIAS, operatorMissing, planRowRules, type CaseInfo } from './row-rules';

const shipped = loadShippedAccess();
const { policy, platform } = shipped;
const schema = policy.catalog.apiSchema;
const accessGate = gatewayAccessGate(shipped);
const resultGate = createResultGate(schema);

/** The access gate's decisions for a caller, its regions as the server gives them, and the gate run over `data`. */
async function gated(caller: Omit<Caller, 'requestId'>, document: DocumentNode, data: Record<string, unknown>, caseInfo?: CaseInfo) {
  const full: Caller = { ...caller, requestId: 'r' };
  const outcome = await accessGate(getOperationAST(document)!, {}, { caller: full, now: new Date('2026-06-01T00:00:00Z') });
  expect(outcome.denials).toEqual([]);
  const rules = planRowRules(platform, full, policy.regionsOf(full), outcome.decisions, outcome.typesRead, caseInfo)!;
  return { result: await resultGate(document, undefined, {}, data, rules), decisions: outcome.decisions };
}

describe("city-ops-center (contract region 4401): a row one step outside the caller's regions is withheld", () => {
  const events = parse('{ cityEvents { nodes { id } } }');
  /** Events one step apart: two districts of Guangzhou, a district of Shenzhen (same province), and Shanghai. */
  const regions = { tianhe: '440106', liwan: '440103', nanshan: '440305', huangpu: '310101' };
  const rows = { cityEvents: { nodes: Object.entries(regions).map(([id, code]) => ({ id, [`${REGION_ALIAS}_0`]: code })) } };
  const shown = async (tokenRegion?: string) => {
    const { result } = await gated({ app: 'city-ops-center', purpose: 'CITY_OPERATIONS', ...(tokenRegion && { region: tokenRegion }) }, events, rows);
    return (result.data as { cityEvents: { nodes: Array<{ id: string }> } }).cityEvents.nodes.map((n) => n.id);
  };

  test.each([
    ["no token region: the contract's city, not another city of the same province", undefined, ['tianhe', 'liwan']],
    ['a token region equal to the contract', '4401', ['tianhe', 'liwan']],
    ["a token narrower than the contract: the token's district, not the next one", '440106', ['tianhe']],
    ["a token outside the contract: nothing, neither the contract's rows nor the token's", '4403', []],
    ['a token wider than the contract widens nothing', '44', ['tianhe', 'liwan']],
  ])('%s', async (_name, tokenRegion, expected) => {
    expect(await shown(tokenRegion)).toEqual(expected);
  });

  test('the regions that bind are the contract\'s and the token\'s, both', () => {
    expect(policy.regionsOf({ app: 'city-ops-center' })).toEqual(['4401']);
    expect(policy.regionsOf({ app: 'city-ops-center', region: '4403' })).toEqual(['4401', '4403']);
    expect(policy.regionsOf({ app: 'market-supervision', region: '440106' })).toEqual(['440106']);
    expect(policy.regionsOf({ app: 'market-supervision' })).toEqual([]);
  });
});

describe("oneservice-portal under SELF_SERVICE: the operator's own row only", () => {
  const ME = '110101199003070011';
  /** Born the same day in the same district: the next sequence number. */
  const NEXT_DOOR = '110101199003070038';
  const document = parse(`{ person(idNumber: "${ME}") { name } }`);
  const answer = (key: string) => ({ person: { name: '王芳', [KEY_ALIAS]: key } });

  test('the row the argument named is shown to its operator; another person answered in its place is withheld', async () => {
    const portal = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: ME };
    expect((await gated(portal, document, answer(ME))).result).toEqual({ data: { person: { name: '王芳' } } });
    const other = (await gated(portal, document, answer(NEXT_DOOR))).result;
    expect(other.withheld).toBe("this Person is not the operator's own data");
    // Withheld looks like absent.
    const absent = (await gated(portal, document, { person: null })).result;
    expect(absent.errors).toHaveLength(1);
    expect({ data: other.data, errors: other.errors }).toEqual({ data: { person: null }, errors: absent.errors });
  });

  test('without an operator, or with an empty one, the read is refused before any row is fetched', async () => {
    const { decisions } = await gated({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: ME }, document, answer(ME));
    expect(operatorMissing(decisions, { app: 'oneservice-portal', requestId: 'r', operator: ME })).toBeUndefined();
    expect(operatorMissing(decisions, { app: 'oneservice-portal', requestId: 'r' })).toBe('SELF_SERVICE');
    expect(operatorMissing(decisions, { app: 'oneservice-portal', requestId: 'r', operator: '' })).toBe('SELF_SERVICE');
  });
});

describe('under a case-bound purpose: only the case and the people it concerns', () => {
  const APPLICANT = '110101199003070011';
  const NEIGHBOUR = '110101199003070038';
  const caseInfo: CaseInfo = { id: 'SQ-1', subjects: new Set([APPLICANT]) };
  const desk = { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: 'SQ-1' };
  // The desk names no one by ID number (it sees them masked): the service hall's pre-review looks a person up in a case.
  const prefill = { app: 'service-hall', purpose: 'PREFILL', caseId: 'SQ-1' };
  const person = parse(`{ person(idNumber: "${APPLICANT}") { name } }`);
  const application = parse('{ application(id: "SQ-1") { status } }');
  const inRegion = { [`${REGION_ALIAS}_0`]: '110101', [`${REGION_ALIAS}_1`]: '440106' };

  test("the case's applicant is shown; the next person in the register is withheld like a missing one", async () => {
    expect((await gated(prefill, person, { person: { name: '王芳', [KEY_ALIAS]: APPLICANT } }, caseInfo)).result).toEqual({ data: { person: { name: '王芳' } } });
    const other = (await gated(prefill, person, { person: { name: '李娜', [KEY_ALIAS]: NEIGHBOUR } }, caseInfo)).result;
    expect(other.withheld).toBe('this Person is not part of case SQ-1');
    const absent = (await gated(prefill, person, { person: null }, caseInfo)).result;
    expect({ data: other.data, errors: other.errors }).toEqual({ data: absent.data, errors: absent.errors });
  });

  test('the case itself is shown; another application is withheld; a row without its key is withheld', async () => {
    expect((await gated(desk, application, { application: { status: 'SUBMITTED', [KEY_ALIAS]: 'SQ-1', ...inRegion } }, caseInfo)).result).toEqual({ data: { application: { status: 'SUBMITTED' } } });
    expect((await gated(desk, application, { application: { status: 'SUBMITTED', [KEY_ALIAS]: 'SQ-2', ...inRegion } }, caseInfo)).result.withheld).toBe('this Application is not part of case SQ-1');
    expect((await gated(prefill, person, { person: { name: '王芳' } }, caseInfo)).result.withheld).toBe('this Person is not part of case SQ-1');
  });

  test('a person is never the case itself, even under a key equal to its id', async () => {
    const person = (await gated(prefill, parse(`{ person(idNumber: "${APPLICANT}") { name } }`), { person: { name: '王芳', [KEY_ALIAS]: 'SQ-1' } }, caseInfo)).result;
    expect(person.withheld).toBe('this Person is not part of case SQ-1');
  });
});
