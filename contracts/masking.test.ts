import { isIdNumber } from '../subgraphs/kit/identifiers/id-number';
import { MASK_DESCRIPTIONS, MASK_PROFILES, hiddenCharacters, maskField, maskValue, type MaskProfile } from './masking';

test.each<[MaskProfile, string, string]>([
  ['ID_NUMBER', '11010519491231002X', '110105********002X'],
  ['ID_NUMBER_STRICT', '11010519491231002X', '1****************X'],
  ['PHONE', '13812345678', '138****5678'],
  ['NAME', '张三丰', '张**'],
  ['NAME', '欧阳娜娜', '欧阳**'],
  ['NAME', '李四', '李*'],
  ['ADDRESS_DISTRICT', '广东省广州市天河区天河路385号3栋1单元801室', '广东省广州市天河区'],
  ['CREDIT_CODE', '91350100M000100Y43', '91350100********43'],
  // A value no longer than the characters a profile keeps is hidden whole, never shown.
  ['PHONE', '1381234', '*******'],
  ['PHONE', '13812345', '138*2345'],
  ['ID_NUMBER_STRICT', 'AB', '**'],
  ['ID_NUMBER_STRICT', 'ABC', 'A*C'],
  ['NAME', '张', '张*'],
  ['ADDRESS_DISTRICT', '内蒙古自治区呼和浩特市土默特左旗察素齐镇', '内蒙古自治区呼和浩特市土默特左旗'],
  ['ADDRESS_DISTRICT', '浙江省杭州市淳安县千岛湖镇', '浙江省杭州市淳安县'],
  ['ADDRESS_DISTRICT', '新疆维吾尔自治区阿克苏地区阿克苏市幸福路阳光小区3栋', '新疆维吾尔自治区阿克苏地区阿克苏市'],
  ['ADDRESS_DISTRICT', '浙江省宁波市余姚市阳明街道阳光小区5幢', '浙江省宁波市余姚市'],
  ['ADDRESS_DISTRICT', '余姚市阳明街道阳光小区5幢', '余姚市'],
  ['ADDRESS_DISTRICT', '上海市浦东新区张江路88弄', '上海市浦东新区'],
  ['ADDRESS_DISTRICT', '湖北省恩施土家族苗族自治州恩施市舞阳坝街道', '湖北省恩施土家族苗族自治州恩施市'],
  ['ADDRESS_DISTRICT', '阳明街道光明路5号', ''],
])('%s masks %s as %s, and masking again changes nothing', (profile, raw, masked) => {
  expect(maskValue(profile, raw)).toBe(masked);
  expect(maskValue(profile, masked)).toBe(masked);
});

test('a masked ID number never passes the checksum', () => {
  expect(isIdNumber(maskValue('ID_NUMBER', '11010519491231002X'))).toBe(false);
});

test('a masked field masks every string of a list and passes anything else unchanged', () => {
  expect(maskField('PHONE', ['13812345678', '13987654321'])).toEqual(['138****5678', '139****4321']);
  expect(maskField('PHONE', [['13812345678']])).toEqual([['138****5678']]);
  expect(maskField('PHONE', null)).toBeNull();
  expect(maskField('PHONE', 42)).toBe(42);
  expect(maskField('NAME', '李四')).toBe('李*');
});

test('the characters a profile hides are exactly the ones it replaces', () => {
  for (const profile of ['ID_NUMBER', 'ID_NUMBER_STRICT', 'PHONE', 'CREDIT_CODE'] as const) {
    for (const length of [1, 2, 5, 10, 11, 18]) {
      const value = 'abcdefghijklmnopqrstuvwxyz'.slice(0, length);
      const masked = maskValue(profile, value);
      const replaced = [...masked].flatMap((character, index) => (character === '*' ? [index + 1] : []));
      expect([...hiddenCharacters(profile, length)!].sort((a, b) => a - b)).toEqual(replaced);
    }
  }
  expect([...hiddenCharacters('ID_NUMBER', 18)!]).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  expect(hiddenCharacters('NAME', 3)).toBeUndefined();
  expect(hiddenCharacters('ADDRESS_DISTRICT', 12)).toBeUndefined();
});

test('every profile has a description', () => {
  for (const profile of MASK_PROFILES) expect(MASK_DESCRIPTIONS[profile]).toMatch(/\S/);
});
