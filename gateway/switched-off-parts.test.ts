/**
 * The gateway's steps after the access gate agree with it on what `@skip` / `@include` switched off
 * (contracts/skip-include.ts): the row rules plan nothing for a part that is off and the rewrite injects
 * nothing into it — while a part switched on gets its keys, regions and masks as any other — and the
 * result gate answers and audits only what the switched document asks, whatever a department returns.
 */
import { Kind, getOperationAST, parse, print, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { Caller } from '../contracts/caller';
import { createSkipInclude, type SwitchedDocument } from '../contracts/skip-include';
import { creditCode } from '../subgraphs/kit/synthetic/enterprises';
import { gatewayAccessGate, loadShippedAccess } from '../tests/support/shipped-access';
import { createResultGate } from './result-gate';
import { KEY_ALIAS, REGION_ALIAS, injectRowFields, planRowRules } from './row-rules';

const shipped = loadShippedAccess();
const { policy, platform } = shipped;
const schema = policy.catalog.apiSchema;
const accessGate = gatewayAccessGate(shipped);
const applySkipInclude = createSkipInclude(schema);
const resultGate = createResultGate(schema);
const NOW = new Date('2026-06-01T00:00:00Z');

const TIANHE_FIRM = creditCode('91', '440106', 1);
const REPRESENTATIVE = '110101199003070011';
/** market-supervision's investigators, limited by their token to Tianhe district. */
const INVESTIGATOR = { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', region: '440106' };

/** The example: one document whose legal representative is an optional part. */
const document = parse(`query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) {
  enterprise(creditCode: $creditCode) { name legalRepresentative @include(if: $withRepresentative) { name idNumber } }
}`);

function fragmentsOf(doc: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of doc.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return fragments;
}

/** What the guarded gateway plans for the request: the switched document, its row rules, and what it fetches. */
async function planned(withRepresentative: boolean) {
  const variables = { creditCode: TIANHE_FIRM, withRepresentative };
  const switched = applySkipInclude(document, getOperationAST(document)!, variables) as SwitchedDocument;
  const caller: Caller = { ...INVESTIGATOR, requestId: 'r' };
  const outcome = await accessGate(switched.operation, fragmentsOf(switched.document), { caller, now: NOW });
  expect(outcome.denials).toEqual([]);
  const rules = planRowRules(platform, caller, policy.regionsOf(caller), outcome.decisions, outcome.typesRead, undefined)!;
  return { switched, variables, rules, fetched: print(injectRowFields(switched.document, schema, rules)) };
}

const VARIABLES = 'query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!)';

describe('row rules', () => {
  test('a part switched off gets no key, region or mask planned, and nothing injected into it', async () => {
    const { rules, fetched } = await planned(false);
    expect(rules.keyFields).toEqual(new Map([['Enterprise', 'creditCode']]));
    expect([...rules.regionPaths.keys()]).toEqual(['Enterprise']);
    expect(rules.masks).toEqual(new Map());
    expect(fetched).toBe(print(parse(`${VARIABLES} { enterprise(creditCode: $creditCode) { name __govgraph_key: creditCode __govgraph_region_0: regionCode } }`)));
  });

  test('a part switched on gets its key, its region and its masks, as without the condition', async () => {
    const { rules, fetched } = await planned(true);
    expect(rules.keyFields).toEqual(new Map([['Enterprise', 'creditCode'], ['Person', 'idNumber']]));
    expect([...rules.regionPaths.keys()].sort()).toEqual(['Enterprise', 'Person']);
    expect(rules.masks).toEqual(new Map([['Person.name', 'NAME'], ['Person.idNumber', 'ID_NUMBER']]));
    expect(fetched).toBe(
      print(
        parse(`${VARIABLES} { enterprise(creditCode: $creditCode) {
          name legalRepresentative { name idNumber __govgraph_key: idNumber __govgraph_region_0: household { regionCode } }
          __govgraph_key: creditCode __govgraph_region_0: regionCode } }`),
      ),
    );
  });
});

describe('result gate', () => {
  /** A department that answers the representative whether or not it was asked. */
  const overAnswered = () => ({
    enterprise: {
      name: '广州云图科技有限公司',
      [KEY_ALIAS]: TIANHE_FIRM,
      [`${REGION_ALIAS}_0`]: '440106',
      legalRepresentative: { name: '王芳', idNumber: REPRESENTATIVE, [KEY_ALIAS]: REPRESENTATIVE, [`${REGION_ALIAS}_0`]: { regionCode: '440106' } },
    },
  });

  test('with the part off, what a department returned for it is neither answered nor audited', async () => {
    const { switched, variables, rules } = await planned(false);
    const subjects = new Set<string>();
    const gated = await resultGate(switched.document, 'Firm', variables, overAnswered(), rules, subjects);
    expect(gated).toEqual({ data: { enterprise: { name: '广州云图科技有限公司' } } });
    expect([...subjects]).toEqual([TIANHE_FIRM]);
  });

  test('with the part on, it is answered masked and its subject audited', async () => {
    const { switched, variables, rules } = await planned(true);
    const subjects = new Set<string>();
    const gated = await resultGate(switched.document, 'Firm', variables, overAnswered(), rules, subjects);
    expect(gated).toEqual({ data: { enterprise: { name: '广州云图科技有限公司', legalRepresentative: { name: '王*', idNumber: '110101********0011' } } } });
    expect([...subjects].sort()).toEqual([REPRESENTATIVE, TIANHE_FIRM].sort());
  });
});
