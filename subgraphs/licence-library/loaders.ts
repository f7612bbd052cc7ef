import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { CertificateRow, LicenceLibraryStore } from './store';

export interface LicenceLibraryLoaders {
  certificate: DataLoader<string, CertificateRow | null>;
  /** By holder key: an ID number or a credit code. */
  held: DataLoader<string, CertificateRow[]>;
  /** By ID number: a person's 卡包 (`inWalletsOf`). */
  wallet: DataLoader<string, CertificateRow[]>;
}

export function createLoaders(store: LicenceLibraryStore): LicenceLibraryLoaders {
  return {
    certificate: rowLoader((numbers) => store.byNumbers(numbers), (row) => row.number),
    held: childrenLoader((keys) => store.ofHolders(keys), (row) => row.holderKey),
    // A person-held certificate is its holder's; an enterprise's licence is in its representative's 卡包.
    wallet: childrenLoader((keys) => store.inWalletsOf(keys), (row) => (row.holderType === 'Person' ? row.holderKey : row.representativeKey!)),
  };
}
