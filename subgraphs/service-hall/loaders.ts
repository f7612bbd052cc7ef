import type DataLoader from 'dataloader';
import { childrenLoader, rowLoader } from '@govgraph/department-kit';
import type { ApplicationRow, PartRow, ServiceHallStore, TimelineRow } from './store';

export interface ServiceHallLoaders {
  application: DataLoader<string, ApplicationRow | null>;
  applicationsOfApplicant: DataLoader<string, ApplicationRow[]>;
  applicationsOfEnterprise: DataLoader<string, ApplicationRow[]>;
  timeline: DataLoader<string, TimelineRow[]>;
  parts: DataLoader<string, PartRow[]>;
}

export function createLoaders(store: ServiceHallStore): ServiceHallLoaders {
  return {
    application: rowLoader((ids) => store.applicationsById(ids), (row) => row.id),
    applicationsOfApplicant: childrenLoader((ids) => store.applicationsOfApplicants(ids), (row) => row.applicant),
    applicationsOfEnterprise: childrenLoader((codes) => store.applicationsOfEnterprises(codes), (row) => row.enterprise ?? ''),
    timeline: childrenLoader((ids) => store.timelinesOf(ids), (row) => row.applicationId),
    parts: childrenLoader((ids) => store.partsOf(ids), (row) => row.applicationId),
  };
}
