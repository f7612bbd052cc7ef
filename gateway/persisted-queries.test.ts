/**
 * The store behind automatic persisted queries: a text is found only by the app that sent it, and the
 * gateway's own operations (run outside any app's request) neither keep nor find one.
 */
import { createPersistedQueryStore } from './persisted-queries';

const HASH = 'apq:5d0c6e4f3b2a';
const TEXT = '{ serviceItems { code } }';

test('a text kept for one app is found by that app only', async () => {
  const store = createPersistedQueryStore();
  await store.as('market-supervision', () => store.cache.set(HASH, TEXT));
  expect(await store.as('market-supervision', () => store.cache.get(HASH))).toBe(TEXT);
  expect(await store.as('city-ops-center', () => store.cache.get(HASH))).toBeUndefined();
});

test('each app deletes only its own text', async () => {
  const store = createPersistedQueryStore();
  await store.as('a', () => store.cache.set(HASH, 'A'));
  await store.as('b', () => store.cache.set(HASH, 'B'));
  expect(await store.as('a', () => store.cache.delete(HASH))).toBe(true);
  expect(await store.as('a', () => store.cache.get(HASH))).toBeUndefined();
  expect(await store.as('b', () => store.cache.get(HASH))).toBe('B');
});

test('outside an app’s request nothing is kept or found', async () => {
  const store = createPersistedQueryStore();
  await store.cache.set(HASH, TEXT);
  await store.as('a', () => store.cache.set(HASH, TEXT));
  expect(await store.cache.get(HASH)).toBeUndefined();
  expect(await store.cache.delete(HASH)).toBe(false);
  expect(await store.as('a', () => store.cache.get(HASH))).toBe(TEXT);
});

test('the app is the one whose request is running, across awaits and side by side', async () => {
  const store = createPersistedQueryStore();
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all(['a', 'b', 'c'].map((app) => store.as(app, async () => {
    await later();
    await store.cache.set(HASH, `text of ${app}`);
  })));
  for (const app of ['a', 'b', 'c']) expect(await store.as(app, () => store.cache.get(HASH))).toBe(`text of ${app}`);
});

test('texts beyond the size bound push out the least recently used', async () => {
  const store = createPersistedQueryStore(100);
  await store.as('a', async () => {
    await store.cache.set('apq:1', 'x'.repeat(40));
    await store.cache.set('apq:2', 'y'.repeat(40));
    await store.cache.get('apq:1');
    await store.cache.set('apq:3', 'z'.repeat(40));
  });
  expect(await store.as('a', () => store.cache.get('apq:1'))).toBe('x'.repeat(40));
  expect(await store.as('a', () => store.cache.get('apq:2'))).toBeUndefined();
  expect(await store.as('a', () => store.cache.get('apq:3'))).toBe('z'.repeat(40));
});
