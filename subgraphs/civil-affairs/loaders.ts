import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { AllowanceRow, CivilAffairsStore, MarriageRow } from './store';

export interface CivilAffairsLoaders {
  marriages: DataLoader<string, MarriageRow[]>;
  allowance: DataLoader<string, AllowanceRow | null>;
}

export function createLoaders(store: CivilAffairsStore): CivilAffairsLoaders {
  return {
    marriages: childrenLoader((ids) => store.marriagesOf(ids), (row) => [row.husband, row.wife]),
    allowance: rowLoader((ids) => store.allowancesOf(ids), (row) => row.idNumber),
  };
}
