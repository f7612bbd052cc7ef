/**
 * Masking profiles 脱敏 (DOMAIN: masking). Each is idempotent — masking a masked value changes nothing —
 * so a department and the gateway may both apply it. A masked ID number never passes its checksum.
 */
export const MASK_PROFILES = ['ID_NUMBER', 'ID_NUMBER_STRICT', 'PHONE', 'NAME', 'ADDRESS_DISTRICT', 'CREDIT_CODE'] as const;
export type MaskProfile = (typeof MASK_PROFILES)[number];

export const MASK_DESCRIPTIONS: Record<MaskProfile, string> = {
  ID_NUMBER: 'ID number: first 6 and last 4 characters shown (110105********1234)',
  ID_NUMBER_STRICT: 'ID number: first and last character shown (1****************4)',
  PHONE: 'mobile number: first 3 and last 4 digits shown (138****5678)',
  NAME: 'name: surname only (张**)',
  ADDRESS_DISTRICT: 'address: up to the district (广东省广州市天河区)',
  CREDIT_CODE: 'credit code: first 8 and last 2 characters shown',
};

/** The profiles that show a value's first and last characters and hide those between. */
const KEPT: Partial<Record<MaskProfile, { head: number; tail: number }>> = {
  ID_NUMBER: { head: 6, tail: 4 },
  ID_NUMBER_STRICT: { head: 1, tail: 1 },
  PHONE: { head: 3, tail: 4 },
  CREDIT_CODE: { head: 8, tail: 2 },
};

const keep = (value: string, head: number, tail: number): string =>
  value.length <= head + tail ? '*'.repeat(value.length) : value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);

/**
 * The character positions (1-based) a profile hides in a value of this length, for the profiles that
 * hide by position; undefined for those that do not (a name, an address).
 */
export function hiddenCharacters(profile: MaskProfile, length: number): ReadonlySet<number> | undefined {
  const kept = KEPT[profile];
  if (!kept) return undefined;
  const hidden = new Set<number>();
  for (let position = 1; position <= length; position++) {
    if (length <= kept.head + kept.tail || (position > kept.head && position <= length - kept.tail)) hidden.add(position);
  }
  return hidden;
}

/** Compound surnames keep both characters: 欧阳**. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐'];

function maskName(name: string): string {
  const surname = COMPOUND_SURNAMES.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
  return surname + '*'.repeat(Math.max(1, [...name].length - [...surname].length));
}

/**
 * An address up to its county-level unit: a province (省, 自治区), then a prefecture (市, 自治州, 地区, 盟),
 * then the unit itself (区, 县, 旗, or a county-level 市), each short and the last holding no street,
 * town or village: "阳光小区" after a county-level city is a housing estate, not a district.
 */
const DISTRICT = /^(?:[^省]{1,9}?(?:省|自治区))?(?:[^路街道巷号镇乡村]{1,10}?(?:市|自治州|地区|盟))?[^路街道巷号镇乡村]{1,10}?(?:区|县|旗|市)/;

function maskAddress(address: string): string {
  return DISTRICT.exec(address)?.[0] ?? '';
}

export function maskValue(profile: MaskProfile, value: string): string {
  const kept = KEPT[profile];
  if (kept) return keep(value, kept.head, kept.tail);
  return profile === 'NAME' ? maskName(value) : maskAddress(value);
}

/** Masks a field's value whatever its shape: strings, lists of strings; anything else passes. */
export function maskField(profile: MaskProfile, value: unknown): unknown {
  if (typeof value === 'string') return maskValue(profile, value);
  if (Array.isArray(value)) return value.map((item) => maskField(profile, item));
  return value;
}
