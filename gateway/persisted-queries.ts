/**
 * Automatic persisted queries (Apollo's APQ protocol): a client sends only the SHA-256 of its operation;
 * the first time, the gateway answers PERSISTED_QUERY_NOT_FOUND and the client sends the text with the
 * hash, which Apollo Server checks (the hash must be the text's) and keeps. Apollo Server does the
 * protocol; this store decides who may use a kept text: only the app that sent it. A store shared by all
 * apps would tell an app whether another app has sent a given text lately (a hit or a miss), and a text
 * may carry an ID number. Whatever the store answers, the operation is then checked like any other
 * (contract, registered operations, row rules).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServer } from '@apollo/server';
import { LRUCache } from 'lru-cache';

type KeyValueCache = ApolloServer['cache'];

/** At most this many characters of operation text are kept, over all apps (as Apollo Server's own default store). */
const MAX_TEXT = 30 * 1024 * 1024;

export interface PersistedQueryStore {
  /** The store Apollo Server reads and writes (`persistedQueries.cache`). */
  cache: KeyValueCache;
  /** Runs `work` (Apollo Server answering a request) as `app`: what it keeps and finds is that app's. */
  as<T>(app: string, work: () => T): T;
}

export function createPersistedQueryStore(maxText = MAX_TEXT): PersistedQueryStore {
  const current = new AsyncLocalStorage<string>();
  const texts = new LRUCache<string, string>({ maxSize: maxText, sizeCalculation: (text, key) => text.length + key.length });
  // Outside a request of an app (the gateway's own operations), nothing is kept and nothing found.
  const keyOf = (key: string) => {
    const app = current.getStore();
    return app === undefined ? undefined : `${app}\u0000${key}`;
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
    as: (app, work) => current.run(app, work),
  };
}
