import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { CityEventRow, CityOperationsStore, DispatchRow, GridRow } from './store';

export interface CityOperationsLoaders {
  grid: DataLoader<string, GridRow | null>;
  event: DataLoader<string, CityEventRow | null>;
  eventsOfEnterprise: DataLoader<string, CityEventRow[]>;
  dispatches: DataLoader<string, DispatchRow[]>;
}

export function createLoaders(store: CityOperationsStore): CityOperationsLoaders {
  return {
    grid: rowLoader((codes) => store.gridsByCode(codes), (row) => row.code),
    event: rowLoader((ids) => store.eventsById(ids), (row) => row.id),
    eventsOfEnterprise: childrenLoader((codes) => store.eventsOfEnterprises(codes), (row) => row.enterprise ?? ''),
    dispatches: childrenLoader((ids) => store.dispatchesOf(ids), (row) => row.eventId),
  };
}
