import type { DepartmentContext, DepartmentResolvers } from '@govgraph/department-kit';
import { documentOf, statusOn, todayInChina } from './certificate-view';
import { ISSUING_DEPARTMENTS, type CertificateKind } from './issuers';
import type { LicenceLibraryLoaders } from './loaders';
import { applicationsThrough } from './delivery';
import { representativesThrough } from './register';
import { changeStatus, issueCertificate, type IssueCertificateInput } from './mutations';
import { sealHolds } from './seal';
import type { CertificateRow, LicenceLibraryStore } from './store';

type Context = DepartmentContext<LicenceLibraryStore, LicenceLibraryLoaders>;
type StatusArguments = { number: string; reason: string };

const DATA_TYPES: Record<CertificateKind, string> = {
  RESIDENT_ID_CARD: 'ResidentIdCardData',
  HOUSEHOLD_REGISTER: 'HouseholdRegisterData',
  MARRIAGE_CERTIFICATE: 'MarriageCertificateData',
  BUSINESS_LICENCE: 'BusinessLicenceData',
  SUBSISTENCE_ALLOWANCE_CERTIFICATE: 'SubsistenceAllowanceCertificateData',
};

const issuerOf = (row: CertificateRow) => ({ department: row.issuerDepartment, authority: row.issuerAuthority, regionCode: row.issuerRegion });
const NOT_AUTHENTIC = { authentic: false, valid: false, kind: null, issuer: null, status: null };

export const resolvers: DepartmentResolvers<LicenceLibraryStore, LicenceLibraryLoaders> = {
  Query: {
    certificate: (_: unknown, args: { number: string }, { loaders }: Context) => loaders.certificate.load(args.number.trim()),
    verifyCertificate: async (_: unknown, args: { number: string; holder: string }, { loaders, store }: Context) => {
      const row = await loaders.certificate.load(args.number.trim());
      // A wrong holder is answered like a number that does not exist: the answer tells nothing of whose it is.
      if (!row || row.holderKey !== args.holder.trim().toUpperCase() || !sealHolds(documentOf(row), store.keyring.published)) return NOT_AUTHENTIC;
      const status = statusOn(row, todayInChina());
      return { authentic: true, valid: status === 'VALID', kind: row.kind, issuer: issuerOf(row), status };
    },
    certificateIssuers: (_: unknown, __: unknown, { store }: Context) =>
      store.keyring.published.signers.filter((s) => (ISSUING_DEPARTMENTS as readonly string[]).includes(s.signer)).map((s) => ({ department: s.signer, name: s.name, keys: s.keys })),
  },
  Mutation: {
    issueCertificate: (_: unknown, args: { input: IssueCertificateInput }, { store, caller, gateway }: Context) =>
      issueCertificate(store, caller, args.input, applicationsThrough(gateway, caller.requestId), representativesThrough(gateway, caller.requestId)),
    revokeCertificate: (_: unknown, args: StatusArguments, { store, caller }: Context) => changeStatus(store, caller, 'revoke', args.number, args.reason),
    suspendCertificate: (_: unknown, args: StatusArguments, { store, caller }: Context) => changeStatus(store, caller, 'suspend', args.number, args.reason),
    reinstateCertificate: (_: unknown, args: StatusArguments, { store, caller }: Context) => changeStatus(store, caller, 'reinstate', args.number, args.reason),
  },
  Certificate: {
    __resolveReference: (reference: { number: string }, { loaders }: Context) => loaders.certificate.load(reference.number),
    holder: (row: CertificateRow) => (row.holderType === 'Person' ? { __typename: 'Person', idNumber: row.holderKey } : { __typename: 'Enterprise', creditCode: row.holderKey }),
    issuer: issuerOf,
    status: (row: CertificateRow) => statusOn(row, todayInChina()),
    data: (row: CertificateRow) => ({ ...(JSON.parse(row.data) as object), __typename: DATA_TYPES[row.kind] }),
    seal: (row: CertificateRow) => ({ algorithm: 'SM2-SM3', keyId: row.keyId, signature: row.signature }),
    document: (row: CertificateRow) => JSON.stringify(documentOf(row), null, 2),
  },
  CertificateHolder: { __resolveType: (holder: { __typename: string }) => holder.__typename },
  CertificateData: { __resolveType: (data: { __typename: string }) => data.__typename },
  Person: {
    certificates: (person: { idNumber: string }, _: unknown, { loaders }: Context) => loaders.wallet.load(person.idNumber),
  },
  Enterprise: {
    certificates: (enterprise: { creditCode: string }, _: unknown, { loaders }: Context) => loaders.held.load(enterprise.creditCode),
  },
};
