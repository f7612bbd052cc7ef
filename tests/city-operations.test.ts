/**
 * 一网统管 end to end, as the Guangzhou operations centre: an event reported once, dispatched to every
 * responsible department, handled jointly, closed and evaluated; refused transitions; overdue detection;
 * alerts when an indicator crosses its threshold, acknowledged by the centre; the one-screen overview with
 * its 24-hour trend; the departments' assessment 监督评价考核; 联动 with market supervision.
 */
import { join } from 'node:path';
import { AuditStore } from '../audit/audit-store';
import { DISTRICTS } from '../subgraphs/kit/synthetic/regions';
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

test("an event is not linked to an enterprise registered outside the centre's region, and nothing is reported", async () => {
  const hangzhou = world.enterprises.find((e) => e.regionCode.startsWith('3301'))!;
  const count = async () => data(await ops('{ cityEvents(regionCode: "440106", first: 1) { totalCount } }')).cityEvents.totalCount;
  const linked = async () => data(await graph.queryAs({ app: 'market-supervision' }, `{ enterprise(creditCode: "${hangzhou.creditCode}") { cityEvents { id } } }`)).enterprise.cityEvents;
  const [before, linkedBefore] = [await count(), await linked()];
  const refused = await report('440106002001', 'MARKET_ORDER', hangzhou.creditCode);
  expect(refused.body.data).toBeNull();
  expect(refused.body.errors![0]).toMatchObject({ message: `Forbidden: no enterprise ${hangzhou.creditCode} is within the caller's reach.`, extensions: { code: 'FORBIDDEN', argument: 'input' } });
  expect(await count()).toBe(before);
  expect(await linked()).toEqual(linkedBefore);
});

interface SeenDispatch {
  department: string;
  dispatchedAt: string;
  deadline: string;
  resolvedAt: string | null;
}

/** Every event of the region with its dispatches and rating, read page by page through the graph. */
async function eventsOf(regionCode: string): Promise<Array<{ rating: number | null; dispatches: SeenDispatch[] }>> {
  const events = [];
  let after: string | null = null;
  do {
    const page: any = data(await ops('query($after: String) { cityEvents(regionCode: "' + regionCode + '", first: 100, after: $after) { nodes { rating dispatches { department dispatchedAt deadline resolvedAt } } pageInfo { hasNextPage endCursor } } }', { after })).cityEvents;
    events.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return events;
}

test('监督评价考核: each department’s dispatches in the period, on time, overdue, hours and rating, ranked', async () => {
  const [from, to] = ['2026-02-01', '2026-05-31'];
  const assessment = data(await ops(`{ departmentAssessment(regionCode: "440100", from: "${from}", to: "${to}") {
    department received onTime overdue onTimeRate meanHandlingHours meanRating rank } }`)).departmentAssessment;

  // The same figures, worked out here from the events themselves.
  const now = Date.now();
  const expected = new Map<string, { received: number; onTime: number; overdue: number; hours: number[]; ratings: number[] }>();
  for (const event of await eventsOf('440100')) {
    for (const d of event.dispatches) {
      const day = d.dispatchedAt.slice(0, 10);
      if (day < from || day > to) continue;
      const entry = expected.get(d.department) ?? { received: 0, onTime: 0, overdue: 0, hours: [], ratings: [] };
      entry.received += 1;
      const deadline = Date.parse(d.deadline);
      if (d.resolvedAt) {
        const resolved = Date.parse(d.resolvedAt);
        entry.hours.push((resolved - Date.parse(d.dispatchedAt)) / 3_600_000);
        if (resolved <= deadline) entry.onTime += 1;
        else entry.overdue += 1;
      } else if (deadline < now) entry.overdue += 1;
      if (event.rating !== null) entry.ratings.push(event.rating);
      expected.set(d.department, entry);
    }
  }
  expect(expected.size).toBeGreaterThan(3);
  expect(assessment.map((a: any) => a.department).sort()).toEqual([...expected.keys()].sort());
  const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  for (const row of assessment) {
    const e = expected.get(row.department)!;
    expect(row).toMatchObject({ received: e.received, onTime: e.onTime, overdue: e.overdue });
    expect(row.onTimeRate).toBeCloseTo((e.onTime / e.received) * 100, 1);
    if (e.hours.length) expect(row.meanHandlingHours).toBeCloseTo(average(e.hours), 1);
    else expect(row.meanHandlingHours).toBeNull();
    if (e.ratings.length) expect(row.meanRating).toBeCloseTo(average(e.ratings), 2);
    else expect(row.meanRating).toBeNull();
  }
  // Some were late: the seeded handling takes up to five days against deadlines of half a day to three.
  expect(assessment.some((a: any) => a.overdue > 0 && a.onTime > 0)).toBe(true);
  expect(assessment.map((a: any) => a.rank)).toEqual(assessment.map((_: unknown, i: number) => i + 1));
  const rates = assessment.map((a: any) => a.onTimeRate);
  expect(rates).toEqual([...rates].sort((a, b) => b - a));

  const backwards = await ops('{ departmentAssessment(regionCode: "440100", from: "2026-05-01", to: "2026-04-01") { department } }');
  expect(backwards.body.errors![0]).toMatchObject({ message: expect.stringMatching(/must not end \(2026-04-01\) before it starts/), extensions: { code: 'BAD_USER_INPUT' } });
  const shanghai = await ops(`{ departmentAssessment(regionCode: "310000", from: "${from}", to: "${to}") { department } }`);
  expect(shanghai.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
});

test('the centre acknowledges an alert, once, through an audited mutation; alerts name their district', async () => {
  const active = data(await ops('{ alerts(regionCode: "440100") { id regionCode regionName acknowledgedAt } }')).alerts;
  expect(active.length).toBeGreaterThan(0);
  for (const alert of active) expect(alert.regionName).toBe(DISTRICTS.find((d) => d.code === alert.regionCode)!.name);
  const alert = active.find((a: any) => a.acknowledgedAt === null);
  const acknowledge = () => ops('mutation($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt acknowledgedBy clearedAt } }', { id: alert.id });
  const first = data(await acknowledge()).acknowledgeAlert;
  expect(first).toMatchObject({ id: alert.id, acknowledgedBy: centre.app, clearedAt: null });
  expect(Math.abs(Date.parse(first.acknowledgedAt) - Date.now())).toBeLessThan(60_000);
  expect(data(await acknowledge()).acknowledgeAlert.acknowledgedAt).toBe(first.acknowledgedAt);
  const onScreen = data(await ops('{ operationsOverview(regionCode: "440100") { alerts { id acknowledgedAt } } }')).operationsOverview.alerts;
  expect(onScreen).toContainEqual({ id: alert.id, acknowledgedAt: first.acknowledgedAt });

  const elsewhere = data(await graph.query('{ alerts(regionCode: "310000") { id } }')).alerts;
  if (elsewhere.length > 0) {
    const refused = await ops(`mutation { acknowledgeAlert(id: "${elsewhere[0].id}") { id } }`);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  }
  const unknown = await ops('mutation { acknowledgeAlert(id: "440106:OPEN_EVENTS:2020-01-01T00:00:00.000Z") { id } }');
  expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });

  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  const records = await store.recordsAfter(0, 1_000_000).finally(() => store.close());
  expect(records.filter((r) => r.app === centre.app && r.fields.includes('Mutation.acknowledgeAlert') && r.decision === 'PERMIT').length).toBeGreaterThanOrEqual(2);
});

test('the one screen’s trend: open and overdue events at the end of each of the last 24 hours, China time', async () => {
  const overview = async () => data(await ops('{ operationsOverview(regionCode: "440100") { openEvents overdueEvents trend { hour open overdue } byGrid { overdue alerting } gridOverdueThreshold } }')).operationsOverview;
  const before = await overview();
  expect(before.trend).toHaveLength(24);
  const hours = before.trend.map((h: any) => Date.parse(h.hour));
  for (const [i, h] of before.trend.entries()) {
    expect(h.hour).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00\+08:00$/);
    if (i > 0) expect(hours[i] - hours[i - 1]).toBe(3_600_000);
  }
  expect(Date.now() - hours[23]).toBeLessThan(3_600_000);
  expect(before.trend[23]).toMatchObject({ open: before.openEvents, overdue: before.overdueEvents });
  // The seeded backlog was overdue long before these 24 hours began.
  expect(before.trend[0].overdue).toBeGreaterThan(0);

  await report('440104002002', 'CITY_APPEARANCE');
  const after = await overview();
  expect(after.trend[23].open).toBe(after.openEvents);
  expect(after.openEvents).toBe(before.openEvents + 1);

  for (const grid of after.byGrid) expect(grid.alerting).toBe(grid.overdue > after.gridOverdueThreshold);
  expect(after.byGrid.filter((g: any) => g.alerting).length).toBeLessThan(after.byGrid.filter((g: any) => g.overdue > 0).length);
});
