/**
 * The console's clock is Beijing time (Asia/Shanghai, UTC+8 all year: China keeps no daylight saving),
 * whatever zone the browser is in: times are shown in it, and the times and days a user types mean it.
 * The graph takes and gives ISO 8601 instants.
 */
export const CONSOLE_TIME_ZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';

/** An `<input type="datetime-local">` value (YYYY-MM-DDTHH:mm[:ss]) read as Beijing time. */
export function localInputToIso(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value);
  if (!match) return undefined;
  const date = new Date(`${match[1]}${match[2] ?? ':00'}${OFFSET}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A Beijing day (YYYY-MM-DD) as the instants it starts and ends with, both inclusive. */
export function dayRange(day: string): { from: string; to: string } | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00.000${OFFSET}`);
  if (Number.isNaN(start.getTime())) return undefined;
  return { from: start.toISOString(), to: new Date(start.getTime() + 86_400_000 - 1).toISOString() };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as Beijing date and time, in the console's language (2026/12/06 00:00:00). */
export function formatTime(iso: string, language: 'zh' | 'en'): string {
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: CONSOLE_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(language, format);
  }
  return format.format(new Date(iso));
}

/** An instant as ISO 8601 in Beijing time, with its offset (2026-12-06T00:00:00.000+08:00): for exports. */
export function isoInShanghai(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, -1)}${OFFSET}`;
}
