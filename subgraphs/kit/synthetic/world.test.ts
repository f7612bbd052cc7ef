import { isCreditCode } from '../identifiers/credit-code';
import { isIdNumber } from '../identifiers/id-number';
import { addHours, addYears } from './calendar';
import { ageOnReference } from './population';
import { buildWorld } from './world';

const world = buildWorld({ persons: 3000, enterprises: 400, applications: 0, cityEvents: 0 });
const byId = new Map(world.persons.map((p) => [p.idNumber, p]));

test('the world is deterministic', () => {
  const again = buildWorld({ persons: 3000, enterprises: 400, applications: 0, cityEvents: 0 });
  expect(again.persons.map((p) => p.idNumber)).toEqual(world.persons.map((p) => p.idNumber));
  expect(again.enterprises).toEqual(world.enterprises);
});

test('every ID number is valid, unique, and agrees with gender, birth date and region', () => {
  expect(byId.size).toBe(3000);
  for (const p of world.persons) {
    expect(isIdNumber(p.idNumber)).toBe(true);
    expect(p.idNumber.slice(6, 14)).toBe(p.birthDate.replaceAll('-', ''));
    expect(Number(p.idNumber[16]) % 2 === 1).toBe(p.gender === 'MALE');
    expect(p.idNumber.slice(0, 6)).toBe(p.regionCode);
    expect(p.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
    expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
    expect(byId.get(p.householdHead)?.householdNumber).toBe(p.householdNumber);
  }
});

test('spouses exist, are of the other gender and were of marriageable age', () => {
  expect(world.marriages.length).toBeGreaterThan(500);
  for (const m of world.marriages) {
    const husband = byId.get(m.husband)!;
    const wife = byId.get(m.wife)!;
    expect(husband.gender).toBe('MALE');
    expect(wife.gender).toBe('FEMALE');
    expect(m.registeredOn >= addYears(husband.birthDate, 22)).toBe(true);
    expect(m.registeredOn >= addYears(wife.birthDate, 20)).toBe(true);
  }
});

test('enterprises have valid unique codes and adult legal representatives who exist', () => {
  expect(new Set(world.enterprises.map((e) => e.creditCode)).size).toBe(400);
  expect(new Set(world.enterprises.map((e) => e.name)).size).toBe(400);
  for (const e of world.enterprises) {
    expect(isCreditCode(e.creditCode)).toBe(true);
    expect(e.creditCode.slice(2, 8)).toBe(e.regionCode);
    expect(ageOnReference(byId.get(e.legalRepresentative)!.birthDate)).toBeGreaterThanOrEqual(25);
  }
});

test('the data spans at least 3 provinces and 6 cities', () => {
  expect(new Set(world.persons.map((p) => p.regionCode.slice(0, 2))).size).toBeGreaterThanOrEqual(3);
  expect(new Set(world.persons.map((p) => p.regionCode.slice(0, 4))).size).toBeGreaterThanOrEqual(6);
});

test('seeded times are written in China Standard Time', () => {
  expect(addHours('2026-06-30T23:30:00+08:00', 2)).toBe('2026-07-01T01:30:00+08:00');
});
