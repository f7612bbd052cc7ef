/** City operations' part of the synthetic world: grids in every district, events in them, dispatches, residents. */
import { addHours, dayFromReference, DISTRICTS, mobilePhone, Random, timestampOn, type SyntheticEnterprise, type World } from '@govgraph/department-kit';
import { CATEGORIES } from './categories';
import { reviewAlerts } from './overview';
import type { CityEventRow, CityEventStatus, CityOperationsStore, DispatchRow, GridRow, ResidentsRow } from './store';

const GRIDS_PER_STREET = 2;

function gridsOf(): GridRow[] {
  return DISTRICTS.flatMap((district) =>
    district.streets.flatMap((street, s) =>
      Array.from({ length: GRIDS_PER_STREET }, (_, g) => ({
        code: `${district.code}${String(s + 1).padStart(3, '0')}${String(g + 1).padStart(3, '0')}`,
        name: `${district.name}${street}第${g + 1}网格`,
        regionCode: district.code,
      })),
    ),
  );
}

export async function seed(store: CityOperationsStore, world: World): Promise<void> {
  const random = new Random(12345);
  const grids = gridsOf();
  const enterprisesByRegion = new Map<string, SyntheticEnterprise[]>();
  for (const e of world.enterprises) enterprisesByRegion.set(e.regionCode, [...(enterprisesByRegion.get(e.regionCode) ?? []), e]);
  const events: CityEventRow[] = [];
  const dispatches: DispatchRow[] = [];
  for (let serial = 1; serial <= world.size.cityEvents; serial++) {
    const grid = random.pick(grids);
    const category = random.pick(Object.keys(CATEGORIES));
    const kind = CATEGORIES[category]!;
    const nearby = enterprisesByRegion.get(grid.regionCode) ?? [];
    const enterprise = kind.concernsEnterprise && nearby.length > 0 && random.chance(0.7) ? random.pick(nearby) : undefined;
    const source = random.weighted([['GRID_WORKER', 40], ['HOTLINE_12345', 30], ['SENSOR', 10], ['CITIZEN', 20]] as const);
    const ageDays = random.int(0, 180);
    const status: CityEventStatus =
      ageDays < 3
        ? random.pick(['REPORTED', 'DISPATCHED', 'IN_PROGRESS'] as const)
        : random.weighted([['DISPATCHED', 5], ['IN_PROGRESS', 15], ['RESOLVED', 30], ['CLOSED', 50]] as const);
    const day = dayFromReference(-ageDays);
    const id = `E${day.replaceAll('-', '')}${String(serial).padStart(6, '0')}`;
    const reportedAt = timestampOn(day, random.int(0, 24 * 60 - 1));
    const done = status === 'RESOLVED' || status === 'CLOSED';
    const resolvedAt = done ? addHours(reportedAt, random.int(2, 120)) : null;
    events.push({
      id,
      category,
      status,
      source,
      regionCode: grid.regionCode,
      gridCode: grid.code,
      reportedAt,
      description: `${grid.name}：${random.pick(kind.descriptions)}${enterprise ? `（${enterprise.name}）` : ''}`,
      enterprise: enterprise?.creditCode ?? null,
      reporterPhone: source === 'HOTLINE_12345' || source === 'CITIZEN' ? mobilePhone(random) : null,
      resolvedAt,
      closedAt: status === 'CLOSED' && resolvedAt ? addHours(resolvedAt, random.int(1, 48)) : null,
      rating: status === 'CLOSED' && random.chance(0.6) ? random.int(3, 5) : null,
      evaluation: null,
    });
    if (status === 'REPORTED') continue;
    const parts = kind.departments.slice(0, random.int(1, kind.departments.length));
    parts.forEach((department, i) => {
      const dispatchedAt = addHours(reportedAt, 1 + i);
      // Consistent with the life cycle: in progress means at least one part accepted.
      const accepted = done || (status === 'IN_PROGRESS' && (i === 0 || random.chance(0.5)));
      dispatches.push({
        eventId: id,
        department,
        status: done ? 'RESOLVED' : accepted ? 'ACCEPTED' : 'DISPATCHED',
        dispatchedAt,
        deadline: addHours(dispatchedAt, kind.deadlineHours),
        acceptedAt: accepted ? addHours(dispatchedAt, 1) : null,
        resolvedAt: done ? resolvedAt : null,
      });
    });
  }
  const residents = new Map<string, number>();
  for (const person of world.persons) if (person.status === 'NORMAL') residents.set(person.regionCode, (residents.get(person.regionCode) ?? 0) + 1);
  const residentRows: ResidentsRow[] = [...residents].map(([regionCode, count]) => ({ regionCode, residents: count }));
  await store.insert({ grids, events, dispatches, residents: residentRows });
  // The one screen starts with the alerts the seeded backlog already warrants.
  for (const district of DISTRICTS) await reviewAlerts(store, district.code);
}
