import { createHmac } from 'node:crypto';
import { createSubjectHasher } from './subject-hasher';

const key = Buffer.alloc(32, 9);
const hmac = (value: string) => createHmac('sha256', key).update(value).digest('hex');

test('remembered or not, a subject always gets its own keyed HMAC', () => {
  const hash = createSubjectHasher(key, 3);
  const values = ['110105199001011234', '91440101MA5CXXXX1X', 'a', 'b', 'c', 'd'];
  // First pass fills and overflows the memory; the second and third read remembered and evicted entries alike.
  for (let pass = 0; pass < 3; pass++) for (const value of values) expect(hash(value)).toBe(hmac(value));
  expect(hash('b')).toBe(hmac('b'));
  expect(hash('a')).not.toBe(hash('b'));
});

test('a hasher with no memory hashes every time', () => {
  const hash = createSubjectHasher(key, 0);
  expect(hash('x')).toBe(hmac('x'));
  expect(hash('x')).toBe(hmac('x'));
});
