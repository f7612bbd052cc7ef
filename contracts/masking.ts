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

const keep = (value: string, head: number, tail: number): string =>
  value.length <= head + tail ? '*'.repeat(value.length) : value.slice(0, head) + '*'.repeat(value.length - head - tail) + value.slice(value.length - tail);

/** Compound surnames keep both characters: 欧阳**. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐'];

function maskName(name: string): string {
  const surname = COMPOUND_SURNAMES.find((s) => name.startsWith(s)) ?? name.slice(0, 1);
  return surname + '*'.repeat(Math.max(1, [...name].length - [...surname].length));
}

function maskAddress(address: string): string {
  const match = /^.*?(?:区|县|旗)/.exec(address);
  return match ? match[0] : '';
}

export function maskValue(profile: MaskProfile, value: string): string {
  switch (profile) {
    case 'ID_NUMBER':
      return keep(value, 6, 4);
    case 'ID_NUMBER_STRICT':
      return keep(value, 1, 1);
    case 'PHONE':
      return keep(value, 3, 4);
    case 'NAME':
      return maskName(value);
    case 'ADDRESS_DISTRICT':
      return maskAddress(value);
    case 'CREDIT_CODE':
      return keep(value, 8, 2);
  }
}

/** Masks a field's value whatever its shape: strings, lists of strings; anything else passes. */
export function maskField(profile: MaskProfile, value: unknown): unknown {
  if (typeof value === 'string') return maskValue(profile, value);
  if (Array.isArray(value)) return value.map((item) => maskField(profile, item));
  return value;
}
