/** A token's operator is checked with the operator subject's key scalar, wherever the schema holds it. */
import { buildSchema } from 'graphql';
import { operatorKeyCheck } from './operator-key';
import { platformSchema } from './platform-schema';

const PERSON = 'scalar IdNumber scalar CreditCode type Person { idNumber: IdNumber! } type Enterprise { creditCode: CreditCode! }';
const platform = (operatorSubject?: string) =>
  platformSchema.parse({ subjectKeys: { Person: 'idNumber', Enterprise: 'creditCode' }, ...(operatorSubject && { operatorSubject }) });

test("the operator subject's key scalar parses the claim, read as a key is read", () => {
  const check = operatorKeyCheck(platform('Person'), buildSchema(`${PERSON} type Query { person: Person }`));
  expect(check(' 11010519491231002x')).toEqual({ ok: true, key: '11010519491231002X' });
  expect(check('91330108MA0G0U3H12')).toEqual({ ok: false, problem: "its operator must be a Person's idNumber, a valid ID number (GB 11643), but it must be 17 digits followed by a digit or X" });
  expect(check('110105194912310021')).toEqual({ ok: false, problem: "its operator must be a Person's idNumber, a valid ID number (GB 11643), but it has a wrong check character" });
});

test('were the operator an Enterprise, its key scalar would parse it: the platform file decides, not the code', () => {
  const check = operatorKeyCheck(platform('Enterprise'), buildSchema(`${PERSON} type Query { enterprise: Enterprise }`));
  expect(check('91330108MA0G0U3H12')).toEqual({ ok: true, key: '91330108MA0G0U3H12' });
  expect(check('11010519491231002X')).toMatchObject({ ok: false, problem: expect.stringMatching(/^its operator must be an Enterprise's creditCode, a valid unified social credit code \(GB 32100\)/) });
});

test.each([
  ['a schema without the operator subject (a department that serves no Person)', platform('Person'), 'type Query { ok: Boolean }'],
  ['a key that is no identifier scalar', platform('Person'), 'type Person { idNumber: String! } type Query { person: Person }'],
  ['a platform without an operator subject', platform(), `${PERSON} type Query { person: Person }`],
])('%s: the claim is a key of 1 to 64 characters', (_name, parsed, sdl) => {
  const check = operatorKeyCheck(parsed, buildSchema(sdl));
  expect(check('citizen-0001')).toEqual({ ok: true, key: 'CITIZEN-0001' });
  expect(check('x'.repeat(64))).toMatchObject({ ok: true });
  for (const claim of ['', '   ', 'x'.repeat(65)]) expect(check(claim)).toEqual({ ok: false, problem: 'its operator must be a key of 1 to 64 characters' });
});
