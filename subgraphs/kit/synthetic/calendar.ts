/**
 * Dates for the synthetic world. Everything is computed from a fixed reference day, not from the clock,
 * so a seed made today and one made next year hold the same data.
 */
export const REFERENCE_DAY = '2026-06-30';
const DAY_MS = 86_400_000;
const REFERENCE_MS = Date.parse(`${REFERENCE_DAY}T00:00:00Z`);

/** `YYYY-MM-DD` of the day `offset` days from the reference day. */
export function dayFromReference(offset: number): string {
  return new Date(REFERENCE_MS + offset * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  const monthDay = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${year}-${monthDay}`;
}

/** Days from `day` to the reference day (positive when `day` is in the past). */
export function daysBeforeReference(day: string): number {
  return Math.round((REFERENCE_MS - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);
}

/** An ISO timestamp at `minutes` past midnight on `day`, in China Standard Time. */
export function timestampOn(day: string, minutes: number): string {
  const hours = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mins = String(minutes % 60).padStart(2, '0');
  return `${day}T${hours}:${mins}:00+08:00`;
}

/** The moment `hours` after an ISO timestamp, written in China Standard Time like every seeded time. */
export function addHours(timestamp: string, hours: number): string {
  const cst = new Date(Date.parse(timestamp) + hours * 3_600_000 + 8 * 3_600_000).toISOString();
  return `${cst.slice(0, 19)}+08:00`;
}

export function isAfterReference(day: string): boolean {
  return day > REFERENCE_DAY;
}
