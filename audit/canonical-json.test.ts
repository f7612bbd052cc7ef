import { canonicalJson } from './canonical-json';

test('an array of strings is written as element by element, escapes and all', () => {
  const strings = ['plain', 'quote " and \\ backslash', 'line\nbreak', '\u2028 separator', '汉字', '', '\u0000'];
  expect(canonicalJson(strings)).toBe(`[${strings.map((s) => JSON.stringify(s)).join(',')}]`);
  expect(canonicalJson({ subjects: strings, app: 'a' })).toBe(`{"app":"a","subjects":${JSON.stringify(strings)}}`);
});

test('an array holding objects still has their keys sorted', () => {
  expect(canonicalJson(['a', { b: 1, a: [2, null] }])).toBe('["a",{"a":[2,null],"b":1}]');
});
