/**
 * 行政区划代码 — GB/T 2260: province (2 digits), prefecture (2), county (2). "00" in the last places
 * means the whole province or prefecture. Validation is structural, so any real deployment's codes pass.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export function isProvinceCode(code: string): boolean {
  return PROVINCE_CODES.has(code);
}

/** Why `value` is not a division code, or null when it is. */
export function regionCodeProblem(value: string): string | null {
  if (!/^\d{6}$/.test(value)) return 'must be 6 digits';
  if (!isProvinceCode(value.slice(0, 2))) return 'does not start with a valid province code';
  if (value.slice(2, 4) === '00' && value.slice(4, 6) !== '00') return 'names a county without its prefecture';
  return null;
}

/**
 * The significant prefix of a division code: `440000` → `44`, `440100` → `4401`, `440106` → `440106`.
 * A record lies within a region when its own code starts with this prefix.
 */
export function regionPrefix(code: string): string {
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}
