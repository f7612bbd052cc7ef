import { isIdNumber } from '../subgraphs/kit/identifiers/id-number';
import { maskValue, type MaskProfile } from './masking';

test.each<[MaskProfile, string, string]>([
  ['ID_NUMBER', '11010519491231002X', '110105********002X'],
  ['ID_NUMBER_STRICT', '11010519491231002X', '1****************X'],
  ['PHONE', '13812345678', '138****5678'],
  ['NAME', '张三丰', '张**'],
  ['NAME', '欧阳娜娜', '欧阳**'],
  ['NAME', '李四', '李*'],
  ['ADDRESS_DISTRICT', '广东省广州市天河区天河路385号3栋1单元801室', '广东省广州市天河区'],
  ['CREDIT_CODE', '91350100M000100Y43', '91350100********43'],
])('%s masks %s as %s, and masking again changes nothing', (profile, raw, masked) => {
  expect(maskValue(profile, raw)).toBe(masked);
  expect(maskValue(profile, masked)).toBe(masked);
});

test('a masked ID number never passes the checksum', () => {
  expect(isIdNumber(maskValue('ID_NUMBER', '11010519491231002X'))).toBe(false);
});
