import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { EnterpriseRow, LicenceRow, MarketRegulationStore, PenaltyRow } from './store';

export interface MarketRegulationLoaders {
  enterprise: DataLoader<string, EnterpriseRow | null>;
  enterprisesOfRepresentative: DataLoader<string, EnterpriseRow[]>;
  licences: DataLoader<string, LicenceRow[]>;
  penalties: DataLoader<string, PenaltyRow[]>;
}

export function createLoaders(store: MarketRegulationStore): MarketRegulationLoaders {
  return {
    enterprise: rowLoader((codes) => store.enterprisesByCreditCode(codes), (row) => row.creditCode),
    enterprisesOfRepresentative: childrenLoader((ids) => store.enterprisesByRepresentative(ids), (row) => row.legalRepresentative),
    licences: childrenLoader((codes) => store.licencesOf(codes), (row) => row.creditCode),
    penalties: childrenLoader((codes) => store.penaltiesOf(codes), (row) => row.creditCode),
  };
}
