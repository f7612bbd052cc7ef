/**
 * 一网统管 end to end, as the Guangzhou operations centre: an event reported once, dispatched to every
 * responsible department, handled jointly, closed and evaluated; refused transitions; overdue detection;
 * alerts when an indicator crosses its threshold; the one-screen overview; 联动 with market supervision.
 */
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const centre = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' };
const EVENT = 'id status overdue resolvedAt closedAt rating dispatches { department status deadline overdue acceptedAt resolvedAt }';

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const ops = (query: string, variables?: Record<string, unknown>) => graph.queryAs(centre, query, variables);
const data = (response: GraphQLResponse) => {
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
};

async function report(gridCode: string, category = 'WORK_SAFETY', enterprise?: string) {
  return ops(`mutation($input: ReportEventInput!) { reportEvent(input: $input) { ${EVENT} regionCode grid { code } } }`, {
    input: { category, source: 'GRID_WORKER', gridCode, description: '商铺门口堆放液化气钢瓶', ...(enterprise && { enterprise }) },
  });
}

test('an event is dispatched to every responsible department at once and handled jointly to the end', async () => {
  const reported = data(await report('440106001001')).reportEvent;
  expect(reported).toMatchObject({ status: 'DISPATCHED', overdue: false, grid: { code: '440106001001' }, regionCode: '440106' });
  expect(reported.dispatches.map((d: any) => d.department).sort()).toEqual(['市场监管', '应急管理'].sort());
  for (const dispatch of reported.dispatches) {
    expect(dispatch).toMatchObject({ status: 'DISPATCHED', overdue: false });
    expect(Date.parse(dispatch.deadline) - Date.now()).toBeGreaterThan(23 * 3_600_000);
  }
  const id = reported.id;
  const step = (mutation: string) => ops(`mutation { ${mutation} { ${EVENT} } }`);

  expect(data(await step(`acceptDispatch(eventId: "${id}", department: "应急管理")`)).acceptDispatch.status).toBe('IN_PROGRESS');
  expect(data(await step(`resolveEvent(eventId: "${id}", department: "应急管理")`)).resolveEvent.status).toBe('IN_PROGRESS');

  const early = await step(`closeEvent(eventId: "${id}")`);
  expect(early.body.errors![0]).toMatchObject({ message: expect.stringMatching(/CLOSE is not allowed .*allowed: ACCEPT_DISPATCH\(市场监管\)/), extensions: { code: 'BAD_USER_INPUT' } });

  data(await step(`acceptDispatch(eventId: "${id}", department: "市场监管")`));
  const resolved = data(await step(`resolveEvent(eventId: "${id}", department: "市场监管")`)).resolveEvent;
  expect(resolved).toMatchObject({ status: 'RESOLVED', resolvedAt: expect.any(String) });
  expect(resolved.dispatches.every((d: any) => d.status === 'RESOLVED' && d.acceptedAt && d.resolvedAt)).toBe(true);
  expect(data(await step(`closeEvent(eventId: "${id}")`)).closeEvent).toMatchObject({ status: 'CLOSED', closedAt: expect.any(String) });
  expect(data(await step(`evaluateEvent(eventId: "${id}", rating: 5, comment: "处理及时")`)).evaluateEvent.rating).toBe(5);

  const again = await step(`evaluateEvent(eventId: "${id}", rating: 4)`);
  expect(again.body.errors![0]!.message).toMatch(/EVALUATE is not allowed .*allowed: nothing/);
});

test.each([
  ['accepting a part twice', (id: string) => `acceptDispatch(eventId: "${id}", department: "城管")`, /ACCEPT_DISPATCH\(城管\) is not allowed/],
  ['resolving a part never dispatched', (id: string) => `resolveEvent(eventId: "${id}", department: "公安")`, /RESOLVE_PART\(公安\) is not allowed/],
  ['a rating out of range', (id: string) => `evaluateEvent(eventId: "${id}", rating: 9)`, /rating must be a whole number from 1 to 5/],
])('refused: %s', async (_name, mutation, message) => {
  const id = data(await report('440104001001', 'CITY_APPEARANCE')).reportEvent.id;
  await ops(`mutation { acceptDispatch(eventId: "${id}", department: "城管") { id } }`);
  const response = await ops(`mutation { ${mutation(id)} { id } }`);
  expect(response.body.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
});

test('an event outside the centre’s region can be neither reported nor handled', async () => {
  const response = await report('310101001001');
  expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  const shanghai = await graph.query('{ cityEvents(regionCode: "310000", first: 50) { nodes { id dispatches { department } } } }');
  // The region is checked before the life cycle: any part of any Shanghai event is refused.
  const event = shanghai.body.data.cityEvents.nodes.find((n: any) => n.dispatches.length > 0);
  const handled = await ops(`mutation { acceptDispatch(eventId: "${event.id}", department: "${event.dispatches[0].department}") { id } }`);
  expect(handled.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
});

test('dispatches past their deadline and not resolved are overdue', async () => {
  const open = data(await ops('{ cityEvents(regionCode: "440100", status: DISPATCHED, first: 100) { nodes { overdue dispatches { overdue deadline status } } } }'));
  const seeded = open.cityEvents.nodes.filter((n: any) => n.dispatches.some((d: any) => Date.parse(d.deadline) < Date.now()));
  expect(seeded.length).toBeGreaterThan(0);
  for (const node of seeded) expect(node.overdue).toBe(true);
});

test('an indicator crossing its threshold raises an alert; the one screen shows it', async () => {
  const district = '440103';
  const before = data(await ops(`{ indicators(regionCode: "${district}") { code value threshold } }`)).indicators.find((i: any) => i.code === 'OPEN_EVENTS');
  let newest = '';
  for (let i = before.value; i <= before.threshold; i++) newest = data(await report('440103001002', 'PUBLIC_FACILITIES')).reportEvent.id;
  const screen = data(await ops(`{ operationsOverview(regionCode: "${district}") {
    regionCode openEvents overdueEvents resolvedEvents
    byCategory { category open overdue resolved } byGrid { grid { code name } open overdue }
    indicators { code value threshold alerting } alerts { indicator value threshold raisedAt clearedAt } latestEvents { id category reportedAt }
  } }`)).operationsOverview;
  expect(screen.regionCode).toBe(district);
  expect(screen.openEvents).toBeGreaterThan(before.threshold);
  expect(screen.indicators.find((i: any) => i.code === 'OPEN_EVENTS')).toMatchObject({ alerting: true });
  expect(screen.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ indicator: 'OPEN_EVENTS', clearedAt: null })]));
  const categories = screen.byCategory.reduce((sum: number, c: any) => sum + c.open + c.resolved, 0);
  expect(categories).toBe(screen.openEvents + screen.resolvedEvents);
  expect(screen.byGrid.find((g: any) => g.grid.code === '440103001002').grid.name).toMatch(/荔湾区.+第2网格/);
  expect(screen.latestEvents[0]).toMatchObject({ id: newest, category: 'PUBLIC_FACILITIES' });
  expect(screen.latestEvents).toHaveLength(10);
  const reportedAt = screen.latestEvents.map((e: any) => e.reportedAt);
  expect(reportedAt).toEqual([...reportedAt].sort().reverse());
  // The screen's vital signs are the ones the region's indicators query gives.
  const indicators = data(await ops(`{ indicators(regionCode: "${district}") { code value threshold alerting } }`)).indicators;
  expect(screen.indicators).toEqual(indicators);
  const cityWide = data(await ops('{ alerts(regionCode: "440100") { regionCode indicator } }')).alerts;
  expect(cityWide).toEqual(expect.arrayContaining([{ regionCode: district, indicator: 'OPEN_EVENTS' }]));
});

test('an event about an enterprise is visible to market supervision (联动)', async () => {
  const enterprise = world.enterprises.find((e) => e.regionCode === '440106')!;
  const id = data(await report('440106002001', 'MARKET_ORDER', enterprise.creditCode)).reportEvent.id;
  const seen = await graph.queryAs({ app: 'market-supervision' }, `{ enterprise(creditCode: "${enterprise.creditCode}") { cityEvents { id category status overdue } } }`);
  expect(seen.body.errors).toBeUndefined();
  expect(seen.body.data.enterprise.cityEvents).toEqual(expect.arrayContaining([{ id, category: 'MARKET_ORDER', status: 'DISPATCHED', overdue: false }]));
});
