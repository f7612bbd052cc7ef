/**
 * 公民身份号码 — GB 11643-1999: 6-digit division code, birth date YYYYMMDD, 3-digit sequence
 * (odd = male), and an ISO 7064 MOD 11-2 check character.
 */
import { isProvinceCode } from './region-code';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** The check character for the first 17 digits of an ID number. */
export function idNumberCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** True when `yyyymmdd` is a calendar date between 1800-01-01 and `today` (GB 11643's own example is born in 1880). */
export function isPastDate(yyyymmdd: string, today: Date = new Date()): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1800 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getTime() <= today.getTime()
  );
}

/**
 * Why `value` is not a valid ID number, or null when it is. The division code is checked only at province
 * level: an ID keeps the code of first registration, which may no longer be current.
 */
export function idNumberProblem(value: string): string | null {
  if (!SHAPE.test(value)) return 'must be 17 digits followed by a digit or X';
  if (!isProvinceCode(value.slice(0, 2))) return 'does not start with a valid province code';
  if (!isPastDate(value.slice(6, 14))) return 'does not contain a valid birth date';
  if (idNumberCheckCharacter(value.slice(0, 17)) !== value[17]) return 'has a wrong check character';
  return null;
}

export function isIdNumber(value: string): boolean {
  return idNumberProblem(value) === null;
}
