import { rowLoader } from '@govgraph/department-kit';
import type DataLoader from 'dataloader';
import type { AccountRow, HousingFundStore } from './store';

export interface HousingFundLoaders {
  account: DataLoader<string, AccountRow | null>;
}

export function createLoaders(store: HousingFundStore): HousingFundLoaders {
  return { account: rowLoader((ids) => store.accountsOf(ids), (row) => row.idNumber) };
}
