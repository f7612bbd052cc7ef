import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { CertificateRow, LicenceLibraryStore } from './store';

export interface LicenceLibraryLoaders {
  certificate: DataLoader<string, CertificateRow | null>;
  /** By holder key: an ID number or a credit code. */
  held: DataLoader<string, CertificateRow[]>;
}

export function createLoaders(store: LicenceLibraryStore): LicenceLibraryLoaders {
  return {
    certificate: rowLoader((numbers) => store.byNumbers(numbers), (row) => row.number),
    held: childrenLoader((keys) => store.ofHolders(keys), (row) => row.holderKey),
  };
}
