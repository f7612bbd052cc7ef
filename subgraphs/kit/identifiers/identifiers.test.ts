import { creditCodeCheckCharacter, creditCodeProblem, isCreditCode } from './credit-code';
import { idNumberCheckCharacter, idNumberProblem, isIdNumber } from './id-number';
import { regionCodeProblem, regionPrefix } from './region-code';

describe('GB 11643 ID numbers', () => {
  test.each(['11010519491231002X', '440524188001010014'])('the standard example %s is valid', (id) => expect(isIdNumber(id)).toBe(true));

  test('the check character follows ISO 7064 MOD 11-2', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
  });

  test.each([
    ['11010519491231002', /17 digits/],
    ['11010519491231002x', /17 digits/],
    ['110105194912310021', /check character/],
    ['110105194902290021', /birth date/],
    ['110105209901010021', /birth date/],
    ['000105194912310021', /province/],
    ['１１０１０５１９４９１２３１００２X', /17 digits/],
  ])('%s is refused', (id, reason) => expect(idNumberProblem(id)).toMatch(reason));

  test('a masked ID number never passes', () => expect(isIdNumber('110105********002X')).toBe(false));
});

describe('GB 32100 unified social credit codes', () => {
  test.each(['91350100M000100Y43', '11100000000013338W'])('the example %s is valid', (code) => expect(isCreditCode(code)).toBe(true));

  test('the check character is MOD 31 over the code charset', () => expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3'));

  test.each([
    ['91350100M000100Y44', /wrong check character/],
    ['91350100M000101Y43', /organisation-code/],
    ['91350100I000100Y43', /without I, O, S, V and Z/],
    ['9135010M000100Y43', /18 characters/],
  ])('%s is refused', (code, reason) => expect(creditCodeProblem(code)).toMatch(reason));
});

describe('GB/T 2260 division codes', () => {
  test.each(['110000', '440100', '440106', '510107'])('%s is valid', (code) => expect(regionCodeProblem(code)).toBeNull());
  test.each([['4401', /6 digits/], ['990000', /province/], ['440006', /prefecture/]])('%s is refused', (code, reason) =>
    expect(regionCodeProblem(code)).toMatch(reason));
  test('a code stands for everything below it', () => {
    expect(regionPrefix('440000')).toBe('44');
    expect(regionPrefix('440100')).toBe('4401');
    expect(regionPrefix('440106')).toBe('440106');
  });
});
