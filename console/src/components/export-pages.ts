/**
 * Exports a whole result the graph serves a page at a time: reads page after page by cursor and keeps
 * each as a part of the file, so a set of any size is exported without holding its records at once.
 * Each page is a request of its own, audited by the gateway like any other read.
 */
import { csvHeader, csvLines, jsonLines, type ExportRow } from './export-file';

export interface ExportPage {
  rows: ExportRow[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportedFile {
  parts: string[];
  rows: number;
  /** The count the first page reported: the set the export started from. */
  totalCount: number;
}

export async function exportPages(
  readPage: (after: string | undefined) => Promise<ExportPage>,
  format: ExportFormat,
  columns: readonly string[],
  onProgress: (rows: number, totalCount: number) => void,
): Promise<ExportedFile> {
  const parts = format === 'csv' ? [csvHeader(columns)] : [];
  let rows = 0;
  let totalCount: number | undefined;
  let after: string | undefined;
  for (;;) {
    const page = await readPage(after);
    totalCount ??= page.totalCount;
    parts.push(format === 'csv' ? csvLines(page.rows, columns) : jsonLines(page.rows));
    rows += page.rows.length;
    onProgress(rows, totalCount);
    if (!page.hasNextPage || page.endCursor === null) return { parts, rows, totalCount };
    after = page.endCursor;
  }
}
