/** The console's Beijing clock and its paged export, without a browser (the browser tests are console-trail.test.ts). */
import { exportPages, type ExportPage } from '../console/src/components/export-pages';
import { dayRange, formatTime, isoInShanghai, localInputToIso } from '../console/src/components/time-range';

test('typed times and days are Beijing time, and instants are shown in it', () => {
  expect(localInputToIso('2026-12-06T00:00')).toBe('2026-12-05T16:00:00.000Z');
  expect(localInputToIso('2026-12-06T08:30:15')).toBe('2026-12-06T00:30:15.000Z');
  expect(localInputToIso('6 December')).toBeUndefined();
  expect(dayRange('2026-12-06')).toEqual({ from: '2026-12-05T16:00:00.000Z', to: '2026-12-06T15:59:59.999Z' });
  expect(dayRange('2026-13-01')).toBeUndefined();
  expect(formatTime('2026-12-05T16:00:00.000Z', 'zh')).toBe('2026/12/06 00:00:00');
  expect(formatTime('2026-12-05T15:59:59.999Z', 'en')).toBe('05/12/2026, 23:59:59');
  expect(isoInShanghai('2026-12-05T16:00:00.000Z')).toBe('2026-12-06T00:00:00.000+08:00');
});

test('an export reads page after page by cursor until the last, and keeps each as a part of the file', async () => {
  const all = Array.from({ length: 250 }, (_, i) => ({ seq: 250 - i, app: i % 2 ? 'auditor' : 'city-ops-center', fields: ['A.b', 'C.d'] }));
  const asked: Array<string | undefined> = [];
  const readPage = async (after: string | undefined): Promise<ExportPage> => {
    asked.push(after);
    const start = after === undefined ? 0 : Number(after);
    const rows = all.slice(start, start + 100);
    return { rows, totalCount: all.length, hasNextPage: start + 100 < all.length, endCursor: String(start + rows.length) };
  };
  const progress: number[] = [];
  const csv = await exportPages(readPage, 'csv', ['seq', 'app', 'fields'], (rows) => progress.push(rows));
  expect(asked).toEqual([undefined, '100', '200']);
  expect(progress).toEqual([100, 200, 250]);
  expect(csv).toMatchObject({ rows: 250, totalCount: 250 });
  const lines = csv.parts.join('').split('\r\n').filter(Boolean);
  expect(lines).toHaveLength(251);
  expect(lines.slice(0, 2)).toEqual(['\uFEFFseq,app,fields', '250,city-ops-center,A.b; C.d']);

  const jsonl = await exportPages(readPage, 'jsonl', [], () => undefined);
  expect(jsonl.parts.join('').trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(all);
});
