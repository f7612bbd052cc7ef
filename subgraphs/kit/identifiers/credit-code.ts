/**
 * 统一社会信用代码 — GB 32100-2015: registration authority, entity type, 6-digit division code, the
 * 9-character organisation code of GB 11714 (with its own check character) and a MOD 31 check character.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORGANISATION_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The MOD 31 check character over the first 17 characters of a credit code. */
export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return CHARSET[check === 31 ? 0 : check]!;
}

/** GB 11714 values: digits are themselves, letters A–Z are 10–35. */
function organisationValue(char: string): number {
  return /\d/.test(char) ? Number(char) : char.charCodeAt(0) - 55;
}

/** The GB 11714 check character over the first 8 characters of an organisation code. */
export function organisationCodeCheckCharacter(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += organisationValue(first8[i]!) * ORGANISATION_WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/** Why `value` is not a valid unified social credit code, or null when it is. */
export function creditCodeProblem(value: string): string | null {
  if (!SHAPE.test(value)) return 'must be 18 characters of 0-9 and A-Y without I, O, S, V and Z';
  if (!/^\d{6}$/.test(value.slice(2, 8))) return 'does not contain a 6-digit division code';
  if (organisationCodeCheckCharacter(value.slice(8, 16)) !== value[16]) {
    return 'has a wrong organisation-code check character';
  }
  if (creditCodeCheckCharacter(value.slice(0, 17)) !== value[17]) return 'has a wrong check character';
  return null;
}

export function isCreditCode(value: string): boolean {
  return creditCodeProblem(value) === null;
}

export const CREDIT_CODE_CHARSET = CHARSET;
