import type DataLoader from 'dataloader';
import { rowLoader } from '@govgraph/department-kit';
import type { PersonRow, PublicSecurityStore } from './store';

export interface PublicSecurityLoaders {
  person: DataLoader<string, PersonRow | null>;
}

export function createLoaders(store: PublicSecurityStore): PublicSecurityLoaders {
  return { person: rowLoader((ids) => store.personsByIdNumber(ids), (row) => row.idNumber) };
}
