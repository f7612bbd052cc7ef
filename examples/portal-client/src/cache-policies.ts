import type { FieldPolicy, Reference, TypePolicies } from '@apollo/client';

/** What the codegen plugin apollo-type-policies.cjs writes from an app's schema (src/gql/type-policies.ts). */
export interface CachePolicies {
  /** Each entity type's `keyFields` for this app, or `false` where the app reads its key masked or not at all. */
  keyFields: Record<string, readonly string[] | false>;
  /** By type, the fields that return a connection, each with the arguments that pick a different list. */
  connectionFields: Record<string, Record<string, readonly string[]>>;
}

/** A page of a GovGraph list as the cache holds it: `{ nodes totalCount pageInfo { hasNextPage endCursor } }`. */
interface Connection {
  nodes?: readonly Reference[];
  totalCount?: number;
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A field policy for a GovGraph connection paged with `first` and `after`: each value of the filter
 * arguments (`keyArgs`: regionCode, status…) is one list in the cache; a page asked `after` the list's
 * `endCursor` appends its nodes, any other page (the first, a refetch) replaces the list.
 */
export function nodesPagination(keyArgs: readonly string[]): FieldPolicy<Connection> {
  return {
    keyArgs: keyArgs.length > 0 ? [...keyArgs] : false,
    merge(existing, incoming, { args }) {
      const after: unknown = args?.after;
      const continues = existing?.nodes && incoming.nodes && after != null && after === existing.pageInfo?.endCursor;
      return continues ? { ...incoming, nodes: [...existing.nodes!, ...incoming.nodes!] } : incoming;
    },
  };
}

/** Apollo Client's `typePolicies` for one app: its entity types' cache keys and a pager on each connection. */
export function typePoliciesFrom({ keyFields, connectionFields }: CachePolicies): TypePolicies {
  const policies: TypePolicies = {};
  for (const [type, key] of Object.entries(keyFields)) policies[type] = { keyFields: key === false ? false : [...key] };
  for (const [type, fields] of Object.entries(connectionFields)) {
    const pagers = Object.fromEntries(Object.entries(fields).map(([field, keyArgs]) => [field, nodesPagination(keyArgs)]));
    policies[type] = { ...policies[type], fields: pagers };
  }
  return policies;
}
