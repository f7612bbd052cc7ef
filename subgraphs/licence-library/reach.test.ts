import { holderRegistration, writeReaches } from './reach';

describe("a write's reach: the caller's regions within the department's jurisdiction", () => {
  const ZHEJIANG_FIRM = holderRegistration('Enterprise', '91330108MA0D5K9K1B');
  const GUANGZHOU_FIRM = holderRegistration('Enterprise', '91440106MA59QT7K1X');

  test('a caller without a region writes in the jurisdiction, never everywhere', () => {
    expect(writeReaches('MARKET_REGULATION', undefined, '440106', GUANGZHOU_FIRM)).toBe(true);
    expect(writeReaches('MARKET_REGULATION', [], '440106', GUANGZHOU_FIRM)).toBe(true);
    expect(writeReaches('MARKET_REGULATION', [], '330108', ZHEJIANG_FIRM)).toBe(false);
  });

  test('both the issuing district and the holder registration must lie within it', () => {
    expect(writeReaches('MARKET_REGULATION', [], '440106', ZHEJIANG_FIRM)).toBe(false);
    expect(writeReaches('MARKET_REGULATION', [], '330108', GUANGZHOU_FIRM)).toBe(false);
  });

  test("the caller's regions narrow it, and one outside the jurisdiction reaches nothing", () => {
    expect(writeReaches('MARKET_REGULATION', ['4401'], '440106', GUANGZHOU_FIRM)).toBe(true);
    expect(writeReaches('MARKET_REGULATION', ['4403'], '440106', GUANGZHOU_FIRM)).toBe(false);
    expect(writeReaches('MARKET_REGULATION', ['33'], '330108', ZHEJIANG_FIRM)).toBe(false);
  });

  test("a person's certificate is placed by its issuing district alone: an ID number keeps the place of first registration", () => {
    expect(holderRegistration('Person', '330108197103300546')).toBeNull();
    expect(writeReaches('PUBLIC_SECURITY', [], '440106', holderRegistration('Person', '330108197103300546'))).toBe(true);
  });
});
