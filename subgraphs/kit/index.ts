/**
 * `@govgraph/department-kit`: everything a department imports, from this one entry (there are no subpath
 * imports). The README beside this file groups it by use.
 */
// The department's shape, its resolver map, its executable schema and its store's lifecycle.
export * from './department';
export * from './department-schema';
export * from './store-lifecycle';
// Starting it: a process of its own (`runDepartment`) or in-process (`startDepartment`), configured from the environment.
export * from './run';
export * from './server';
export * from './config';
export type { CutRequest, StopTiming } from '../../http/graceful-stop';
// The gateway-token check every request passes, and reading through the gateway as the department's own app.
export * from './gateway-token';
export * from './gateway-client';
export type { Caller } from '../../contracts/caller';
// Row rules a department applies in its own queries and mutations.
export * from './region-restriction';
export * from './out-of-reach';
// The contracts' mask profiles, as the department applies them to masked grants.
export { MASK_PROFILES, maskField, maskValue, type MaskProfile } from '../../contracts/masking';
// Schema: the Federation header with `@sharing`, the scalars, and the identifiers they check.
export * from './federation';
export * from './scalars';
export * from './identifiers';
// Data: the database, per-request DataLoaders, connections (paging), the access log.
export * from './database';
export * from './loaders';
export * from './connection';
export * from './access-log';
// The synthetic world every department seeds its part of.
export * from './synthetic';
