/**
 * Relay-style connections for list queries: `{ nodes totalCount pageInfo { hasNextPage endCursor } }`,
 * keyset-paginated on each list's key. `first` defaults to 20 and may not exceed 100.
 */
import { GraphQLError } from 'graphql';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  /** How many rows to fetch: one more than asked, to know whether another page follows. */
  fetch: number;
  first: number;
  afterKey: string | undefined;
}

export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Resolved only when asked for, so a page that does not show its total costs no COUNT. */
  totalCount: () => Promise<number>;
}

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export function encodeCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!decoded.startsWith('k:')) throw badInput('Argument "after" is not a cursor returned by this list.', 'after');
  return decoded.slice(2);
}

export function readPage(args: PageArguments): Page {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`Argument "first" must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return { first, fetch: first + 1, afterKey: args.after == null ? undefined : decodeCursor(args.after) };
}

export function toConnection<T>(rows: readonly T[], page: Page, keyOf: (row: T) => string, count: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.first);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > page.first, endCursor: last === undefined ? null : encodeCursor(keyOf(last)) },
    totalCount: count,
  };
}

/** The answer for a list the caller may see nothing of. */
export function emptyConnection(): Connection<never> {
  return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
}
