/**
 * What a department provides to the kit. Every department folder exports one of these from its
 * `index.ts`: its schema file, resolvers, store, per-request loaders and seed.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import type { Kysely } from 'kysely';
import type { Caller } from '../../contracts/caller';
import type { SubgraphConfig } from './config';
import type { GatewayClient } from './gateway-client';
import type { World } from './synthetic/world';

/** The part of every store the kit drives: creating tables, telling whether seeded, dropping for a re-seed. */
export interface DepartmentStore {
  migrate(): Promise<void>;
  isEmpty(): Promise<boolean>;
  drop(): Promise<void>;
  /** One cheap statement that proves the database answers (readiness). */
  ping(): Promise<void>;
}

export interface DepartmentContext<S, L> {
  caller: Caller;
  store: S;
  loaders: L;
  /** Reads other departments' data through the gateway, as this department's own app. */
  gateway: GatewayClient;
}

/** A department's resolver map, typed with its own store and loaders. */
export type DepartmentResolvers<S, L> = GraphQLResolverMap<DepartmentContext<S, L>>;

export interface Department<DB, S extends DepartmentStore, L> {
  /** The subgraph name in the supergraph, e.g. `public-security`. */
  name: string;
  /** The department's own name, e.g. 公安. */
  title: string;
  defaultPort: number;
  schemaFile: string;
  resolvers: DepartmentResolvers<S, L>;
  createStore(db: Kysely<DB>, config: Readonly<SubgraphConfig>): S;
  createLoaders(store: S): L;
  seed(store: S, world: World): Promise<void>;
}
