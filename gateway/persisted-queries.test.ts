/**
 * The store behind automatic persisted queries: a text is found only by the caller that sent it (the app,
 * the operator it acts for, its token's region), and the gateway's own operations (run outside any
 * caller's request) neither keep nor find one.
 */
import type { Caller } from '../contracts/caller';
import { createPersistedQueryStore } from './persisted-queries';

const HASH = 'apq:5d0c6e4f3b2a';
const TEXT = '{ serviceItems { code } }';
const A = '330108197103300546';
const B = '440103198607228881';

/** A caller as the gateway authenticated it, for one request. */
const as = (app: string, more: Partial<Caller> = {}): Caller => ({ app, requestId: `req-${Math.random()}`, ...more });

test('a text kept for one app is found by that app only', async () => {
  const store = createPersistedQueryStore();
  await store.as(as('market-supervision'), () => store.cache.set(HASH, TEXT));
  expect(await store.as(as('market-supervision'), () => store.cache.get(HASH))).toBe(TEXT);
  expect(await store.as(as('city-ops-center'), () => store.cache.get(HASH))).toBeUndefined();
});

test('two operators of one app are two callers: one never finds what the other sent (review F1)', async () => {
  const store = createPersistedQueryStore();
  const query = `{ person(idNumber: "${A}") { name } }`;
  expect(await store.as(as('oneservice-portal', { operator: B }), () => store.cache.get(HASH))).toBeUndefined();
  await store.as(as('oneservice-portal', { operator: A, purpose: 'SELF_SERVICE' }), () => store.cache.set(HASH, query));
  expect(await store.as(as('oneservice-portal', { operator: B }), () => store.cache.get(HASH))).toBeUndefined();
  // Nor the app without an operator, nor with another region; the operator finds it in any later request.
  expect(await store.as(as('oneservice-portal'), () => store.cache.get(HASH))).toBeUndefined();
  expect(await store.as(as('oneservice-portal', { operator: A, region: '3301' }), () => store.cache.get(HASH))).toBeUndefined();
  expect(await store.as(as('oneservice-portal', { operator: A, purpose: 'OTHER', caseId: 'C1' }), () => store.cache.get(HASH))).toBe(query);
});

test('callers of one app told apart by their token’s region keep their own texts', async () => {
  const store = createPersistedQueryStore();
  await store.as(as('city-ops-center', { region: '440103' }), () => store.cache.set(HASH, TEXT));
  expect(await store.as(as('city-ops-center', { region: '440104' }), () => store.cache.get(HASH))).toBeUndefined();
  expect(await store.as(as('city-ops-center', { region: '440103' }), () => store.cache.get(HASH))).toBe(TEXT);
});

test('each caller deletes only its own text', async () => {
  const store = createPersistedQueryStore();
  await store.as(as('a', { operator: A }), () => store.cache.set(HASH, 'A'));
  await store.as(as('a', { operator: B }), () => store.cache.set(HASH, 'B'));
  expect(await store.as(as('a', { operator: A }), () => store.cache.delete(HASH))).toBe(true);
  expect(await store.as(as('a', { operator: A }), () => store.cache.get(HASH))).toBeUndefined();
  expect(await store.as(as('a', { operator: B }), () => store.cache.get(HASH))).toBe('B');
});

test('outside a caller’s request nothing is kept or found', async () => {
  const store = createPersistedQueryStore();
  await store.cache.set(HASH, TEXT);
  await store.as(as('a'), () => store.cache.set(HASH, TEXT));
  expect(await store.cache.get(HASH)).toBeUndefined();
  expect(await store.cache.delete(HASH)).toBe(false);
  expect(await store.as(as('a'), () => store.cache.get(HASH))).toBe(TEXT);
});

test('the caller is the one whose request is running, across awaits and side by side', async () => {
  const store = createPersistedQueryStore();
  const later = () => new Promise((resolve) => setTimeout(resolve, 5));
  const operators = [A, B, '11010519491231002X'];
  await Promise.all(operators.map((operator) => store.as(as('portal', { operator }), async () => {
    await later();
    await store.cache.set(HASH, `text of ${operator}`);
  })));
  for (const operator of operators) expect(await store.as(as('portal', { operator }), () => store.cache.get(HASH))).toBe(`text of ${operator}`);
});

test('texts beyond the size bound push out the least recently used', async () => {
  // Each entry here costs 256 (bookkeeping) + 40 (text) + 21 (key): two fit, not three.
  const store = createPersistedQueryStore(700);
  await store.as(as('a'), async () => {
    await store.cache.set('apq:1', 'x'.repeat(40));
    await store.cache.set('apq:2', 'y'.repeat(40));
    await store.cache.get('apq:1');
    await store.cache.set('apq:3', 'z'.repeat(40));
  });
  expect(await store.as(as('a'), () => store.cache.get('apq:1'))).toBe('x'.repeat(40));
  expect(await store.as(as('a'), () => store.cache.get('apq:2'))).toBeUndefined();
  expect(await store.as(as('a'), () => store.cache.get('apq:3'))).toBe('z'.repeat(40));
});

test('one bound over all callers: many operators sending one short text each keep only the latest that fit', async () => {
  const store = createPersistedQueryStore(10_000);
  const operators = Array.from({ length: 200 }, (_, i) => `operator-${i}`);
  for (const operator of operators) await store.as(as('portal', { operator }), () => store.cache.set(HASH, TEXT));
  const kept = [];
  for (const operator of operators) if ((await store.as(as('portal', { operator }), () => store.cache.get(HASH))) === TEXT) kept.push(operator);
  // About 300 characters an entry: some 30 of the 200, the latest ones.
  expect(kept.length).toBeGreaterThan(20);
  expect(kept.length).toBeLessThan(40);
  expect(kept.at(-1)).toBe('operator-199');
});
