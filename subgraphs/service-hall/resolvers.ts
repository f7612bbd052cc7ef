import { emptyConnection, narrowRegion, readPage, regionPrefix, toConnection, type DepartmentContext, type DepartmentResolvers, type PageArguments } from '@govgraph/department-kit';
import type { DecisionBasis } from './automatic-approval';
import { SERVICE_ITEMS } from './catalogue';
import { foundsEnterprise, type IssuedCertificate } from './certificate-delivery';
import { certificatesReliedOn, type Check } from './pre-review';
import { advanceApplication, requestManualReview, submitApplication, type SubmitApplicationInput } from './mutations';
import type { ApplicationAction } from './workflow';
import type { ServiceHallLoaders } from './loaders';
import type { ApplicationFilter, ApplicationRow, ApplicationStatus, ServiceHallStore, TimelineRow } from './store';

type Context = DepartmentContext<ServiceHallStore, ServiceHallLoaders>;

interface ApplicationsArguments extends PageArguments {
  applicant?: string | null;
  enterprise?: string | null;
  status?: ApplicationStatus | null;
  regionCode?: string | null;
}

const itemByCode = (code: string) => SERVICE_ITEMS.find((item) => item.code === code) ?? null;

export const resolvers: DepartmentResolvers<ServiceHallStore, ServiceHallLoaders> = {
  Query: {
    serviceItems: () => SERVICE_ITEMS,
    serviceItem: (_: unknown, args: { code: string }) => itemByCode(args.code),
    application: (_: unknown, args: { id: string }, { loaders }: Context) => loaders.application.load(args.id),
    applications: async (_: unknown, args: ApplicationsArguments, { store, loaders, caller }: Context) => {
      const page = readPage(args);
      // The caller's region restriction (its contract's, its token's) limits the rows at the source.
      const region = narrowRegion(args.regionCode ? regionPrefix(args.regionCode) : undefined, caller.regions);
      if (region === null) return emptyConnection();
      const filter: ApplicationFilter = {
        ...(args.applicant && { applicant: args.applicant }),
        ...(args.enterprise && { enterprise: args.enterprise }),
        ...(args.status && { status: args.status }),
        ...(region && { regionPrefix: region }),
      };
      const rows = await store.applicationPage(filter, page.afterKey, page.fetch);
      for (const row of rows) loaders.application.prime(row.id, row);
      return toConnection(rows, page, (row) => row.id, () => store.countApplications(filter));
    },
  },
  Mutation: {
    submitApplication: (_: unknown, args: { input: SubmitApplicationInput }, { store, gateway, caller }: Context) => submitApplication(store, gateway, caller, args.input),
    advanceApplication: (_: unknown, args: { id: string; action: ApplicationAction; note?: string | null }, { store, gateway, caller }: Context) =>
      advanceApplication(store, gateway, caller, args.id, args.action, args.note),
    requestManualReview: (_: unknown, args: { id: string }, { store, caller }: Context) => requestManualReview(store, caller, args.id),
  },
  ServiceItem: {
    __resolveReference: (reference: { code: string }) => itemByCode(reference.code),
    foundsEnterprise,
  },
  TimelineEntry: {
    basis: (entry: TimelineRow) => (entry.basis === null ? null : (JSON.parse(entry.basis) as DecisionBasis)),
  },
  Application: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.application.load(reference.id),
    item: (application: ApplicationRow) => itemByCode(application.itemCode),
    applicant: (application: ApplicationRow) => ({ idNumber: application.applicant }),
    enterprise: (application: ApplicationRow) => (application.enterprise ? { creditCode: application.enterprise } : null),
    form: (application: ApplicationRow) => JSON.parse(application.form) as unknown[],
    preReview: (application: ApplicationRow) => JSON.parse(application.preReview) as Check[],
    certificatesReliedOn: (application: ApplicationRow) => certificatesReliedOn(JSON.parse(application.preReview) as Check[]),
    issuedCertificate: (application: ApplicationRow) => (application.issuedCertificate === null ? null : (JSON.parse(application.issuedCertificate) as IssuedCertificate)),
    timeline: (application: ApplicationRow, _: unknown, { loaders }: Context) => loaders.timeline.load(application.id),
    parts: async (application: ApplicationRow, _: unknown, { loaders }: Context) =>
      (await loaders.parts.load(application.id)).map((part) => ({ region: part.region, done: part.doneAt !== null, doneAt: part.doneAt })),
  },
  Person: {
    applications: (person: { idNumber: string }, _: unknown, { loaders }: Context) => loaders.applicationsOfApplicant.load(person.idNumber),
  },
  Enterprise: {
    applications: (enterprise: { creditCode: string }, _: unknown, { loaders }: Context) =>
      loaders.applicationsOfEnterprise.load(enterprise.creditCode),
  },
};
