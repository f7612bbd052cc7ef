/**
 * Automatic persisted queries (Apollo's APQ protocol): a client sends only the SHA-256 of its operation;
 * the first time, the gateway answers PERSISTED_QUERY_NOT_FOUND and the client sends the text with the
 * hash, which Apollo Server checks (the hash must be the text's) and keeps. Apollo Server does the
 * protocol; this store decides who may use a kept text: only the caller that sent it — the app, the
 * operator it acts for and its token's region (`callerScope`), not the app alone. A store shared by
 * callers would tell one whether another has sent a given text lately (a hit or a miss), and a text may
 * carry an ID number: one citizen of a portal could learn what another asked. Whatever the store answers,
 * the operation is then checked like any other (contract, registered operations, row rules).
 *
 * Registered operations (`persistedOnly`) are another thing: the contract's list of hashes, the app's,
 * checked by the access policy whatever this store holds.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServer } from '@apollo/server';
import { LRUCache } from 'lru-cache';
import { callerScope, type Caller } from '../contracts/caller';

type KeyValueCache = ApolloServer['cache'];

/** At most this many characters of operation text are kept, over all callers (as Apollo Server's own default store). */
const MAX_TEXT = 30 * 1024 * 1024;
/**
 * What each kept text costs besides its characters (the cache's bookkeeping), counted against the bound:
 * each caller keeps its own copy, so many callers sending short texts hold many entries, and with this at
 * most 30 MiB / 256 of them. (A `max` entry count would have the cache allocate for all of them up front.)
 */
const ENTRY_COST = 256;

export interface PersistedQueryStore {
  /** The store Apollo Server reads and writes (`persistedQueries.cache`). */
  cache: KeyValueCache;
  /** Runs `work` (Apollo Server answering a request) as `caller`: what it keeps and finds is that caller's. */
  as<T>(caller: Caller, work: () => T): T;
}

export function createPersistedQueryStore(maxText = MAX_TEXT): PersistedQueryStore {
  const current = new AsyncLocalStorage<string>();
  const texts = new LRUCache<string, string>({ maxSize: maxText, sizeCalculation: (text, key) => ENTRY_COST + text.length + key.length });
  // Outside a caller's request (the gateway's own operations), nothing is kept and nothing found.
  const keyOf = (key: string) => {
    const scope = current.getStore();
    return scope === undefined ? undefined : `${scope}\u0000${key}`;
  };
  return {
    cache: {
      async get(key) {
        const own = keyOf(key);
        return own === undefined ? undefined : texts.get(own);
      },
      async set(key, value) {
        const own = keyOf(key);
        if (own !== undefined) texts.set(own, value);
      },
      async delete(key) {
        const own = keyOf(key);
        return own !== undefined && texts.delete(own);
      },
    },
    as: (caller, work) => current.run(callerScope(caller), work),
  };
}
