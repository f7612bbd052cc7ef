/**
 * Per-request batching: every entity reference and every list of children goes through a DataLoader, so
 * one request level costs one SQL statement per kind of row, whatever the list size.
 */
import DataLoader from 'dataloader';

/** Large enough that a 1,000-row page is one statement; small enough to stay under SQL parameter limits. */
const MAX_BATCH = 2000;

/** One row per key (null when missing): `load(key)` → the row whose `keyOf` is that key. */
export function rowLoader<K, V>(fetch: (keys: readonly K[]) => Promise<readonly V[]>, keyOf: (row: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const byKey = new Map<K, V>();
      for (const row of await fetch(keys)) byKey.set(keyOf(row), row);
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH },
  );
}

/** Many rows per key: `load(key)` → every row whose `groupOf` is that key, in fetch order. */
export function childrenLoader<K, V>(fetch: (keys: readonly K[]) => Promise<readonly V[]>, groupOf: (row: V) => K | readonly K[]): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const row of await fetch(keys)) {
        const owners = groupOf(row);
        for (const owner of (Array.isArray(owners) ? owners : [owners]) as K[]) groups.get(owner)?.push(row);
      }
      return keys.map((key) => groups.get(key)!);
    },
    { maxBatchSize: MAX_BATCH },
  );
}
