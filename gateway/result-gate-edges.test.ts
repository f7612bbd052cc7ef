import { buildSchema, parse } from 'graphql';
import { createResultGate } from './result-gate';
import { KEY_ALIAS, REGION_ALIAS, type RowRules } from './row-rules';

const schema = buildSchema(`
  type Enterprise { creditCode: ID! regionCode: String! }
  type CityEvent { id: ID! regionCode: String! enterprise: Enterprise }
  type Query { cityEvents: [CityEvent!]! }
`);
const document = parse('{ cityEvents { id enterprise { creditCode } } }');
const region = `${REGION_ALIAS}_0`;

function regionRules(regions: string[]): RowRules {
  return {
    gate: true,
    subjectTypes: new Set(['Enterprise']),
    regions,
    regionPaths: new Map([
      ['CityEvent', ['regionCode']],
      ['Enterprise', ['regionCode']],
    ]),
    keyFields: new Map([['Enterprise', 'creditCode']]),
    ownerPaths: new Map(),
    masks: new Map(),
  };
}

/** An event as the departments return it, with the fields the gateway injected; `enterpriseIn` undefined: its department sent no region. */
function event(id: string, regionCode: string, enterpriseIn: string | undefined | null) {
  const enterprise = enterpriseIn === null ? null : { creditCode: `C-${id}`, [KEY_ALIAS]: `C-${id}`, ...(enterpriseIn !== undefined && { [region]: enterpriseIn }) };
  return { id, [region]: regionCode, enterprise };
}

const gated = (regions: string[], events: object[]) => createResultGate(schema)(document, undefined, undefined, { cityEvents: events }, regionRules(regions));

test('a row of another city of the same province is left out; rows of its own city are kept, on the list and on an edge', async () => {
  const result = await gated(['4401'], [event('gz', '440106', '440103'), event('sz', '440305', '440305'), event('gz-firm-sz', '440106', '440303')]);
  expect(result.data).toEqual({
    cityEvents: [
      { id: 'gz', enterprise: { creditCode: 'C-gz' } },
      { id: 'gz-firm-sz', enterprise: null },
    ],
  });
  expect(result.withheld).toBe("this CityEvent lies outside the app's region");
});

test("every region binds at once: a token's district narrows the contract's city", async () => {
  const result = await gated(['4401', '440106'], [event('tianhe', '440106', '440106'), event('yuexiu', '440103', '440103'), event('tianhe-firm-yuexiu', '440106', '440103')]);
  expect(result.data).toEqual({
    cityEvents: [
      { id: 'tianhe', enterprise: { creditCode: 'C-tianhe' } },
      { id: 'tianhe-firm-yuexiu', enterprise: null },
    ],
  });
});

test('a row whose region no department sent (its own department withheld it) is left out, its key not shown', async () => {
  const result = await gated(['4401'], [event('gz', '440106', undefined)]);
  expect(result.data).toEqual({ cityEvents: [{ id: 'gz', enterprise: null }] });
  expect(JSON.stringify(result.data)).not.toContain('C-gz');
});

test('without a region every row is kept', async () => {
  const result = await gated([], [event('gz', '440106', '440303'), event('sh', '310104', null)]);
  expect(result.data).toEqual({ cityEvents: [{ id: 'gz', enterprise: { creditCode: 'C-gz' } }, { id: 'sh', enterprise: null }] });
  expect(result.withheld).toBeUndefined();
});
