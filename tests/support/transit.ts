/**
 * A third, unrelated deployment: a city's transit authority, whose three subgraphs know nothing of
 * GovGraph (no `@sharing`). It composes an interface entity (`Vehicle`) that another subgraph extends as
 * an `@interfaceObject`, a union across subgraphs (`Found`), `@requires` over a field the API never shows,
 * and `@inaccessible` on fields and on a whole type whose rows the union still returns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startForeignGraph, type ForeignGraph } from './foreign-graph';

export const TRANSIT = join(__dirname, '..', 'fixtures', 'transit');

const DEPOTS: Record<string, { id: string; name: string; district: string; manager: string }> = {
  d1: { id: 'd1', name: '北郊车场', district: '440111', manager: '王建国' },
  d2: { id: 'd2', name: '南郊车场', district: '440305', manager: '李秀英' },
};
const BUSES = [
  { id: 'v1', name: '1路', seats: 40, fuelCard: 'FC-1001', depotId: 'd1' },
  { id: 'v2', name: '2路', seats: 60, fuelCard: 'FC-1002', depotId: 'd2' },
];
const TRAMS = [{ id: 't1', name: '有轨电车1号线', line: 'T1', depotId: 'd1' }];
const TENDERS = [{ id: 'x1', name: '新能源公交车场采购' }];
const INSPECTIONS: Record<string, string> = { v1: '2026-03-01', v2: '2026-02-14', t1: '2026-01-20' };
/** Fuel per card: the costs service can answer only when handed the card (@requires). */
const FUEL: Record<string, number> = { 'FC-1001': 3200.5, 'FC-1002': 4100 };
const ENERGY: Record<string, number> = { d1: 12000, d2: 9800 };

type Vehicle = (typeof BUSES)[number] | (typeof TRAMS)[number];
const kind = (row: { id: string }) => (row.id.startsWith('v') ? 'Bus' : row.id.startsWith('t') ? 'Tram' : row.id.startsWith('d') ? 'Depot' : 'Tender');
const vehicle = (id: string): Vehicle | undefined => [...BUSES, ...TRAMS].find((v) => v.id === id);

/** The planner's contract (fixtures/transit/contracts/planner.yaml) with more grants under its one purpose. */
export function plannerGranting(...grants: string[]): string {
  return readFileSync(join(TRANSIT, 'contracts', 'planner.yaml'), 'utf8') + grants.map((grant) => `      - ${grant}\n`).join('');
}

export async function startTransit(): Promise<ForeignGraph> {
  return startForeignGraph(TRANSIT, {
    fleet: {
      Query: {
        vehicles: () => [...BUSES, ...TRAMS],
        vehicle: (_: unknown, { id }: { id: string }) => vehicle(id) ?? null,
        find: (_: unknown, { term }: { term: string }) => [...BUSES, ...TRAMS, ...Object.values(DEPOTS), ...TENDERS].filter((row) => row.name.includes(term)),
      },
      Vehicle: { __resolveType: kind, __resolveReference: (ref: { id: string }) => vehicle(ref.id) },
      Found: { __resolveType: kind },
      Bus: { __resolveReference: (ref: { id: string }) => BUSES.find((b) => b.id === ref.id), depot: (b: Vehicle) => DEPOTS[b.depotId] },
      Tram: { __resolveReference: (ref: { id: string }) => TRAMS.find((t) => t.id === ref.id), depot: (t: Vehicle) => DEPOTS[t.depotId] },
      Depot: { __resolveReference: (ref: { id: string }) => DEPOTS[ref.id] },
    },
    maintenance: {
      Vehicle: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, lastInspection: INSPECTIONS[ref.id], workshopNotes: '刹车片待更换' }) },
    },
    costs: {
      Bus: {
        __resolveReference: (ref: { id: string; fuelCard?: string }) => ({ ...ref }),
        monthlyFuel: (bus: { fuelCard?: string }) => {
          if (bus.fuelCard === undefined) throw new Error('the fuel card was not handed over (@requires)');
          return FUEL[bus.fuelCard] ?? 0;
        },
      },
      Depot: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, energyBill: ENERGY[ref.id] }) },
    },
  });
}
