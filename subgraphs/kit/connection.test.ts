import { encodeCursor, readPage, toConnection } from './connection';

test('first defaults to 20 and fetches one more to know if a page follows', () => {
  expect(readPage({})).toEqual({ first: 20, fetch: 21, afterKey: undefined });
});

test.each([101, -1, 2.5])('first: %p is BAD_USER_INPUT', (first) => {
  expect(() => readPage({ first })).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'first' } }));
});

test('a cursor round-trips; anything else is refused', () => {
  expect(readPage({ after: encodeCursor('91350100M000100Y43') }).afterKey).toBe('91350100M000100Y43');
  expect(() => readPage({ after: 'garbage!' })).toThrow(/not a cursor/);
  expect(() => readPage({ after: Buffer.from('x:1').toString('base64url') })).toThrow(/not a cursor/);
});

test('a connection trims the extra row and points its cursor at the last node', async () => {
  const page = readPage({ first: 2 });
  const connection = toConnection(['a', 'b', 'c'], page, (row) => row, async () => 3);
  expect(connection.nodes).toEqual(['a', 'b']);
  expect(connection.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('b') });
  expect(await connection.totalCount()).toBe(3);
});
